import { lstatSync, readdirSync, readFileSync, realpathSync, type Stats } from "node:fs";
import { join, relative, sep } from "node:path";
import { decodeSafetensors, UserError, type ParamList } from "@crossprop/core";
import type { Config } from "@crossprop/config";
import { checkExpectations, type FinishedRunSummary } from "@crossprop/run";
import { parse } from "yaml";
import { canonicalJson, trialId } from "./identity.ts";
import { trialRunDir } from "./record.ts";

/**
 * What a trial's run directory shows. Only `finished` is trusted as a result, and only after its
 * summary.json has been checked against the config beside it, whose hash must be the trial's id.
 */
export type TrialEvidence =
  | { kind: "missing"; dir: string }
  /** A directory without a finished summary: the trial failed, was interrupted or never wrote one. */
  | { kind: "unfinished"; dir: string }
  /** `expect`: the bounds the trial ran with (its config.resolved.yaml's), which its summary's expectations follow from. */
  | { kind: "finished"; dir: string; summary: FinishedRunSummary; expect: Config["expect"] };

/** A trial directory that contradicts itself or its id: a usage error (exit 2) naming the file. */
export class TrialEvidenceError extends UserError {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`, 2);
    this.name = "TrialEvidenceError";
  }
}

/** Files a run writes are kilobytes to megabytes; anything larger is not one (and is not read). */
const MAX_EVIDENCE_BYTES = 64 * 1024 * 1024;

/**
 * Trial `id`'s run directory inside sweep directory `sweepDir`, checked: it must lie inside the
 * sweep directory after every symbolic link is resolved, hold only directories and regular files
 * (a link could point anywhere, a FIFO would block), and — if its summary.json says completed or
 * diverged — have a config.resolved.yaml that hashes to `id` and a summary that agrees with that
 * config and with metrics.jsonl. Throws TrialEvidenceError otherwise.
 */
export function trialEvidence(sweepDir: string, id: string): TrialEvidence {
  const dir = join(sweepDir, trialRunDir(id));
  const stats = lstatSync(dir, { throwIfNoEntry: false });
  if (!stats) return { kind: "missing", dir };
  const root = realpathSync(sweepDir);
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (error) {
    throw new TrialEvidenceError(dir, `cannot resolve: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const inside = relative(root, real);
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || inside.startsWith(sep)) {
    throw new TrialEvidenceError(dir, `resolves to ${real}, outside the sweep directory ${root}`);
  }
  if (!realStats(dir).isDirectory()) throw new TrialEvidenceError(dir, "not a directory");
  checkEntries(dir);

  const summary = readSummary(join(dir, "summary.json"));
  if (summary === null) return { kind: "unfinished", dir };
  const config = readConfig(join(dir, "config.resolved.yaml"), id);
  checkFinal(join(dir, "summary.json"), summary, join(dir, "metrics.jsonl"));
  checkSummary(join(dir, "summary.json"), summary, config);
  return { kind: "finished", dir, summary, expect: config.expect ?? {} };
}

/**
 * A finished trial's summary judged by `expect`, the bounds of the plan now, instead of those it
 * ran with: bounds are not part of a trial's id, so a changed threshold re-judges the trial from
 * its verified metrics instead of retraining it. Parameter bounds that changed are checked
 * against the trial's final.safetensors; unchanged ones keep the verified results.
 */
export function rejudged(evidence: Extract<TrialEvidence, { kind: "finished" }>, expect: Config["expect"]): FinishedRunSummary {
  const { summary } = evidence;
  if (summary.status !== "completed") return summary;
  const { parameters, ...metricBounds } = expect;
  const metrics = checkExpectations(metricBounds, { ...summary.final });
  const sameParameters = canonicalJson(parameters ?? {}) === canonicalJson(evidence.expect.parameters ?? {});
  const params = sameParameters
    ? summary.expectations.filter((e) => e.bound === "atol")
    : checkExpectations({ parameters: parameters ?? {} }, {}, finalParams(join(evidence.dir, "final.safetensors")));
  const expectations = [...metrics, ...params];
  return { ...summary, expectations, passed: expectations.every((e) => e.passed) };
}

/** The trial's final parameters, for parameter bounds it did not run with. */
function finalParams(file: string): ParamList {
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile()) throw new TrialEvidenceError(file, "missing; expect.parameters changed, and a finished trial's final parameters are needed to check them");
  if (stats.size > MAX_EVIDENCE_BYTES) throw new TrialEvidenceError(file, `${stats.size} bytes, larger than any run writes (${MAX_EVIDENCE_BYTES})`);
  return decodeSafetensors(readFileSync(file), file).tensors;
}

function realStats(path: string): Stats {
  return lstatSync(realpathSync(path));
}

/** Every entry under `dir` is a directory or a regular file. */
function checkEntries(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) checkEntries(path);
    else if (entry.isSymbolicLink()) throw new TrialEvidenceError(path, "a symbolic link; a trial directory holds only the files its run wrote");
    else if (!entry.isFile()) throw new TrialEvidenceError(path, "not a regular file; a trial directory holds only the files its run wrote");
  }
}

function readText(file: string): string | null {
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (!stats) return null;
  if (stats.size > MAX_EVIDENCE_BYTES) throw new TrialEvidenceError(file, `${stats.size} bytes, larger than any run writes (${MAX_EVIDENCE_BYTES})`);
  return readFileSync(file, "utf8");
}

/** The summary if it says completed or diverged; null if absent or not finished (running, failed). */
function readSummary(file: string): FinishedRunSummary | null {
  const text = readText(file);
  if (text === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TrialEvidenceError(file, `not JSON: ${(error as Error).message}`);
  }
  const problem = summaryShapeProblem(data);
  if (problem) throw new TrialEvidenceError(file, `not a run summary: ${problem}`);
  const summary = data as FinishedRunSummary;
  return summary.status === "completed" || summary.status === "diverged" ? summary : null;
}

const isNumberOrNull = (value: unknown) => value === null || typeof value === "number";
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

/** What about `data` is not a summary.json this code can trust the fields of, or null. */
export function summaryShapeProblem(data: unknown): string | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return "expected an object";
  const s = data as Record<string, unknown>;
  if (!["completed", "diverged", "running", "failed", "interrupted"].includes(s.status as string)) return `status ${JSON.stringify(s.status)}`;
  if (typeof s.name !== "string" || typeof s.backend !== "string") return "name and backend must be strings";
  if (s.engine !== null && typeof s.engine !== "string") return "engine must be a string or null";
  if (s.error !== undefined && typeof s.error !== "string") return "error must be a string";
  if (s.schema_version !== 2) return `schema_version ${JSON.stringify(s.schema_version)}, not 2: written by another crossprop (before 2, epochs counted evaluations); rerun the sweep with --force`;
  if (!Number.isInteger(s.seed) || !isCount(s.steps) || !isCount(s.evaluations)) return "seed, steps and evaluations must be integers";
  if (typeof s.epochs !== "number" || !(s.epochs >= 0)) return "epochs must be a number ≥ 0";
  const final = s.final as Record<string, unknown> | null;
  if (final === null || typeof final !== "object" || !["train_loss", "valid_loss", "valid_accuracy"].every((key) => isNumberOrNull(final[key]))) {
    return "final must hold train_loss, valid_loss and valid_accuracy (numbers or null)";
  }
  if (!["wall_seconds", "seconds_per_epoch", "samples_per_second"].every((key) => isNumberOrNull(s[key]))) return "timings must be numbers or null";
  if (typeof s.passed !== "boolean" || !Array.isArray(s.expectations)) return "passed must be a boolean and expectations a list";
  for (const e of s.expectations as Record<string, unknown>[]) {
    const ok = e !== null && typeof e === "object" && typeof e.metric === "string" && ["min", "max", "atol"].includes(e.bound as string);
    if (!ok || typeof e.threshold !== "number" || !isNumberOrNull(e.value) || typeof e.passed !== "boolean") return "an expectation without metric, bound, threshold, value, passed";
  }
  return null;
}

/** config.resolved.yaml, which must hash to the trial's id: the directory is then this trial's. */
function readConfig(file: string, id: string): Config {
  const text = readText(file);
  if (text === null) throw new TrialEvidenceError(file, "missing; a finished trial's config must be beside its summary.json");
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    throw new TrialEvidenceError(file, `not YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const hash = trialId(config);
  if (hash !== id) throw new TrialEvidenceError(file, `its config hashes to ${hash}, not to the trial's id ${id}: the directory holds another run`);
  return config as Config;
}

/** The summary agrees with the config it ran: name, backend, seed, expect: bounds, passed. */
function checkSummary(file: string, summary: FinishedRunSummary, config: Config): void {
  for (const key of ["name", "backend", "seed"] as const) {
    if (summary[key] !== config[key]) throw new TrialEvidenceError(file, `${key} is ${JSON.stringify(summary[key])}, but the trial's config says ${JSON.stringify(config[key])}`);
  }
  if (summary.status === "completed") {
    const { parameters, ...metricBounds } = config.expect;
    // Compared as sets: the key order of expect: may differ between the config as loaded and as written.
    const key = (e: { metric: string; bound: string }) => `${e.metric} ${e.bound}`;
    const sorted = <T extends { metric: string; bound: string }>(list: T[]) => [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const expected = sorted(checkExpectations(metricBounds, { ...summary.final }));
    const recorded = sorted(summary.expectations.filter((e) => e.bound !== "atol"));
    if (canonicalJson(recorded) !== canonicalJson(expected)) {
      throw new TrialEvidenceError(file, `expectations ${canonicalJson(recorded)} do not follow from the config's expect: bounds and the final metrics (${canonicalJson(expected)})`);
    }
    const atol = summary.expectations.filter((e) => e.bound === "atol");
    const bounds = new Map(Object.entries(parameters ?? {}).map(([name, { atol: threshold }]) => [`parameters.${name}`, threshold]));
    const consistent =
      atol.length === bounds.size &&
      new Set(atol.map((e) => e.metric)).size === atol.length &&
      atol.every((e) => bounds.get(e.metric) === e.threshold && e.passed === (e.value !== null && e.value <= e.threshold));
    if (!consistent) throw new TrialEvidenceError(file, "parameter expectations do not follow from the config's expect.parameters");
  } else if (summary.expectations.length > 0) {
    throw new TrialEvidenceError(file, "a diverged run checks no expectations");
  }
  const passed = summary.status === "completed" && summary.expectations.every((e) => e.passed);
  if (summary.passed !== passed) throw new TrialEvidenceError(file, `passed is ${summary.passed}, but status ${summary.status} and its expectations make it ${passed}`);
}

/** summary.json's final metrics and evaluations are metrics.jsonl's last line and line count. */
function checkFinal(file: string, summary: FinishedRunSummary, metricsFile: string): void {
  const text = readText(metricsFile) ?? "";
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  let last: Record<string, unknown> | undefined;
  try {
    last = lines.length > 0 ? (JSON.parse(lines.at(-1)!) as Record<string, unknown>) : undefined;
  } catch (error) {
    throw new TrialEvidenceError(metricsFile, `last line is not JSON: ${(error as Error).message}`);
  }
  if (summary.evaluations !== lines.length) throw new TrialEvidenceError(file, `evaluations is ${summary.evaluations}, but ${metricsFile} records ${lines.length}`);
  for (const key of ["train_loss", "valid_loss", "valid_accuracy"] as const) {
    const recorded = last?.[key] ?? null;
    if (summary.final[key] !== recorded) throw new TrialEvidenceError(file, `final.${key} is ${summary.final[key]}, but ${metricsFile} ends with ${recorded}`);
  }
}
