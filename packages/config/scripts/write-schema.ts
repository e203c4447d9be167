import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { schemaJson } from "../src/schema/index.ts";

// Regenerates the editor schema; schema.test.ts fails if the committed file differs.
const target = fileURLToPath(new URL("../schema/crossprop.schema.json", import.meta.url));
mkdirSync(fileURLToPath(new URL("../schema/", import.meta.url)), { recursive: true });
writeFileSync(target, schemaJson());
console.log(`wrote ${target}`);
