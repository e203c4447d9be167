import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CHECK_PARTICIPANTS, DEFAULT_CHECK_REFERENCE } from "@crossprop/backends";
import { decodeSafetensors } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// A tiny real subset so three backends train in seconds: 2,000 images, 784 → 16 → 10, 1 epoch.
const tiny = `
name: tiny
seed: 4
data: { dataset: mnist, train_size: 2000, test_size: 500 }
model: { hidden: [16] }
optimizer: { lr: 0.1 }
training: { epochs: 1, batch_size: 64 }
tfjs: { engine: wasm }
`;

describe("crossprop run --backend all", () => {
  const out = join(tempDir(), "compare");
  const result = crossprop(["run", writeConfig(tiny), "--backend", "all", "--quiet", "--out", out]);

  it("trains every backend from the same init and prints one column per backend", () => {
    expect(result.status).toBe(0);
    const header = result.stdout.split("\n").find((line) => line.includes("manual") && line.includes("autograd"));
    expect(header).toMatch(/manual.*autograd.*tfjs/);
    expect(result.stdout).toMatch(/engine\s+│ wasm\s+│ \S+\s+│ tfjs-wasm/);
    // Identical initial parameters, byte for byte (the files' metadata names their backend).
    const inits = ["manual", "autograd", "tfjs"].map((b) =>
      Buffer.concat(decodeSafetensors(readFileSync(join(out, b, "init.safetensors"))).tensors.map((t) => Buffer.from(t.data.buffer))),
    );
    expect(inits[1]!.equals(inits[0]!) && inits[2]!.equals(inits[0]!)).toBe(true);
  });

  it("stores the side-by-side table and the per-backend runs", () => {
    expect(readFileSync(join(out, "comparison.txt"), "utf8")).toMatch(/valid_accuracy/);
    const rows = JSON.parse(readFileSync(join(out, "comparison.json"), "utf8")) as { backend: string; final: { valid_accuracy: number } }[];
    expect(rows.map((r) => r.backend)).toEqual(["manual", "autograd", "tfjs"]);
    // Same bytes in, float32 rounding apart: on 500 test images the accuracies agree within 1%.
    const accuracies = rows.map((r) => r.final.valid_accuracy);
    expect(Math.max(...accuracies) - Math.min(...accuracies)).toBeLessThanOrEqual(0.01);
    for (const backend of ["manual", "autograd", "tfjs"]) {
      expect(existsSync(join(out, backend, "summary.json"))).toBe(true);
      expect(decodeSafetensors(readFileSync(join(out, backend, "final.safetensors"))).tensors.length).toBe(4);
    }
  });
});

describe("crossprop check", () => {
  it("passes all three backends, writes the JSON report and exits 0", () => {
    const json = join(tempDir(), "check.json");
    const result = crossprop(["check", writeConfig(tiny), "--steps", "3", "--json", json, "--quiet"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/first divergence: none/);
    expect(result.stdout).toMatch(/^PASS: every backend agrees with manual:typescript/m);
    const report = JSON.parse(readFileSync(json, "utf8"));
    // By default: manual's readable TypeScript loops as the reference, every engine of manual and autograd, and tfjs.
    expect(report).toMatchObject({ schema_version: 2, reference: DEFAULT_CHECK_REFERENCE, backends: [DEFAULT_CHECK_REFERENCE, ...DEFAULT_CHECK_PARTICIPANTS.filter((p) => p !== DEFAULT_CHECK_REFERENCE)], steps: 3, passed: true });
    expect(DEFAULT_CHECK_REFERENCE).toBe("manual:typescript");
  });

  it("exits 1 when a tolerance is impossibly tight, naming where it first broke", () => {
    const result = crossprop(["check", writeConfig(tiny), "--steps", "2", "--rtol", "0", "--atol", "0", "--backends", "autograd:typescript", "--reference", "manual:typescript", "--quiet"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/first divergence: step 1, backend autograd:typescript, /);
  });

  it("rejects a bad --steps through the schema, exit 2", () => {
    const result = crossprop(["check", writeConfig(tiny), "--steps", "0"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: --steps 0: check.steps: expected an integer ≥ 1, got 0\n");
  });
});
