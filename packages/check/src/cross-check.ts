import {
  BatchMaker,
  compareArrays,
  epochRows,
  EventLoopYield,
  initParams,
  InterruptedError,
  stopSignalName,
  relativeDifference,
  trainingSteps,
  unravelIndex,
  type Backend,
  type Batch,
  type Model,
  type ParamList,
  type StopSignal,
} from "@crossprop/core";
import { stepPlan, type Experiment } from "@crossprop/config";
import { blameByAgreement, firstDifference, isBackward, type Blame, type Compared } from "./blame.ts";
import { numericalGradientCheck, type NumericalRow } from "./numerical.ts";
import { stepFigures, type StepFigures } from "./step-figures.ts";
import { pairTolerance, type PairTolerance, type ToleranceOverride } from "./tolerances.ts";

export interface CheckOptions {
  /** The reference first, then the backends compared with it; each has passed the registry's checks. */
  backends: Backend[];
  steps: number;
  override: ToleranceOverride;
  fdSamples: number;
  fdRows: number;
  /**
   * Before each step, give every backend the reference's parameters, so each step compares the
   * implementations on identical inputs. Without it, float32 rounding differences compound
   * through the trajectory (a ReLU unit near 0 flips in one backend and not the other) and the
   * comparison measures chaos rather than gradients.
   */
  sync: boolean;
  /** Polled between steps: once aborted, the check stops with an InterruptedError (exit 130/143). */
  signal?: StopSignal;
}

/** One tensor of one backend against the reference at one step. */
export interface TensorRow {
  tensor: string;
  kind: "intermediate" | "gradient" | "output" | "parameter";
  backend: string;
  exact: boolean;
  allclose: boolean;
  max_abs: number;
  max_rel: number;
  worst_index: number[] | null;
}

export interface StepLosses {
  step: number;
  /** The loss each backend computed for the step's batch (before its update). */
  loss: Record<string, number>;
  /** |loss − reference| / |reference| per backend. */
  rel: Record<string, number>;
}

export interface Divergence {
  step: number;
  backend: string;
  tensor: string;
  kind: TensorRow["kind"] | "loss";
  index: number[] | null;
  max_rel: number;
  tolerance: number;
}

export interface CheckResult {
  engines: Record<string, string>;
  tolerances: Record<string, PairTolerance>;
  losses: StepLosses[];
  firstStep: TensorRow[];
  lastStep: TensorRow[];
  /** Per step, each backend's loss and worst tensor of each kind against the reference and its tolerance. */
  perStep: StepFigures[];
  /** Every row of the step the first divergence happened at (null: none). */
  divergentStep: { step: number; rows: TensorRow[] } | null;
  firstDivergence: Divergence | null;
  /** At the first divergence: the backend that disagrees with all the others while they agree (null: none can be told). */
  blame: Blame | null;
  numerical: NumericalRow[];
  passed: boolean;
}

interface StepOutcome {
  /** The model's per-layer tensors for the step's batch (null: it has no intermediates method). */
  intermediates: ParamList | null;
  loss: number;
  gradients: ParamList;
  outputs: ArrayLike<number>;
  params: ParamList;
}

/**
 * Trains every backend from identical initial parameters on the identical batch sequence for
 * `steps` steps, comparing each with the reference at every step, then checks every backend's
 * gradients against finite differences.
 */
export async function crossCheck(experiment: Experiment, options: CheckOptions, onStep?: (losses: StepLosses) => void): Promise<CheckResult> {
  const { config, spec, dataset } = experiment;
  const initial = initParams(spec, experiment.init, config.seed);
  const referenceName = options.backends[0]!.name;
  const models = new Map<string, Model>();
  try {
    for (const backend of options.backends) models.set(backend.name, await backend.createModel(spec, initial, experiment.optimizer));
    const tolerances = Object.fromEntries(
      options.backends.slice(1).map(({ name }) => [`${name}~${referenceName}`, pairTolerance(spec.dtype, name, referenceName, options.override)]),
    );
    const steps = stepPlan(experiment, options.steps);

    // Finite differences first, while every model still holds the initial parameters: the first
    // rows of the first batch.
    const fdRows = Math.min(options.fdRows, steps.batchSize, dataset.train.count);
    const fdMaker = new BatchMaker(dataset.train, fdRows, spec.dtype, experiment.encoding);
    const fdBatch = fdMaker.make(epochRows(steps, 1).subarray(0, fdRows));
    const fdGradients = new Map<string, ParamList>();
    for (const [name, model] of models) fdGradients.set(name, (await model.lossAndGradients(fdBatch)).gradients);
    const numerical = numericalGradientCheck(spec, initial, fdBatch, fdGradients, { samples: options.fdSamples, seed: config.seed, dtype: spec.dtype });

    const losses: StepLosses[] = [];
    let firstStep: TensorRow[] = [];
    let lastStep: TensorRow[] = [];
    const perStep: StepFigures[] = [];
    let divergentStep: CheckResult["divergentStep"] = null;
    let firstDivergence: Divergence | null = null;
    let blame: Blame | null = null;
    let blamed = false;
    let synced: ParamList | null = null;
    const yielder = new EventLoopYield();
    for (const { step, batch, lr } of trainingSteps(steps)) {
      await yielder.maybe();
      if (options.signal?.aborted) throw new InterruptedError(stopSignalName(options.signal), `interrupted by ${stopSignalName(options.signal)} after step ${step - 1} of ${options.steps}: no report was written`);
      if (options.sync && synced) for (const [name, model] of models) if (name !== referenceName) await model.setParams(synced);
      const outcomes = new Map<string, StepOutcome>();
      for (const [name, model] of models) outcomes.set(name, await stepModel(model, batch, lr));
      const reference = outcomes.get(referenceName)!;
      synced = reference.params;
      const stepLosses: StepLosses = { step, loss: {}, rel: {} };
      const rows: TensorRow[] = [];
      // Intermediates are compared when every backend has them (a backend without them is compared on the rest).
      const withIntermediates = [...outcomes.values()].every((o) => o.intermediates !== null);
      const sequences = new Map([...outcomes].map(([name, outcome]) => [name, comparedSequence(outcome, withIntermediates, spec.layers.at(-1)!.outputs)]));
      for (const [name, outcome] of outcomes) {
        stepLosses.loss[name] = outcome.loss;
        if (name === referenceName) continue;
        const tolerance = tolerances[`${name}~${referenceName}`]!;
        stepLosses.rel[name] = relativeDifference(outcome.loss, reference.loss);
        rows.push(...compareSequences(name, sequences.get(name)!, sequences.get(referenceName)!, tolerance));
        // The first quantity out of tolerance, in the order backprop computes them: where this backend's derivation leaves the reference's.
        const bad = firstDifference(sequences.get(name)!, sequences.get(referenceName)!, tolerance);
        if (!firstDivergence && bad) firstDivergence = { step, backend: name, ...bad };
      }
      if (firstDivergence?.step === step && blame === null && !blamed) {
        blamed = true;
        const failsFd = (backend: string) => numerical.some((row) => row.backend === backend && !row.passed);
        blame = blameByAgreement(step, sequences, (a, b) => pairTolerance(spec.dtype, a, b, options.override), failsFd);
      }
      losses.push(stepLosses);
      perStep.push(stepFigures(step, stepLosses.rel, rows, tolerances, referenceName));
      if (firstDivergence?.step === step) divergentStep ??= { step, rows };
      onStep?.(stepLosses);
      if (step === 1) firstStep = rows;
      lastStep = rows;
    }
    const engines = Object.fromEntries([...models].map(([name, model]) => [name, model.engine]));
    return { engines, tolerances, losses, firstStep, lastStep, perStep, divergentStep, firstDivergence, blame, numerical, passed: firstDivergence === null && numerical.every((row) => row.passed) };
  } finally {
    for (const model of models.values()) model.dispose();
  }
}

/** What one backend does with a batch: its intermediates, loss and gradients, outputs, then its update. */
async function stepModel(model: Model, batch: Batch, lr: number): Promise<StepOutcome> {
  const intermediates = model.intermediates ? await model.intermediates(batch) : null;
  const { loss, gradients } = await model.lossAndGradients(batch);
  const outputs = await model.predict(batch.inputs, batch.size);
  await model.trainStep(batch, lr);
  return { intermediates, loss, gradients, outputs, params: await model.getParams() };
}

/**
 * A step's quantities in the order backprop computes them: the forward pass's z and h, the loss,
 * the backward pass's dlogits, dh and dz (last layer first), the parameter gradients, the outputs
 * predict gives, the parameters after the update. A divergence is named by the first of these.
 */
function comparedSequence(outcome: StepOutcome, withIntermediates: boolean, width: number): Compared[] {
  const intermediates = withIntermediates ? outcome.intermediates! : [];
  const tensor = (kind: Compared["kind"]) => (t: { name: string; shape: number[]; data: ArrayLike<number> }): Compared => ({ tensor: t.name, kind, data: t.data, shape: t.shape });
  return [
    ...intermediates.filter((t) => !isBackward(t.name)).map(tensor("intermediate")),
    { tensor: "loss", kind: "loss", data: [outcome.loss], shape: [] },
    ...intermediates.filter((t) => isBackward(t.name)).map(tensor("intermediate")),
    ...outcome.gradients.map(tensor("gradient")),
    { tensor: "logits", kind: "output", data: outcome.outputs, shape: [outcome.outputs.length / width, width] },
    ...outcome.params.map(tensor("parameter")),
  ];
}

/** The report's rows (every tensor but the loss) of one backend's sequence against the reference's. */
function compareSequences(backend: string, sequence: readonly Compared[], reference: readonly Compared[], tolerance: PairTolerance): TensorRow[] {
  return sequence.flatMap((mine, i): TensorRow[] => {
    if (mine.kind === "loss") return [];
    const diff = compareArrays(mine.data, reference[i]!.data, mine.kind === "intermediate" ? tolerance.intermediates : tolerance.tensors);
    return [{
      tensor: mine.tensor,
      kind: mine.kind,
      backend,
      exact: diff.exact,
      allclose: diff.allclose,
      max_abs: diff.maxAbs,
      max_rel: diff.maxRel,
      worst_index: diff.index < 0 ? null : unravelIndex(diff.index, mine.shape),
    }];
  });
}
