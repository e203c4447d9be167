import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { referenceEnd, referenceStart, replaceReferenceSection } from "../src/reference.ts";

// Regenerates the config table in docs/config-reference.md; reference.test.ts fails if it is stale.
const referencePath = fileURLToPath(new URL("../../../docs/config-reference.md", import.meta.url));
const updated = existsSync(referencePath) ? replaceReferenceSection(readFileSync(referencePath, "utf8")) : undefined;
if (updated === undefined) {
  console.error(`${referencePath}: needs ${referenceStart} and ${referenceEnd} where the config table should go`);
  process.exitCode = 1;
} else {
  writeFileSync(referencePath, updated);
  console.log(`updated the config reference in ${referencePath}`);
}
