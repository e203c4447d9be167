/**
 * The speed benchmark quoted in the README. Table 1 (side by side): a config trained for a few
 * epochs on every backend × engine and, where `import torch` works, on PyTorch at its best setting
 * with the same recipe, split and initial parameters, interleaved in rounds; the figure to quote
 * is each one's s/epoch ÷ PyTorch's in the same run. Table 2 (--scaling): how that ratio moves with
 * the hidden width and the batch size, the default backend against PyTorch, 1 epoch per run.
 * Every run is a process of its own (crossprop through the real CLI), so peak RSS is that run's.
 * Markdown on stdout, progress on stderr.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_BACKEND, type BackendName } from "@crossprop/backends";
import { engineVariants, runCrossprop, type Variant } from "./crossprop-runs.ts";
import { fmt, markdownTable, ratioByRound, summarise, type Outcome, type Summary } from "./measurement.ts";
import { exportSplit, pytorchRecipe, pytorchVersion, runPytorch, writeInit, type PytorchSetting } from "./pytorch-runs.ts";

interface BenchOptions {
  epochs: number;
  rounds: number;
  scaling: boolean;
  sideBySide: boolean;
  widths: number[];
  batches: number[];
  pytorch: boolean;
}

const DEFAULT_CONFIG = fileURLToPath(new URL("../../../configs/mlp.yaml", import.meta.url));

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
};
const positiveList = (value: string): number[] => value.split(",").map(positive);

const program = new Command("pnpm bench")
  .description("Seconds per epoch of every backend and engine beside PyTorch at its best, interleaved in rounds; Markdown on stdout.")
  .argument("[config]", "experiment config, e.g. configs/linear.yaml (default: the repository's configs/mlp.yaml)")
  .option("-e, --epochs <n>", "epochs per run in table 1", positive, 2)
  .option("-r, --rounds <n>", "rounds: each one runs every variant once, in the same order", positive, 2)
  .option("--scaling", "also table 2: hidden width and batch size against PyTorch, 1 epoch per run", false)
  .option("--no-side-by-side", "skip table 1 (with --scaling: table 2 only)")
  .option("--widths <list>", "table 2's hidden widths (batch 256)", positiveList, [64, 256, 1024, 4096])
  .option("--batches <list>", "table 2's batch sizes (hidden 256)", positiveList, [32, 256, 1024])
  .option("--no-pytorch", "leave PyTorch out even where it is installed")
  .showHelpAfterError();

const log = (line: string) => process.stderr.write(`${line}\n`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const loads = () => loadavg().map((l) => l.toFixed(2)).join(" / ");

/** One training run to interleave: what it is and how to run it in round `round`. */
interface Job {
  label: string;
  run(round: number): Outcome;
}

/** Runs `jobs` round after round, in the same order each round; every job's outcome per round. */
function interleave(jobs: readonly Job[], rounds: number, table: string): Outcome[][] {
  const outcomes = jobs.map((): Outcome[] => []);
  for (let round = 1; round <= rounds; round++) {
    jobs.forEach((job, i) => {
      const started = Date.now();
      const outcome = job.run(round);
      outcomes[i]!.push(outcome);
      const result = "failed" in outcome ? `failed: ${outcome.failed}` : `${fmt.seconds(outcome.secondsPerEpoch)} s/epoch`;
      log(`[${table} round ${round}/${rounds}] ${job.label}: ${result} (${((Date.now() - started) / 1000).toFixed(0)} s wall)`);
    });
  }
  return outcomes;
}

/** The PyTorch side of one recipe (config + sets), or a note on why there is none. */
function pytorchJob(config: string, sets: string[], splitDir: string, epochs: number, work: string, seen: { setting?: PytorchSetting }): Job | string {
  const recipe = pytorchRecipe(config, sets);
  if ("unlike" in recipe) return recipe.unlike;
  const initFile = join(work, `init-${recipe.hidden.join("x") || "linear"}.safetensors`);
  writeInit(config, sets, initFile);
  return {
    label: "pytorch",
    run: () => {
      const { outcome, setting } = runPytorch(splitDir, initFile, recipe, epochs);
      seen.setting ??= setting;
      return outcome;
    },
  };
}

function crossJob(config: string, label: string, backend: BackendName, sets: string[], work: string): Job {
  const slug = label.replace(/[^a-z0-9]+/gi, "-");
  return { label, run: (round) => runCrossprop(config, backend, sets, join(work, `${slug}-round${round}`)) };
}

const ratio = (row: Summary | null, base: Summary | null) => (row && base ? row.secondsPerEpoch / base.secondsPerEpoch : null);
const asSummary = (s: ReturnType<typeof summarise>): Summary | null => (s && !("failed" in s) ? s : null);

function sideBySide(config: string, options: BenchOptions, torch: Job | string | null, work: string): string {
  const sets = [`training.epochs=${options.epochs}`];
  const { variants, notes } = engineVariants(config, sets);
  const jobs: Job[] = variants.map((v: Variant) => crossJob(config, v.label, v.backend, [...sets, ...v.sets], work));
  if (typeof torch === "string") notes.push(`PyTorch left out: ${torch}`);
  if (torch && typeof torch !== "string") jobs.unshift(torch);
  const outcomes = interleave(jobs, options.rounds, "table 1");
  const rows = outcomes.map(summarise);
  const withTorch = torch !== null && typeof torch !== "string";
  const base = withTorch ? asSummary(rows[0]!) : null;
  // The default backend's first row (its default engine) is what the other backends are compared with.
  const reference = variants.findIndex((v) => v.backend === DEFAULT_BACKEND);
  const referenceOutcomes = reference < 0 ? null : outcomes[reference + (withTorch ? 1 : 0)]!;
  if (reference >= 0) notes.push(`÷ ${DEFAULT_BACKEND} per round: against \`${variants[reference]!.label}\``);
  const table = markdownTable(
    ["variant", "engine", "s/epoch (median)", "each round", "first / later epochs", "÷ PyTorch", "÷ PyTorch per round", "later ÷ PyTorch's",
      `÷ ${DEFAULT_BACKEND} per round`, "samples/s", "peak RSS MB", "valid acc"],
    jobs.map((job, i) => {
      const row = rows[i]!;
      if (!row || "failed" in row) return [job.label, "–", `failed: ${row?.failed ?? "no run"}`, "", "", "", "", "", "", "", "", ""];
      const later = row.laterEpochs === null ? "–" : fmt.seconds(row.laterEpochs);
      const laterRatio = row.laterEpochs !== null && base?.laterEpochs ? row.laterEpochs / base.laterEpochs : null;
      const byRound = withTorch ? ratioByRound(outcomes[i]!, outcomes[0]!) : null;
      const byReferenceRound = referenceOutcomes && !(withTorch && i === 0) ? ratioByRound(outcomes[i]!, referenceOutcomes) : null;
      return [job.label, row.engine, fmt.seconds(row.secondsPerEpoch), row.rounds.map(fmt.seconds).join(", "), `${fmt.seconds(row.firstEpoch)} / ${later}`,
        fmt.ratio(ratio(row, base)), fmt.ratioByRound(byRound), fmt.ratio(laterRatio), fmt.ratioByRound(byReferenceRound),
        fmt.rate(row.samplesPerSecond), String(Math.round(row.peakRssMb)), fmt.accuracy(row.validAccuracy)];
    }),
  );
  return [`## Side by side: ${plural(options.epochs, "epoch")} per run, ${plural(options.rounds, "round")}`, "", table, "", ...notes.map((n) => `- ${n}`)].join("\n");
}

function scaling(config: string, options: BenchOptions, splitDir: string | null, work: string, seen: { setting?: PytorchSetting }): string {
  const settings = [
    ...options.widths.map((hidden) => ({ hidden, batch: 256 })),
    ...options.batches.filter((batch) => batch !== 256 || !options.widths.includes(256)).map((batch) => ({ hidden: 256, batch })),
  ];
  const pairs = settings.map(({ hidden, batch }) => {
    const sets = ["training.epochs=1", `model.hidden=[${hidden}]`, `training.batch_size=${batch}`];
    const torch = splitDir ? pytorchJob(config, sets, splitDir, 1, work, seen) : null;
    const cross = crossJob(config, `${DEFAULT_BACKEND} hidden ${hidden} batch ${batch}`, DEFAULT_BACKEND, sets, work);
    return { hidden, batch, torch: torch && typeof torch !== "string" ? { ...torch, label: `pytorch hidden ${hidden} batch ${batch}` } : null, cross };
  });
  const jobs = pairs.flatMap((p) => (p.torch ? [p.torch, p.cross] : [p.cross]));
  const byJob = new Map(jobs.map((job, i) => [job, i]));
  const results = interleave(jobs, options.rounds, "table 2").map(summarise);
  const rowOf = (job: Job | null) => (job ? results[byJob.get(job)!]! : null);
  const table = markdownTable(
    ["hidden", "batch", "PyTorch s/epoch", `${DEFAULT_BACKEND} s/epoch`, "÷ PyTorch", `${DEFAULT_BACKEND} samples/s`, "peak RSS MB (PyTorch / crossprop)", "valid acc (PyTorch / crossprop)"],
    pairs.map((p) => {
      const torch = rowOf(p.torch);
      const cross = rowOf(p.cross);
      const [t, c] = [asSummary(torch), asSummary(cross)];
      const seconds = (row: typeof torch, s: Summary | null) => (s ? fmt.seconds(s.secondsPerEpoch) : row && "failed" in row ? `failed: ${row.failed}` : "–");
      return [String(p.hidden), String(p.batch), seconds(torch, t), seconds(cross, c), fmt.ratio(ratio(c, t)), c ? fmt.rate(c.samplesPerSecond) : "–",
        `${t ? Math.round(t.peakRssMb) : "–"} / ${c ? Math.round(c.peakRssMb) : "–"}`, `${fmt.accuracy(t?.validAccuracy ?? null)} / ${fmt.accuracy(c?.validAccuracy ?? null)}`];
    }),
  );
  const engine = asSummary(rowOf(pairs[0]?.cross ?? null))?.engine ?? "?";
  return [`## How the cost grows: 1 epoch per run, ${plural(options.rounds, "round")}, ${DEFAULT_BACKEND} on its default engine (${engine})`, "", table].join("\n");
}

/** The split PyTorch trains on, written once for the config, or why PyTorch is left out. */
function pytorchSplit(config: string, wanted: boolean, torchVersion: string | null, work: string): { splitDir: string | null; noPytorch: string | null } {
  if (!wanted) return { splitDir: null, noPytorch: "--no-pytorch" };
  if (!torchVersion) return { splitDir: null, noPytorch: `/usr/bin/python3 -c "import torch" failed (apt-get install python3-torch)` };
  const splitDir = join(work, "split");
  mkdirSync(splitDir);
  log(`writing the split of ${config} for PyTorch into ${splitDir}`);
  const failure = exportSplit(config, splitDir);
  return failure ? { splitDir: null, noPytorch: failure } : { splitDir, noPytorch: null };
}

async function main(): Promise<void> {
  program.parse();
  const options = program.opts<BenchOptions>();
  // `pnpm bench` runs in the workspace root: resolve the config against the caller's directory.
  const given = program.processedArgs[0] as string | undefined;
  const config = given ? resolve(process.env.INIT_CWD ?? process.cwd(), given) : DEFAULT_CONFIG;
  const work = mkdtempSync(join(tmpdir(), "crossprop-bench-"));
  const loadBefore = loads();
  const torchVersion = options.pytorch ? pytorchVersion() : null;
  const { splitDir, noPytorch } = pytorchSplit(config, options.pytorch, torchVersion, work);
  if (noPytorch) log(`PyTorch left out: ${noPytorch}`);
  const seen: { setting?: PytorchSetting } = {};
  const sections: string[] = [];
  if (options.sideBySide) {
    const torch = splitDir ? pytorchJob(config, [`training.epochs=${options.epochs}`], splitDir, options.epochs, work, seen) : null;
    sections.push(sideBySide(config, options, torch, work));
  }
  if (options.scaling) sections.push(scaling(config, options, splitDir, work, seen));
  const header = [
    `# pnpm bench: ${config.replace(`${process.cwd()}/`, "")}`,
    "",
    `- date ${new Date().toISOString()}; node ${process.version}; CPU ${cpus()[0]?.model ?? "?"} × ${cpus().length}`,
    `- load average (1 / 5 / 15 min) before ${loadBefore}, after ${loads()}`,
    noPytorch
      ? `- PyTorch: not run (${noPytorch})`
      : `- PyTorch ${torchVersion}: ${seen.setting?.threads ?? "?"}, OPENBLAS_CORETYPE unset; BLAS ${seen.setting?.blas ?? "?"}`,
    `- s/epoch: median training seconds per pass over the training set (evaluation excluded), median over rounds; ÷ PyTorch (the ratio of the medians) is the figure to quote`,
    `- ÷ … per round: each round's s/epoch ÷ that of the run it is compared with in the same round, the median of those, then each round's: whether the rounds agree`,
    `- first / later epochs: a run's first epoch and the median of its others (medians over rounds); the first pays the warm-up (V8 compiling the JavaScript, memory touched for the first time), later ÷ PyTorch's compares the rest`,
    `- runs in ${work}`,
  ];
  process.stdout.write(`${[...header, "", sections.join("\n\n")].join("\n")}\n`);
}

await main();
