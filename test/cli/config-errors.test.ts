import { describe, expect, it } from "vitest";
import { crossprop, writeConfig } from "./helpers.ts";

// The acceptance cases, through the real CLI: one clear line, line:column, suggestion, exit 2,
// no stack trace. (Every message shape is unit-tested in packages/config/src.)
const good = `name: t
data: { train_size: 100, test_size: 100 }
training: { epochs: 1 }
`;

function expectUsageError(result: { status: number | null; stderr: string; stdout: string }, line: string) {
  expect(result.status).toBe(2);
  expect(result.stderr).toBe(`error: ${line}\n`);
  expect(result.stdout).toBe("");
}

describe("config errors through the CLI", () => {
  it("a misspelled key gives its line:column and the suggestion", () => {
    const config = writeConfig(`${good}optimzer:\n  lr: 0.5\n`);
    expectUsageError(crossprop(["run", config]), `${config}:4:1: optimzer: unknown key — did you mean "optimizer"?`);
  });

  it("--set training.batch_size=0 is rejected by the same schema", () => {
    const config = writeConfig(good);
    expectUsageError(
      crossprop(["run", config, "--set", "training.batch_size=0"]),
      '--set training.batch_size=0: training.batch_size: expected an integer ≥ 1 or "full", got 0',
    );
  });

  it("reports every error at once, one line each", () => {
    const config = writeConfig(`name: t\nmodel: { activation: relu6 }\ntraining: { epochs: 0, batch_size: x }\n`);
    const result = crossprop(["run", config]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `error: ${config}:2:22: model.activation: expected one of relu, tanh, sigmoid, identity, got "relu6" — did you mean "relu"?`,
      `error: ${config}:3:21: training.epochs: expected an integer ≥ 1, got 0`,
      `error: ${config}:3:36: training.batch_size: expected an integer ≥ 1 or "full", got "x"`,
    ]);
  });

  it("a data size beyond the dataset points at its line", () => {
    const config = writeConfig(`name: t\ndata:\n  test_size: 20000\n`);
    expectUsageError(crossprop(["run", config]), `${config}:3:14: data.test_size: 20000 is more than the 10000 validation examples available`);
  });

  it("a missing config file is one clear line", () => {
    const result = crossprop(["run", "does/not/exist.yaml"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: does\/not\/exist\.yaml: /);
    expect(result.stderr.split("\n").length).toBe(2);
  });

  it("what a backend does not support is refused before any backend trains, at the line that asked for it", () => {
    // run --backend manual,tfjs in float64: manual could train it, tfjs cannot — neither starts.
    const config = writeConfig(`${good}dtype: float64\n`);
    const result = crossprop(["run", config, "--backend", "manual,tfjs"]);
    expectUsageError(result, `${config}:4:8: dtype: backend tfjs does not support dtype float64 (supported: float32)`);
    const checked = crossprop(["check", config, "--set", "check.backends=[manual,tfjs]"]);
    expectUsageError(checked, `${config}:4:8: dtype: backend tfjs does not support dtype float64 (supported: float32)`);
  });
});
