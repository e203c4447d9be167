import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// A small real subset: 10,000 MNIST training images, the first 1,000 test images,
// 784 → 64 (ReLU) → 10, kaiming init, SGD lr 0.1, batch 32, shuffled, 2 epochs. Measured over
// seeds 1–3 it reaches 0.87–0.89; 0.85 is a floor a correct backward pass clears and a broken
// one (chance is 0.1) does not.
const small = `
name: small
seed: 3
data: { dataset: mnist, split: standard, train_size: 10000, test_size: 1000 }
model: { hidden: [64], activation: relu }
optimizer: { type: sgd, lr: 0.1 }
training: { epochs: 2, batch_size: 32, shuffle: true }
expect:
  valid_accuracy: { min: 0.85 }
`;

function lines(path: string): unknown[] {
  return readFileSync(path, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
}

describe("crossprop run, end to end on real MNIST", () => {
  const config = writeConfig(small);
  const out = join(tempDir(), "run");
  const result = crossprop(["run", config, "--out", out, "--quiet"]);

  it("trains to the stated accuracy and exits 0", () => {
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/valid_accuracy/);
    expect(result.stdout).toMatch(/✓ expect valid_accuracy ≥ 0.85/);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.final.valid_accuracy).toBeGreaterThanOrEqual(0.85);
    expect(summary.status).toBe("completed");
    expect(summary.backend).toBe("manual");
    expect(summary.data).toMatchObject({ dataset: "mnist", train_examples: 10000, valid_examples: 1000 });
    expect(summary.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.seconds_per_epoch).toBeGreaterThan(0);
    expect(summary.versions["@crossprop/core"]).toBe("0.1.0");
  });

  it("writes the run directory: resolved config, metrics, every step, checkpoints", () => {
    const resolved = parse(readFileSync(join(out, "config.resolved.yaml"), "utf8"));
    expect(resolved.training).toEqual({ epochs: 2, steps: null, batch_size: 32, eval_every: null, shuffle: true, threads: null });
    expect(resolved.model.init.weights.type).toBe("kaiming");
    const metrics = lines(join(out, "metrics.jsonl")) as Record<string, number>[];
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2]);
    expect(Object.keys(metrics[0]!)).toEqual(["epoch", "step", "train_loss", "valid_loss", "valid_accuracy", "seconds", "eval_seconds"]);
    expect(metrics[1]!.train_loss).toBeLessThan(metrics[0]!.train_loss);
    const steps = lines(join(out, "steps.jsonl")) as { step: number; epoch: number; loss: number }[];
    expect(steps.length).toBe(2 * Math.ceil(10000 / 32));
    expect(steps[0]).toMatchObject({ step: 1, epoch: 1 });
    expect(steps.at(-1)).toMatchObject({ step: 626, epoch: 2 });
    for (const name of ["init.safetensors", "final.safetensors"]) {
      const { tensors } = decodeSafetensors(readFileSync(join(out, name)));
      expect(tensors.map((t) => `${t.name}:${t.shape.join("x")}`)).toEqual([
        "layers.0.weight:784x64",
        "layers.0.bias:64",
        "layers.1.weight:64x10",
        "layers.1.bias:10",
      ]);
    }
    expect(readdirNoTemporaries(out)).toBe(true);
  });

  it("is deterministic: the same config and seed give byte-identical final.safetensors", () => {
    const again = join(tempDir(), "run");
    expect(crossprop(["run", config, "--out", again, "--quiet"]).status).toBe(0);
    expect(readFileSync(join(again, "final.safetensors")).equals(readFileSync(join(out, "final.safetensors")))).toBe(true);
    expect(readFileSync(join(again, "steps.jsonl"), "utf8")).toBe(readFileSync(join(out, "steps.jsonl"), "utf8"));
  });
});

describe("crossprop run on the wasm engine's threads", () => {
  // Big enough products that the kernels split them between threads: 784 → 256 → 10, batch 256.
  const wide = writeConfig(`name: wide\ndata: { train_size: 4000, test_size: 500 }\nmodel: { hidden: [256] }\ntraining: { epochs: 1, batch_size: 256 }\n`);
  for (const backend of ["manual", "autograd"]) {
    it(`${backend}: 1 and 2 threads give byte-identical final.safetensors, and summary.json records the count`, () => {
      const runs = [1, 2].map((threads) => {
        const dir = join(tempDir(), `threads-${threads}`);
        const result = crossprop(["run", wide, "--backend", `${backend}:wasm`, "--set", `training.threads=${threads}`, "--out", dir, "--quiet"]);
        expect(result.status, result.stderr).toBe(0);
        const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
        expect([summary.engine, summary.threads]).toEqual([expect.stringMatching(/^wasm/), threads]);
        return readFileSync(join(dir, "final.safetensors"));
      });
      expect(runs[0]!.equals(runs[1]!)).toBe(true);
    });
  }
});

function readdirNoTemporaries(dir: string): boolean {
  return !["metrics.jsonl", "steps.jsonl", "summary.json"].some((name) => existsSync(join(dir, `${name}.tmp-${process.pid}`)));
}

describe("crossprop run, failures", () => {
  it("a missed expectation is named and exits 1", () => {
    const config = writeConfig(small.replace("min: 0.85", "min: 0.999").replace("epochs: 2", "epochs: 1"));
    const result = crossprop(["run", config, "--out", join(tempDir(), "run"), "--quiet"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/✗ expect valid_accuracy ≥ 0.999: got 0\.\d+/);
    expect(result.stderr).toBe("error: 1 expectation(s) not met: valid_accuracy\n");
  });

  it("a diverging run stops at the step with a hint, exit 1, and records it", () => {
    const config = writeConfig(small.replace("lr: 0.1", "lr: 1.0e+30"));
    const out = join(tempDir(), "run");
    const result = crossprop(["run", config, "--out", out, "--quiet"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: diverged: the loss is (NaN|Infinity) at step \d+ \(epoch 1\)\. Hint: lower optimizer\.lr/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.status).toBe("diverged");
  });

  it("rejects an unknown backend with a suggestion, exit 2", () => {
    const result = crossprop(["run", writeConfig(small), "--backend", "manuel"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: --backend: expected manual, autograd, tfjs (each optionally :engine, e.g. manual:wasm) or all, comma-separated; got "manuel" — did you mean "manual"?\n');
  });

  it("prints help for run, exit 0", () => {
    const result = crossprop(["run", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: crossprop run \[options\] <config>/);
    expect(result.stdout).toMatch(/--set <path=value>/);
  });
});

describe("crossprop run on tfjs", () => {
  it("names what is missing when the native engine is asked for and absent, exit 2", () => {
    const result = crossprop(["run", writeConfig(small), "--backend", "tfjs", "--set", "tfjs.engine=node", "--quiet", "--out", join(tempDir(), "run")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: .*@tensorflow\/tfjs-node is not installed/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
