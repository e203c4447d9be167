import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./load.ts";
import { describeReplacement } from "./replacements.ts";
import { issuesOf, removeConfigs, writeConfig } from "./configs.fixture.ts";

afterAll(removeConfigs);

// The shape of configs/mlp.yaml where it matters: split pooled with valid_fraction, normal init with std, epochs.
const mlp = "name: mlp\ndata:\n  split: pooled\n  valid_fraction: 0.15\nmodel:\n  init:\n    weights: { type: normal, std: 1.0 }\ntraining:\n  epochs: 20\n";

/** The notes and config of loading `text` with `sets`. */
function load(text: string, sets: string[]) {
  const file = writeConfig(text);
  const loaded = loadConfig(file, sets);
  return { file, loaded, notes: loaded.replacements.map(describeReplacement) };
}

describe("a --set wins over the file's conflicting sibling", () => {
  it("--set training.steps=60 drops the file's epochs, with one note quoting it as written", () => {
    const { file, loaded, notes } = load(mlp, ["training.steps=60"]);
    expect(notes).toEqual([`--set training.steps=60 replaces training.epochs: 20 from ${file}`]);
    expect(loaded.config.training).toMatchObject({ steps: 60, epochs: 1 });
    expect(loaded.resolvedYaml).toMatch(/\n {2}epochs: 1\n {2}steps: 60\n/);
  });

  it("--set data.split=standard drops valid_fraction; --set model.init.weights.type=kaiming drops std (1.0 as the file spells it)", () => {
    const split = load(mlp, ["data.split=standard"]);
    expect(split.notes).toEqual([`--set data.split=standard replaces data.valid_fraction: 0.15 from ${split.file}`]);
    expect(split.loaded.config.data.split).toBe("standard");
    const init = load(mlp, ["model.init.weights.type=kaiming"]);
    expect(init.notes).toEqual([`--set model.init.weights.type=kaiming replaces model.init.weights.std: 1.0 from ${init.file}`]);
    expect(init.loaded.config.model.init.weights.type).toBe("kaiming");
  });

  it("steps and epochs exclude each other, so --set training.epochs=3 drops the file's steps", () => {
    const { file, loaded, notes } = load("name: t\ntraining: { steps: 60 }\n", ["training.epochs=3"]);
    expect(notes).toEqual([`--set training.epochs=3 replaces training.steps: 60 from ${file}`]);
    expect(loaded.config.training).toMatchObject({ steps: null, epochs: 3 });
  });

  it("every rule that makes a field unused: optimizer, schedule, loss, dataset", () => {
    const text = "name: t\noptimizer: { type: momentum, momentum: 0.9, schedule: { type: step, milestones: [2] } }\nloss: { type: mse, target_scale: 0.9 }\nmodel: { output_activation: identity }\n";
    const { notes } = load(text, ["optimizer.type=sgd", "optimizer.schedule.type=constant", "loss.type=cross_entropy"]);
    expect(notes.map((note) => note.split(" from ")[0])).toEqual([
      "--set optimizer.type=sgd replaces optimizer.momentum: 0.9",
      "--set optimizer.schedule.type=constant replaces optimizer.schedule.milestones: [2]",
      "--set loss.type=cross_entropy replaces loss.target_scale: 0.9",
    ]);
  });

  it("no conflict, no note", () => {
    expect(load(mlp, ["optimizer.lr=0.5", "training.epochs=3"]).notes).toEqual([]);
  });
});

describe("a conflict within one source is still an error", () => {
  it("two keys of the file", () => {
    const { issues } = issuesOf("name: t\ntraining: { epochs: 3, steps: 100 }\n");
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual(["training.epochs: is ignored because training.steps is 100 (line 2); keep one of the two"]);
  });

  it("two --set values", () => {
    const { issues } = issuesOf("name: t\n", ["training.steps=5", "training.epochs=3"]);
    expect(issues).toEqual([{ path: "training.epochs", origin: "--set training.epochs=3", message: "is ignored because training.steps is 5 (--set training.steps=5); keep one of the two" }]);
  });

  it("a --set of the unused field does not drop the file's deciding one: its message says what to set", () => {
    const { issues } = issuesOf("name: t\noptimizer: { type: sgd }\n", ["optimizer.momentum=0.9"]);
    expect(issues).toEqual([{ path: "optimizer.momentum", origin: "--set optimizer.momentum=0.9", message: "0.9 is only used by type momentum, but optimizer.type is sgd (line 2)" }]);
  });

  it("a rule that is not about an unused field (cross_entropy needs identity outputs) drops nothing", () => {
    const { issues } = issuesOf("name: t\nmodel: { output_activation: sigmoid }\n", ["loss.type=cross_entropy"]);
    expect(issues.map((i) => i.path)).toEqual(["model.output_activation"]);
  });
});
