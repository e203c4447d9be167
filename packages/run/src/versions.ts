import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Versions of node and of every crossprop package, for summary.json. */
export function packageVersions(): Record<string, string> {
  const packagesDir = fileURLToPath(new URL("../../", import.meta.url));
  const versions: Record<string, string> = { node: process.versions.node };
  for (const dir of readdirSync(packagesDir).sort()) {
    try {
      const manifest = JSON.parse(readFileSync(`${packagesDir}${dir}/package.json`, "utf8")) as { name: string; version: string };
      versions[manifest.name] = manifest.version;
    } catch {
      // not a package directory
    }
  }
  return versions;
}
