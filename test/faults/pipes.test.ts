import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../cli/helpers.ts";

const bin = join(repoRoot, "packages/cli/bin/crossprop.js");

describe("a reader that closes the pipe early", () => {
  it("`sweep --plan | head -1` ends quietly: no EPIPE stack trace, exit 0", () => {
    // 600 trials: the plan's table is far larger than a pipe's 64 KiB buffer, so writes go on after head exits.
    const dir = tempDir();
    const config = join(dir, "big.yaml");
    const lrs = Array.from({ length: 20 }, (_, i) => (i + 1) / 1000).join(", ");
    const seeds = Array.from({ length: 30 }, (_, i) => i).join(", ");
    writeFileSync(config, `name: big\ndata: { train_size: 100, test_size: 100 }\nsweep:\n  grid:\n    optimizer.lr: [${lrs}]\n    seed: [${seeds}]\n`);
    const result = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" sweep "${config}" --plan --out "${dir}/sweep" | head -1; exit "\${PIPESTATUS[0]}"`], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stdout).toMatch(/^big: 600 trials, 20 × 30 grid/);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
