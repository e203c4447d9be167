import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors, UserError, type ParamList } from "@crossprop/core";
import type { RunDirectory } from "./run-dir.ts";
import type { EpochRecord, TrainCheckpoint } from "./train.ts";

/**
 * A run's checkpoint, rewritten at the end of each epoch (only the latest is kept): the tensors in
 * checkpoint.safetensors (the parameters by name, the optimizer's state as `optimizer.<name>`), the
 * position in checkpoint.json beside it. The history is not copied: steps.jsonl and metrics.jsonl
 * are brought up to date first, and a resume reads their first `step` and `evaluations` lines (a
 * copy per epoch would grow quadratically). The tensors are written before the JSON, each whole
 * (temporary + rename); both carry the step, so a pair torn by a kill is refused.
 * Nothing else is needed to continue byte for byte: an epoch's batch order and a step's rate are
 * functions of the seed and their numbers (core's trainingSteps).
 */
export const CHECKPOINT_FILE = "checkpoint.json";
export const CHECKPOINT_TENSORS = "checkpoint.safetensors";
const OPTIMIZER_PREFIX = "optimizer.";

/** checkpoint.json. */
export interface CheckpointRecord {
  schema_version: 1;
  /** sha256 of config.resolved.yaml: --resume refuses any other config. */
  config_sha256: string;
  backend: string;
  engine: string;
  /** Epochs and steps completed, of `total_steps`. */
  epoch: number;
  step: number;
  total_steps: number;
  /** Lines of metrics.jsonl (evaluations) at this step; steps.jsonl holds `step` lines. */
  evaluations: number;
  /** What the next batches are drawn from (recomputed, not stored): the seed's order of epoch `next_epoch`. */
  batch_order: { shuffle: boolean; seed: number; next_epoch: number };
  optimizer: { type: string; state: string[] };
  tensors: typeof CHECKPOINT_TENSORS;
  wall_seconds: number;
}

export interface CheckpointContext {
  resolvedYaml: string;
  backend: string;
  engine: string;
  totalSteps: number;
  stepsPerEpoch: number;
  shuffle: boolean;
  seed: number;
  optimizer: string;
}

export function configSha256(resolvedYaml: string): string {
  return createHash("sha256").update(resolvedYaml).digest("hex");
}

/** Writes `checkpoint` into `runDir`: tensors, then checkpoint.json, replacing the previous pair. */
export function writeCheckpoint(runDir: RunDirectory, checkpoint: TrainCheckpoint, context: CheckpointContext): void {
  runDir.writeHistory(checkpoint.history, context.stepsPerEpoch);
  const sha = configSha256(context.resolvedYaml);
  const tensors: ParamList = [...checkpoint.params, ...checkpoint.optimizerState.map((entry) => ({ ...entry, name: OPTIMIZER_PREFIX + entry.name }))];
  runDir.writeParams(CHECKPOINT_TENSORS, tensors, { config_sha256: sha, step: String(checkpoint.step) });
  const record: CheckpointRecord = {
    schema_version: 1,
    config_sha256: sha,
    backend: context.backend,
    engine: context.engine,
    epoch: checkpoint.epoch,
    step: checkpoint.step,
    total_steps: context.totalSteps,
    evaluations: checkpoint.history.epochs.length,
    batch_order: { shuffle: context.shuffle, seed: context.seed, next_epoch: checkpoint.epoch + 1 },
    optimizer: { type: context.optimizer, state: checkpoint.optimizerState.map((entry) => entry.name) },
    tensors: CHECKPOINT_TENSORS,
    wall_seconds: checkpoint.wallSeconds,
  };
  runDir.writeJson(CHECKPOINT_FILE, record);
}

/** The epoch and step of the checkpoint in `dir`, or null: what summary.json names. */
export function checkpointPosition(dir: string): { epoch: number; step: number; file: string } | null {
  try {
    const record = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), "utf8")) as CheckpointRecord;
    return { epoch: record.epoch, step: record.step, file: CHECKPOINT_FILE };
  } catch {
    return null;
  }
}

/** Removes the checkpoint once the run has completed (final.safetensors holds the result). */
export function removeCheckpoint(dir: string): void {
  rmSync(join(dir, CHECKPOINT_FILE), { force: true });
  rmSync(join(dir, CHECKPOINT_TENSORS), { force: true });
}

/**
 * The checkpoint in `dir` to resume from, after checking it belongs to this config (the resolved
 * config's sha256) and that its two files agree. Any refusal is a UserError, exit 2, one line.
 */
export function readCheckpoint(dir: string, resolvedYaml: string): TrainCheckpoint {
  const jsonFile = join(dir, CHECKPOINT_FILE);
  const refuse = (why: string) => new UserError(`--resume: ${why}`);
  if (!existsSync(jsonFile)) {
    const completed = existsSync(join(dir, "final.safetensors"));
    throw refuse(completed ? `the run in ${dir} has completed (final.safetensors): nothing to resume` : `${dir} holds no checkpoint (${CHECKPOINT_FILE}); a run writes one at the end of each epoch`);
  }
  let record: CheckpointRecord;
  try {
    record = JSON.parse(readFileSync(jsonFile, "utf8")) as CheckpointRecord;
  } catch (error) {
    throw refuse(`${jsonFile} is not valid JSON (${(error as Error).message})`);
  }
  if (record.schema_version !== 1 || !Number.isInteger(record.step) || !Number.isInteger(record.evaluations)) throw refuse(`${jsonFile} is not a crossprop checkpoint`);
  if (record.config_sha256 !== configSha256(resolvedYaml)) throw refuse(`the config differs from the one checkpointed in ${dir}${firstDifference(dir, resolvedYaml)}`);
  const tensorFile = join(dir, CHECKPOINT_TENSORS);
  if (!existsSync(tensorFile)) throw refuse(`${tensorFile} is missing`);
  const { tensors, metadata } = decodeSafetensors(readFileSync(tensorFile), tensorFile);
  if (metadata.step !== String(record.step) || metadata.config_sha256 !== record.config_sha256) {
    throw refuse(`${CHECKPOINT_FILE} (step ${record.step}) and ${CHECKPOINT_TENSORS} (step ${metadata.step}) disagree: the run was killed while writing its checkpoint`);
  }
  const stepLosses = firstLines(dir, "steps.jsonl", record.step, refuse).map((line) => (line as { loss_per_example: number }).loss_per_example);
  // steps.jsonl of crossprop before summary schema 2 held `loss`, the batch loss as reduced: not resumable as per example.
  if (stepLosses.some((loss) => loss !== null && typeof loss !== "number")) throw refuse(`${join(dir, "steps.jsonl")} has no loss_per_example: it was written by an older crossprop; start the run afresh with --force`);
  const epochs = firstLines(dir, "metrics.jsonl", record.evaluations, refuse) as EpochRecord[];
  return {
    epoch: record.epoch,
    step: record.step,
    params: tensors.filter((t) => !t.name.startsWith(OPTIMIZER_PREFIX)),
    optimizerState: tensors.filter((t) => t.name.startsWith(OPTIMIZER_PREFIX)).map((t) => ({ ...t, name: t.name.slice(OPTIMIZER_PREFIX.length) })),
    history: { epochs, stepLosses },
    wallSeconds: record.wall_seconds,
  };
}

/** The first `count` lines of a JSON-lines file of the run, parsed; fewer is a refusal. */
function firstLines(dir: string, name: string, count: number, refuse: (why: string) => UserError): unknown[] {
  const file = join(dir, name);
  let lines: string[];
  try {
    lines = readFileSync(file, "utf8").split("\n", count);
  } catch {
    throw refuse(`${file} is missing: the checkpoint needs its first ${count} lines`);
  }
  if (lines.length < count || (count > 0 && lines[count - 1] === "")) throw refuse(`${file} holds fewer than the ${count} lines the checkpoint needs`);
  try {
    return lines.map((line) => JSON.parse(line) as unknown);
  } catch {
    throw refuse(`${file} is not valid JSON lines`);
  }
}

/** `: line 12 is "  epochs: 30", was "  epochs: 20"`, from config.resolved.yaml beside the checkpoint. */
function firstDifference(dir: string, resolvedYaml: string): string {
  let before: string[];
  try {
    before = readFileSync(join(dir, "config.resolved.yaml"), "utf8").split("\n");
  } catch {
    return "";
  }
  const now = resolvedYaml.split("\n");
  for (let i = 0; i < Math.max(before.length, now.length); i++) {
    if (before[i] !== now[i]) return ` (config.resolved.yaml line ${i + 1} is ${JSON.stringify((now[i] ?? "").trim())}, was ${JSON.stringify((before[i] ?? "").trim())})`;
  }
  return "";
}
