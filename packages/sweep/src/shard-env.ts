import { UserError } from "@crossprop/core";
import { parseShard, type Shard } from "./shard.ts";

/** An environment as process.env is shaped; the CLI hands it in, nothing here reads process.env. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A count given beside the platform's variables: `--shard-count N` and/or CROSSPROP_SHARD_COUNT. */
interface GivenCount {
  value: number;
  variables: Record<string, string>;
}

/** What one platform's variables say, normalised to crossprop's 1-based `i/n`. */
interface Reading {
  source: string;
  variables: Record<string, string>;
  index: number;
  count: number;
}

interface Platform {
  /** Its marker variable (the one whose presence means "this platform runs us") and name, listed when none is found. */
  lookedFor: string;
  read(env: Environment, given: GivenCount | null): Reading | null;
}

/**
 * A platform that sets an index and (maybe) a count. `base` is where its index starts: 0 for
 * most, 1 for GitLab. `count` null: the platform has none (Kubernetes), so it must be given.
 */
function indexed(source: string | ((env: Environment) => string), index: string, base: 0 | 1, count: string | null, lookedFor = `${index} (${source})`): Platform {
  return {
    lookedFor,
    read(env, given) {
      const name = typeof source === "string" ? source : source(env);
      const indexText = env[index];
      if (!present(indexText)) return null;
      const variables: Record<string, string> = { [index]: indexText };
      const raw = whole(index, indexText, name);
      const countText = count === null ? undefined : env[count];
      let total: number;
      if (count !== null && present(countText)) {
        variables[count] = countText;
        total = whole(count, countText, name);
        if (given && given.value !== total) {
          throw new UserError(`--shard auto: ${count}=${countText} (${name}) disagrees with ${describeVariables(given.variables)}`);
        }
      } else if (given) {
        Object.assign(variables, given.variables);
        total = given.value;
      } else {
        throw new UserError(`--shard auto: ${name} sets ${index}=${indexText} but no shard count${count ? ` (${count} is unset)` : ""}; pass --shard-count N or set CROSSPROP_SHARD_COUNT`);
      }
      if (total < 1) throw new UserError(`--shard auto: ${name}: ${describeVariables(variables)}: a shard count must be ≥ 1`);
      if (raw < base || raw > total - 1 + base) {
        throw new UserError(`--shard auto: ${name}: ${describeVariables(variables)} is out of range: ${index} counts from ${base}, so ${total} shards are ${base}…${total - 1 + base}`);
      }
      return { source: name, variables, index: raw - base + 1, count: total };
    },
  };
}

/**
 * Slurm: task ids run MIN, MIN+STEP, … (`--array=3-17:2`), so shard i is (ID − MIN) / STEP + 1 of
 * COUNT. MAX, when set, must close that range: a list such as `--array=1,2,7` has no such order.
 */
const slurm: Platform = {
  lookedFor: "SLURM_ARRAY_TASK_ID (Slurm)",
  read(env, given) {
    const idText = env.SLURM_ARRAY_TASK_ID;
    if (!present(idText)) return null;
    const names = ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT"];
    const variables: Record<string, string> = {};
    for (const name of names) if (present(env[name])) variables[name] = env[name]!;
    const missing = ["SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"].filter((name) => !(name in variables));
    if (missing.length > 0) throw new UserError(`--shard auto: Slurm sets SLURM_ARRAY_TASK_ID=${idText} but not ${missing.join(" or ")}`);
    const value = (name: string) => (name in variables ? whole(name, variables[name]!, "Slurm") : null);
    const id = value("SLURM_ARRAY_TASK_ID")!;
    const min = value("SLURM_ARRAY_TASK_MIN")!;
    const max = value("SLURM_ARRAY_TASK_MAX");
    const step = value("SLURM_ARRAY_TASK_STEP") ?? 1;
    const count = value("SLURM_ARRAY_TASK_COUNT")!;
    const shown = describeVariables(variables);
    if (step < 1 || count < 1) throw new UserError(`--shard auto: Slurm: ${shown}: the step and the count must be ≥ 1`);
    if (max !== null && (max - min) / step + 1 !== count) {
      throw new UserError(`--shard auto: Slurm: ${shown} is not an evenly spaced array (--array=A-B or A-B:S); a list of task ids cannot be numbered as shards`);
    }
    if (id < min || (id - min) % step !== 0 || (id - min) / step >= count) {
      throw new UserError(`--shard auto: Slurm: ${shown} is out of range: task ids are ${min}, ${min + step}, … (${count} of them)`);
    }
    if (given && given.value !== count) throw new UserError(`--shard auto: SLURM_ARRAY_TASK_COUNT=${count} (Slurm) disagrees with ${describeVariables(given.variables)}`);
    return { source: "Slurm", variables, index: (id - min) / step + 1, count };
  },
};

/**
 * Every platform `--shard auto` knows, in the order they are listed when none is found. GitHub
 * Actions has no variables of its own for a matrix job's index: the workflow passes
 * `strategy.job-index` (0-based, like the others) and `strategy.job-total` in crossprop's.
 */
const PLATFORMS: readonly Platform[] = [
  indexed((env) => (env.GITHUB_ACTIONS === "true" ? "GitHub Actions" : "crossprop's variables"), "CROSSPROP_SHARD_INDEX", 0, "CROSSPROP_SHARD_COUNT", "CROSSPROP_SHARD_INDEX (GitHub Actions: from strategy.job-index)"),
  indexed("Kubernetes", "JOB_COMPLETION_INDEX", 0, null),
  indexed("AWS Batch", "AWS_BATCH_JOB_ARRAY_INDEX", 0, "AWS_BATCH_JOB_ARRAY_SIZE"),
  slurm,
  indexed("GitLab", "CI_NODE_INDEX", 1, "CI_NODE_TOTAL"),
  indexed("CircleCI", "CIRCLE_NODE_INDEX", 0, "CIRCLE_NODE_TOTAL"),
  indexed("Buildkite", "BUILDKITE_PARALLEL_JOB", 0, "BUILDKITE_PARALLEL_JOB_COUNT"),
];


/**
 * `--shard auto`: the shard the environment names, with where it came from. Exactly one shard
 * must be named: none found, two platforms disagreeing, a count given that disagrees, or a value
 * that is not a whole number in range is a usage error (exit 2), in one line.
 */
export function shardFromEnvironment(env: Environment, shardCount?: string): Shard {
  const given = givenCount(env, shardCount);
  const readings = PLATFORMS.map((platform) => platform.read(env, given)).filter((reading) => reading !== null);
  const first = readings[0];
  if (!first) throw new UserError(`--shard auto: found no shard in the environment; looked for ${PLATFORMS.map((platform) => platform.lookedFor).join(", ")}`);
  const other = readings.find((reading) => reading.index !== first.index || reading.count !== first.count);
  if (other) throw new UserError(`--shard auto: the environment names two shards: ${describeReading(first)} and ${describeReading(other)}; unset one`);
  const variables = Object.assign({}, ...readings.map((reading) => reading.variables)) as Record<string, string>;
  return { index: first.index, count: first.count, source: readings.map((reading) => reading.source).join(" and "), variables };
}

/** `--shard` and `--shard-count` as typed: null (no shard), `i/n`, or `auto` (read from `env`). */
export function resolveShard(shard: string | undefined, shardCount: string | undefined, env: Environment): Shard | null {
  if (shard?.trim() === "auto") return shardFromEnvironment(env, shardCount);
  if (shardCount !== undefined) throw new UserError(`--shard-count: only with --shard auto (--shard i/n names its count), got --shard-count ${shardCount}${shard === undefined ? " without --shard" : ` with --shard ${shard}`}`);
  return shard === undefined ? null : parseShard(shard);
}

/** The note the CLI prints: `shard 3/8 from Slurm (SLURM_ARRAY_TASK_ID=5, …)`; null for a typed i/n. */
export function describeShardSource(shard: Shard): string | null {
  if (shard.source === undefined) return null;
  return `shard ${shard.index}/${shard.count} from ${shard.source} (${describeVariables(shard.variables ?? {})})`;
}

function givenCount(env: Environment, option: string | undefined): GivenCount | null {
  let fromOption: number | null = null;
  if (option !== undefined) {
    fromOption = /^\d+$/.test(option.trim()) ? Number(option.trim()) : NaN;
    if (!Number.isSafeInteger(fromOption) || fromOption < 1) throw new UserError(`--shard-count: expected an integer ≥ 1, got "${option}"`);
  }
  const envText = env.CROSSPROP_SHARD_COUNT;
  const fromEnv = present(envText) ? whole("CROSSPROP_SHARD_COUNT", envText, "crossprop's variables") : null;
  if (fromOption !== null && fromEnv !== null && fromOption !== fromEnv) {
    throw new UserError(`--shard auto: --shard-count ${fromOption} disagrees with CROSSPROP_SHARD_COUNT=${envText}`);
  }
  if (fromOption !== null) return { value: fromOption, variables: { "--shard-count": String(fromOption), ...(present(envText) ? { CROSSPROP_SHARD_COUNT: envText } : {}) } };
  return fromEnv === null ? null : { value: fromEnv, variables: { CROSSPROP_SHARD_COUNT: envText! } };
}

/** Unset and empty are the same: a CI template that expands to nothing set nothing. */
function present(text: string | undefined): text is string {
  return text !== undefined && text !== "";
}

/** A non-negative decimal integer, as every platform writes its indices and counts. */
function whole(name: string, text: string, source: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new UserError(`--shard auto: ${name}=${JSON.stringify(text)} (${source}) is not a whole number`);
  return value;
}

/** `A=1, B=2` — and `--shard-count 4` for the option, as it was typed. */
function describeVariables(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => (name.startsWith("--") ? `${name} ${value}` : `${name}=${value}`))
    .join(", ");
}

function describeReading(reading: Reading): string {
  return `${reading.index}/${reading.count} from ${reading.source} (${describeVariables(reading.variables)})`;
}
