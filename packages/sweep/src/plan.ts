import { checkBackendSupport, ConfigError, parseConfig, parseConfigDocument, readConfigText, type LoadedConfig, type LoadOptions, type Replacement } from "@crossprop/config";
import { gridPoints, gridSize } from "./grid.ts";
import { shortHash, trialId } from "./identity.ts";
import { overrideText, type TrialParam } from "./param-text.ts";
import { randomPoints, type SweepSection } from "./random.ts";
import { checkSection } from "./section.ts";
import { SweptReplacements } from "./swept-replacements.ts";
import { withoutSweep } from "./trial-config.ts";
import { trialsError, type TrialFailure } from "./trial-issues.ts";

export interface PlannedTrial {
  /** 1-based position in the plan; sharding and every output order trials by it. */
  index: number;
  /** Short hash of the resolved config (sweep section stripped): names trials/<id>/. */
  id: string;
  params: TrialParam[];
  /** The overrides that make this trial: the command line's --set, then the trial's values. */
  sets: string[];
  /** The trial's pass/fail bounds: not part of its id, so a finished trial is re-judged by the current ones. */
  expect?: LoadedConfig["config"]["expect"];
}

export interface SweepPlan {
  name: string;
  file: string;
  /** The config text, read once: every trial (in any worker) is parsed from these bytes. */
  text: string;
  sweep: SweepSection;
  /** Swept paths in column order: grid paths, then random ones. */
  paths: string[];
  trials: PlannedTrial[];
  /** Points whose resolved config equals an earlier one's; each config runs once. */
  duplicates: number;
  /** Short hash of the trial ids in order: the default sweep directory is sweep-<hash>. */
  hash: string;
  /** How the points were made, e.g. "3 × 4 grid" or "3 grid × 8 random draws". */
  shape: string;
  /** Fields of the file that a --set or a swept value replaced: one note each for the whole sweep. */
  replacements: Replacement[];
}

/**
 * The most trials a plan may hold. Each is validated before anything runs (a few ms apiece, so
 * 10,000 take under a minute); past this the grid is a typo or a job for several sweeps.
 */
export const MAX_TRIALS = 10_000;

/**
 * Expands a config's `sweep:` section into trials and validates every trial's config with the
 * schema, the checks and its backend's support before anything runs; all problems are thrown
 * together as one ConfigError.
 */
export function buildPlan(file: string, sets: readonly string[] = [], options: LoadOptions = {}): SweepPlan {
  const text = readConfigText(file);
  const base = parseConfig(text, file, sets, options);
  const { sweep } = base.config;
  if (!sweep) {
    throw new ConfigError([{ path: "sweep", origin: file, message: "missing; a sweep config needs a sweep: section with grid (path → list of values) or random" }]);
  }
  checkPlanSize(sweep, base);
  const document = parseConfigDocument(text, file).document!;
  const sectionIssues = checkSection(sweep, document, file);
  if (sectionIssues.length > 0) throw new ConfigError(sectionIssues);

  const draws = sweep.random ? randomPoints(sweep.random) : [[]];
  const points = gridPoints(sweep.grid).flatMap((gridPoint) => draws.map((draw) => [...gridPoint, ...draw]));
  const trials: PlannedTrial[] = [];
  const failures: TrialFailure[] = [];
  const seen = new Set<string>();
  const swept = new SweptReplacements(sweep, sets.length, points.length);
  points.forEach((params, i) => {
    const trialSets = [...sets, ...params.map(overrideText)];
    try {
      const loaded = parseConfig(text, file, trialSets, options);
      checkBackendSupport(loaded);
      swept.add(loaded.replacements, params);
      const id = trialId(withoutSweep(loaded).config);
      if (seen.has(id)) return;
      seen.add(id);
      trials.push({ index: trials.length + 1, id, params, sets: trialSets, expect: loaded.config.expect });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      failures.push({ number: i + 1, params, issues: error.issues });
    }
  });
  if (failures.length > 0) throw trialsError(failures, { sweep, document, file, total: points.length });

  return {
    name: base.config.name,
    file,
    text,
    sweep,
    paths: [...Object.keys(sweep.grid), ...Object.keys(sweep.random?.params ?? {})],
    trials,
    duplicates: points.length - trials.length,
    hash: shortHash(trials.map((trial) => trial.id).join("\n")),
    shape: planShape(sweep),
    replacements: [...base.replacements, ...swept.list()],
  };
}

/** Refuses a plan of more than MAX_TRIALS points before any is made (a 10-path × 10-value grid is 10^10). */
function checkPlanSize(sweep: SweepSection, base: LoadedConfig): void {
  const grid = gridSize(sweep.grid);
  const size = grid * (sweep.random?.trials ?? 1);
  if (size <= MAX_TRIALS) return;
  const path = sweep.random && sweep.random.trials > MAX_TRIALS / Math.max(1, grid) && grid <= MAX_TRIALS ? "sweep.random.trials" : "sweep.grid";
  const count = size < 1e15 ? size.toLocaleString("en-US") : size.toExponential(2);
  const message = `the plan has ${count} trials (${planShape(sweep)}), more than the ${MAX_TRIALS.toLocaleString("en-US")} a sweep may hold; split it into smaller sweeps or use random search`;
  throw new ConfigError([{ path, message, ...base.locate(path) }]);
}

function planShape(sweep: SweepSection): string {
  const sizes = Object.values(sweep.grid).map((values) => values.length);
  const parts = [...(sizes.length > 0 ? [`${sizes.join(" × ")} grid`] : []), ...(sweep.random ? [`${sweep.random.trials} random draws`] : [])];
  return parts.join(" × ");
}
