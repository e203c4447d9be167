import { readFileSync, writeFileSync } from "node:fs";
import { decodeSafetensors } from "@crossprop/core";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filled, SOLUTION, WRONG_LAYER_0_DZ } from "../../packages/backends/src/starter/solution.fixture.ts";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

/** A learner's backend through the real CLI: new-backend's starter, filled right, filled wrong, and garbage. */
const cwd = tempDir();
const config = writeConfig(`name: mine
seed: 0
data: { dataset: mnist, train_size: 200, test_size: 100 }
model: { hidden: [16], activation: relu, init: { weights: { type: normal, std: 0.1 }, biases: { type: normal, std: 0.1 } } }
loss: { type: cross_entropy, reduction: mean }
optimizer: { type: sgd, lr: 0.5 }
training: { epochs: 1, batch_size: 32 }
check: { steps: 2 }
`);
/** Two of crossprop's backends beside the learner's: enough to outvote a wrong one, fast enough for a test. */
const check = (file: string, ...more: string[]) => crossprop(["check", config, "--backends", `${file},manual:typescript,autograd:typescript`, "--quiet", ...more], cwd);
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |internal error/);

describe("a backend of the user's, from a file", () => {
  const starter = join(cwd, "my-backprop.ts");

  it("new-backend writes the starter, naming the file in its example command, and refuses to overwrite it", () => {
    const made = crossprop(["new-backend", "my-backprop.ts"], cwd);
    expect(made.status).toBe(0);
    expect(made.stdout).toBe("wrote my-backprop.ts: fill in backward(), then run\n  crossprop check configs/mlp.yaml --backends ./my-backprop.ts\n");
    expect(readFileSync(starter, "utf8")).toContain("crossprop check configs/mlp.yaml --backends ./my-backprop.ts\n");
    const again = crossprop(["new-backend", "my-backprop.ts"], cwd);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe("error: new-backend my-backprop.ts: exists already; choose another name, or --force to replace it\n");
  });

  it("the starter as written: exit 2, one line at the line of the starter that says what to do", () => {
    const result = check("./my-backprop.ts");
    const line = readFileSync(starter, "utf8").split("\n").findIndex((l) => l.includes('throw new Error("the backward pass is not written yet')) + 1;
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`error: ./my-backprop.ts:${line}:11: lossAndGradients threw: the backward pass is not written yet: fill in backward() in this file\n`);
    expect(result.stdout).toBe("");
  });

  it("filled in correctly (as a test fills it): check passes", () => {
    writeFileSync(starter, filled(SOLUTION));
    const result = check("./my-backprop.ts");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^PASS: every backend agrees/m);
  });

  it("run --backend ./my-backprop.ts trains it beside a registered backend: its own run directory, the same parameters to float32 rounding", () => {
    const out = join(cwd, "runs");
    const result = crossprop(["run", config, "--backend", "./my-backprop.ts,manual:typescript", "--out", out, "--quiet", "--no-report"], cwd);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "my-backprop", "summary.json"), "utf8")) as { backend: string; status: string };
    expect(summary).toMatchObject({ backend: "./my-backprop.ts", status: "completed" });
    const params = (dir: string) => decodeSafetensors(readFileSync(join(out, dir, "final.safetensors"))).tensors;
    const [mine, theirs] = [params("my-backprop"), params("manual-typescript")];
    // 7 SGD steps; the starter sums in float64 and stores float32, as manual's TypeScript loops: both round once per step.
    mine.forEach((tensor, i) => {
      const other = theirs[i]!;
      const scale = Math.max(...Array.from(other.data, Math.abs));
      tensor.data.forEach((v, j) => expect(Math.abs(v - other.data[j]!)).toBeLessThanOrEqual(1e-5 * scale));
    });
  });

  it("a wrong dz in layer 0: exit 1, the culprit is the user's backend and the tensor layers.0.dz", () => {
    const wrong = join(cwd, "wrong.ts");
    writeFileSync(wrong, filled(WRONG_LAYER_0_DZ));
    const json = join(cwd, "wrong.json");
    const result = check("./wrong.ts", "--json", json);
    expect(result.status).toBe(1);
    // The line is wrapped to 80 columns: read it with its breaks as spaces.
    const text = result.stdout.replace(/\s+/g, " ");
    expect(text).toMatch(/ culprit: \.\/wrong\.ts — layers\.0\.dz: wrong at step 1 \(max rel [\d.e+-]+ at \[\d+, \d+\] > 0\.001\); dlogits, layers\.0\.dh agree; manual:typescript, autograd:typescript agree among themselves /);
    expect(text).toMatch(/ FAIL: \.\/wrong\.ts is wrong, first at layers\.0\.dz;/);
    const report = JSON.parse(readFileSync(json, "utf8")) as { blame: { backend: string; tensor: string; agreeing: string[] } };
    expect(report.blame).toMatchObject({ backend: "./wrong.ts", tensor: "layers.0.dz", agreeing: ["dlogits", "layers.0.dh"] });
    noStack(result.stderr);
  });

  it("garbage: a module that throws on import, exports nothing, or returns the wrong tensors — exit 2, one line each", () => {
    const write = (name: string, text: string) => (writeFileSync(join(cwd, name), text), `./${name}`);
    const cases: [string, string, RegExp][] = [
      ["throws.ts", `throw new RangeError("no");\nexport default {};\n`, /^error: \.\/throws\.ts:1:7: cannot load it: RangeError: no\n$/],
      ["empty.js", `export const nothing = 1;\n`, /^error: \.\/empty\.js: exports no backend: write `export default backend`/],
      [
        "shapes.ts",
        filled(SOLUTION).replace("return { loss, gradients: this.tensors((layer) => [layer.dWeight, layer.dBias]) };", "return { loss, gradients: this.tensors((layer) => [layer.dWeight, layer.dBias]).slice(1) };"),
        /^error: \.\/shapes\.ts: lossAndGradients' gradients: expected the tensors layers\.0\.weight, layers\.0\.bias, layers\.1\.weight, layers\.1\.bias in that order, got layers\.0\.bias, layers\.1\.weight, layers\.1\.bias\n$/,
      ],
      ["nan.ts", filled(`${SOLUTION}\n    this.layers[0]!.dBias[0] = NaN;\n`), /^error: \.\/nan\.ts: lossAndGradients' gradients: layers\.0\.bias: element 0 is NaN, not a finite number\n$/],
    ];
    for (const [name, text, message] of cases) {
      const result = check(write(name, text));
      expect(result.stderr, name).toMatch(message);
      expect(result.status, name).toBe(2);
      noStack(result.stderr);
    }
  });

  it("a loss the module does not declare: exit 2 at the config's line, naming the module", () => {
    const result = check("./my-backprop.ts", "--set", "loss.type=bce", "--set", "data.classes=[3, 7]");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: .*: loss\.type: backend \.\/my-backprop\.ts does not support loss bce/);
    noStack(result.stderr);
  });
});
