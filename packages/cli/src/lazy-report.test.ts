import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The report package (vega, vega-lite) adds ~50 MB to a process: measured, `crossprop --version`
 * 163 → 111 MB peak RSS and a configs/mlp.yaml run's training peak 198 → 177 MB once it loads only
 * after training. So the CLI and the sweep (whose workers train) import it only dynamically, where a
 * page is written; a static import anywhere on their module graph would load it at start-up.
 */
const ROOTS = ["../src", "../../sweep/src"].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mjs)$/.test(entry.name) && !/\.(test|fixture)\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe("@crossprop/report loads only where a page is written", () => {
  it("no static value import of it in the CLI or the sweep", () => {
    const offenders = ROOTS.flatMap(sources).filter((file) => /^import\s+(?!type\b)[^;]*from\s+"@crossprop\/report"/m.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the dynamic imports are there (the check above would pass vacuously without them)", () => {
    const dynamic = ROOTS.flatMap(sources).filter((file) => readFileSync(file, "utf8").includes('await import("@crossprop/report")'));
    expect(dynamic.length).toBeGreaterThanOrEqual(5);
  });
});
