import { formatValue } from "./describe.ts";
import { memoryIssues, type MemoryLimit } from "./memory-check.ts";
import type { Config } from "./schema/index.ts";

/**
 * Rules that involve more than one field, which a JSON Schema cannot say plainly. Each check is
 * small and named; it runs on a schema-valid config and reports the field the user should change.
 */

/** Where each field's value came from, so messages can quote the other field's line. */
export interface FieldSources {
  /** True if the user wrote the field (in the file or with --set); false for a filled default. */
  written(path: string): boolean;
  /** "line 4", "--set data.split=standard" or "default". */
  where(path: string): string;
}

/** A problem at `path` (a dotted path the user wrote); the loader adds file, line and column. */
export interface CheckIssue {
  path: string;
  message: string;
  /**
   * The other field of a two-field conflict: `path` is unused because of it (or, `either`, the
   * two exclude each other). When this sibling came from --set and `path` from the file, the
   * loader drops `path` with a note instead of failing (load.ts): the command line wins.
   */
  sibling?: Sibling;
}

export interface Sibling {
  path: string;
  /** Either field, from --set, replaces the other from the file (steps vs epochs); else only the sibling does. */
  either?: boolean;
}

/** `path` is unused because of `sibling`'s value: the one rule behind every "is only used by" check. */
function unusedBecause(path: string, message: string, sibling: string): CheckIssue {
  return { path, message, sibling: { path: sibling } };
}

/** What the checks know about the machine: the memory a run may take (null = not checked). */
export interface CheckContext {
  memoryLimit: MemoryLimit | null;
}

export type ConfigCheck = (config: Config, sources: FieldSources, context: CheckContext) => CheckIssue[];

/** "data.split is standard (line 4)" */
function quote(path: string, value: unknown, sources: FieldSources): string {
  return `${path} is ${typeof value === "string" ? value : formatValue(value)} (${sources.where(path)})`;
}

/** valid_fraction carves a validation set out of the pooled 70k; the standard split has none to carve. */
export const validFractionNeedsPooledSplit: ConfigCheck = (config, sources) => {
  if (!sources.written("data.valid_fraction") || config.data.split === "pooled") return [];
  const message = `${config.data.valid_fraction} is only used when data.split is pooled, but ${quote("data.split", config.data.split, sources)}`;
  return [unusedBecause("data.valid_fraction", message, "data.split")];
};

/** Which init types read each parameter; writing one for another type is a silent no-op, so say so. */
const initFieldUsers = {
  std: ["normal"],
  limit: ["uniform"],
  gain: ["kaiming", "xavier"],
  distribution: ["kaiming", "xavier"],
} as const;

export const initFieldsMatchType: ConfigCheck = (config, sources) => {
  const issues: CheckIssue[] = [];
  for (const which of ["weights", "biases"] as const) {
    const spec = config.model.init[which];
    for (const field of ["std", "limit", "gain", "distribution"] as const) {
      const path = `model.init.${which}.${field}`;
      const users: readonly string[] = initFieldUsers[field];
      if (!sources.written(path) || users.includes(spec.type)) continue;
      const typePath = `model.init.${which}.type`;
      const message = `${formatValue(spec[field])} is only used by type ${users.join(" or ")}, but ${quote(typePath, spec.type, sources)}`;
      issues.push(unusedBecause(path, message, typePath));
    }
  }
  return issues;
};

/** cross_entropy applies its own log-softmax to the outputs, so they must be raw logits. */
export const crossEntropyNeedsIdentityOutput: ConfigCheck = (config, sources) => {
  if (config.loss.type !== "cross_entropy" || config.model.output_activation === "identity") return [];
  const loss = quote("loss.type", config.loss.type, sources);
  const message = `expected identity because ${loss} and takes logits, got ${config.model.output_activation}`;
  return [{ path: "model.output_activation", message }];
};

/** A threshold with min above max can never pass; it is a typo, not a test. */
export const expectMinNotAboveMax: ConfigCheck = (config, sources) => {
  const issues: CheckIssue[] = [];
  for (const [metric, bounds] of Object.entries(config.expect)) {
    if (bounds?.min === undefined || bounds.max === undefined || bounds.min <= bounds.max) continue;
    const maxPath = `expect.${metric}.max`;
    const message = `${bounds.min} is greater than ${maxPath} ${bounds.max} (${sources.where(maxPath)}), so no value can pass`;
    issues.push({ path: `expect.${metric}.min`, message });
  }
  return issues;
};

/** With training.steps set the loop counts steps; an epochs value the user wrote would be ignored. */
export const stepsOrEpochs: ConfigCheck = (config, sources) => {
  if (config.training.steps === null || !sources.written("training.epochs")) return [];
  const message = `is ignored because ${quote("training.steps", config.training.steps, sources)}; keep one of the two`;
  return [{ path: "training.epochs", message, sibling: { path: "training.steps", either: true } }];
};

/** data.path names the directory of dataset idx, and only of it. */
export const idxPathMatchesDataset: ConfigCheck = (config, sources) => {
  const { dataset, path } = config.data;
  if (dataset === "idx" && path === null) return [{ path: "data.dataset", message: "idx needs data.path, the directory holding the IDX files" }];
  if (dataset !== "idx" && sources.written("data.path")) {
    return [unusedBecause("data.path", `is only used by dataset idx, but ${quote("data.dataset", dataset, sources)}`, "data.dataset")];
  }
  return [];
};

/** data.synthetic describes generated data; with a file dataset it would be silently unused. */
export const syntheticOnlyForSyntheticData: ConfigCheck = (config, sources) => {
  if (config.data.dataset === "synthetic-linear" || !sources.written("data.synthetic")) return [];
  return [unusedBecause("data.synthetic", `is only used by dataset synthetic-linear, but ${quote("data.dataset", config.data.dataset, sources)}`, "data.dataset")];
};

/** Regression data has no classes: only mse applies, and class filters or splits mean nothing. */
export const regressionNeedsMse: ConfigCheck = (config, sources) => {
  if (config.data.dataset !== "synthetic-linear") return [];
  const issues: CheckIssue[] = [];
  if (config.loss.type !== "mse") {
    issues.push({ path: "loss.type", message: `expected mse because ${quote("data.dataset", config.data.dataset, sources)} (regression), got ${config.loss.type}` });
  }
  if (config.data.classes !== null) issues.push(unusedBecause("data.classes", `regression data has no classes (${quote("data.dataset", config.data.dataset, sources)})`, "data.dataset"));
  return issues;
};

/** sigmoid_distance and bce score one output against 0/1 labels: exactly two classes. */
export const binaryLossNeedsTwoClasses: ConfigCheck = (config, sources) => {
  const { type } = config.loss;
  if ((type !== "sigmoid_distance" && type !== "bce") || config.data.dataset === "synthetic-linear") return [];
  if (config.data.classes?.length === 2) return [];
  const found = config.data.classes === null ? "all ten" : `${config.data.classes.length}`;
  return [{ path: "data.classes", message: `${quote("loss.type", type, sources)}, a one-output binary loss: list exactly two classes, e.g. [7, 3] (7 → 0, 3 → 1); got ${found}` }];
};

/** Which optimizer types read each optimizer field; writing one for another type is a silent no-op. */
const optimizerFieldUsers = {
  momentum: ["momentum"],
  beta1: ["adam", "adamw"],
  beta2: ["adam", "adamw"],
  epsilon: ["adam", "adamw"],
} as const;

export const optimizerFieldsMatchType: ConfigCheck = (config, sources) => {
  const issues: CheckIssue[] = [];
  for (const [field, users] of Object.entries(optimizerFieldUsers) as [keyof typeof optimizerFieldUsers, readonly string[]][]) {
    const path = `optimizer.${field}`;
    if (!sources.written(path) || users.includes(config.optimizer.type)) continue;
    issues.push(unusedBecause(path, `${config.optimizer[field]} is only used by type ${users.join(" or ")}, but ${quote("optimizer.type", config.optimizer.type, sources)}`, "optimizer.type"));
  }
  const { schedule } = config.optimizer;
  for (const field of ["milestones", "gamma"] as const) {
    const path = `optimizer.schedule.${field}`;
    if (schedule.type !== "step" && sources.written(path)) {
      issues.push(unusedBecause(path, `is only used by schedule type step, but ${quote("optimizer.schedule.type", schedule.type, sources)}`, "optimizer.schedule.type"));
    }
  }
  if (config.loss.type !== "mse" && sources.written("loss.target_scale")) {
    issues.push(unusedBecause("loss.target_scale", `is only used by loss mse, but ${quote("loss.type", config.loss.type, sources)}`, "loss.type"));
  }
  return issues;
};

/** Whatever cannot be allocated is refused before anything is (estimate in memory-check.ts). */
export const runFitsInMemory: ConfigCheck = (config, _sources, context) => memoryIssues(config, context.memoryLimit);

/** Every cross-field check, by name. */
export const configChecks: Readonly<Record<string, ConfigCheck>> = {
  validFractionNeedsPooledSplit,
  initFieldsMatchType,
  crossEntropyNeedsIdentityOutput,
  expectMinNotAboveMax,
  stepsOrEpochs,
  idxPathMatchesDataset,
  syntheticOnlyForSyntheticData,
  regressionNeedsMse,
  binaryLossNeedsTwoClasses,
  optimizerFieldsMatchType,
  runFitsInMemory,
};

export function runChecks(config: Config, sources: FieldSources, context: CheckContext): CheckIssue[] {
  return Object.values(configChecks).flatMap((check) => check(config, sources, context));
}
