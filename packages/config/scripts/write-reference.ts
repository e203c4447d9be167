import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { referenceEnd, referenceStart, replaceReferenceSection } from "../src/reference.ts";

// Regenerates the config table in the repo README; reference.test.ts fails if it is stale.
const readmePath = fileURLToPath(new URL("../../../README.md", import.meta.url));
const updated = existsSync(readmePath) ? replaceReferenceSection(readFileSync(readmePath, "utf8")) : undefined;
if (updated === undefined) {
  console.error(`${readmePath}: needs ${referenceStart} and ${referenceEnd} where the config table should go`);
  process.exitCode = 1;
} else {
  writeFileSync(readmePath, updated);
  console.log(`updated the config reference in ${readmePath}`);
}
