import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { crossprop, repoRoot, tempDir, writeConfig } from "./helpers.ts";
import { parseXml } from "./xml.ts";

// Tiny trials (1,000 MNIST images, 784 → 16 → 10, one epoch) keep each sweep to a second or two;
// they reach 0.4–0.65 validation accuracy, so the floor of 0.2 holds with a wide margin.
const base = `name: tiny-sweep
data: { train_size: 1000, test_size: 200 }
model: { hidden: [16] }
expect:
  valid_accuracy: { min: 0.2 }
`;
const sweep = `${base}sweep:
  grid:
    optimizer.lr: [0.1, 0.5]
    training.batch_size: [32, 64]
`;

// The CLI appends summary.md to $GITHUB_STEP_SUMMARY; point it at a scratch file (never a CI job's own).
const stepSummary = join(tempDir(), "step-summary.md");
process.env.GITHUB_STEP_SUMMARY = stepSummary;

interface Trial {
  index: number;
  id: string;
  status: string;
  error: string | null;
  passed: boolean;
  metrics: Record<string, number | null>;
  run_dir: string | null;
  timings: { resumed: boolean };
}

const results = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { trials: Trial[]; counts: Record<string, number>; passed: boolean };

describe("crossprop sweep: plan, run, resume", () => {
  const cwd = tempDir();
  const config = writeConfig(sweep, cwd);
  let planned: { index: number; id: string }[] = [];
  let dir = "";
  let first: ReturnType<typeof crossprop>;

  beforeAll(() => {
    const plan = crossprop(["sweep", config, "--plan"], cwd);
    expect(plan.status, plan.stderr).toBe(0);
    // Lines are laid out for 80 columns off a terminal: the directory may go on to the next line.
    const hash = /sweep directory\s+runs\/tiny-sweep\/sweep-([0-9a-f]{12})\n/.exec(plan.stdout)?.[1];
    planned = [...plan.stdout.matchAll(/│ (\d) +│ ([0-9a-f]{12}) │/g)].map(([, index, id]) => ({ index: Number(index), id: id! }));
    dir = join(cwd, "runs/tiny-sweep", `sweep-${hash}`);
    first = crossprop(["sweep", config, "--workers", "2"], cwd);
  });

  it("--plan lists every trial with its id and parameters, and runs nothing", () => {
    expect(planned.map((t) => t.index)).toEqual([1, 2, 3, 4]);
    const plan = crossprop(["sweep", config, "--plan", "--out", join(cwd, "elsewhere")], cwd);
    expect(plan.stdout).toMatch(/^tiny-sweep: 4 trials, 2 × 2 grid; sweep directory\s+\S*elsewhere\n/);
    expect(plan.stdout).toMatch(/│ 4 +│ [0-9a-f]{12} │ 0\.5 +│ 64 +│ to run │/);
    expect(existsSync(join(cwd, "elsewhere"))).toBe(false);
  });

  it("runs every trial into runs/<name>/sweep-<plan hash>/trials/<id>, exit 0", () => {
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^sweep tiny-sweep: 4 trials \(2 × 2 grid\) in\s+runs\/tiny-sweep\/sweep-[0-9a-f]{12}, 2\s+worker\(s\)\n/);
    expect(first.stderr.match(/^\[\d\/4\] ✓ #\d [0-9a-f]{12} optimizer\.lr=0\.\d\s+training\.batch_size=\d+:\s+valid_accuracy\s+0\.\d{4}\s+\([\d.]+ s\)$/gm)).toHaveLength(4);
    // At 80 columns rank (the order shows it) and the losses are left out, and headers break at dots.
    expect(first.stdout).toMatch(/│ # +│ id +│ optimizer\.(lr)? *│ training\. *│ status/);
    const { trials, counts, passed } = results(dir);
    expect(passed).toBe(true);
    expect(counts).toMatchObject({ trials: 4, completed: 4, passed: 4 });
    expect(trials.map((t) => ({ index: t.index, id: t.id }))).toEqual(planned);
    for (const trial of trials) {
      expect(trial.run_dir).toBe(`trials/${trial.id}`);
      const run = join(dir, trial.run_dir!);
      expect(readdirSync(run).sort()).toEqual(["config.resolved.yaml", "final.safetensors", "gradients.safetensors", "init.safetensors", "metrics.jsonl", "predictions.csv", "report.html", "steps.jsonl", "summary.json"]);
      const resolved = parse(readFileSync(join(run, "config.resolved.yaml"), "utf8"));
      expect(resolved).not.toHaveProperty("sweep");
      expect(resolved.data).toMatchObject({ train_size: 1000, test_size: 200 });
    }
  });

  it("writes results.json, results.csv, summary.md, junit.xml (well-formed, a testcase per trial), and the step summary", () => {
    // results.json against its schema: execute.test.ts, and `sweep merge` (which validates its inputs) in sweep-merge.test.ts.
    const csv = readFileSync(join(dir, "results.csv"), "utf8").trimEnd().split("\n");
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^index,id,status,passed,optimizer\.lr,training\.batch_size,/);
    const markdown = readFileSync(join(dir, "summary.md"), "utf8");
    expect(markdown).toMatch(/^## ✅ Sweep `tiny-sweep`: 4 trials \(2 × 2 grid\)\n/);
    expect(readFileSync(stepSummary, "utf8")).toContain(markdown);
    const junit = parseXml(readFileSync(join(dir, "junit.xml"), "utf8"));
    expect(junit.name).toBe("testsuites");
    const cases = junit.children[0]!.children.filter((c) => c.name === "testcase");
    expect(cases.map((c) => c.attributes.name!.split(" ")[1])).toEqual(planned.map((t) => t.id));
    expect(cases.every((c) => c.children.every((child) => child.name === "system-out"))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });

  it("a rerun resumes: finished trials are kept, not rerun; --force reruns them to the same results", () => {
    const summary = join(dir, results(dir).trials[0]!.run_dir!, "summary.json");
    const before = statSync(summary).mtimeMs;
    const again = crossprop(["sweep", config, "--workers", "2"], cwd);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain("4 of 4 trials finished earlier and are kept (--force reruns them)");
    expect(results(dir).trials.every((t) => t.timings.resumed)).toBe(true);
    expect(statSync(summary).mtimeMs).toBe(before);

    const metrics = results(dir).trials.map((t) => t.metrics);
    const forced = crossprop(["sweep", config, "--workers", "1", "--force", "--quiet"], cwd);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toBe("");
    expect(results(dir).trials.some((t) => t.timings.resumed)).toBe(false);
    expect(statSync(summary).mtimeMs).toBeGreaterThan(before);
    // A trial is a fresh deterministic run: other worker count, same numbers.
    expect(results(dir).trials.map((t) => t.metrics)).toEqual(metrics);
  });
});

describe("crossprop sweep: failures", () => {
  it("a diverging trial is recorded as failed and the others complete; exit 1", () => {
    const out = join(tempDir(), "sweep");
    const config = writeConfig(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1, 1.0e+30, 0.5]\n`);
    const result = crossprop(["sweep", config, "--workers", "2", "--out", out], repoRoot);
    expect(result.status).toBe(1);
    const { trials, counts } = results(out);
    expect(trials.map((t) => t.status)).toEqual(["completed", "diverged", "completed"]);
    expect(trials[1]!.error).toMatch(/^diverged: the loss is (NaN|Infinity) at step \d+/);
    expect(counts).toMatchObject({ completed: 2, diverged: 1, passed: 2 });
    expect(result.stderr).toMatch(/^error: ✗ #2 [0-9a-f]{12} optimizer\.lr=1e\+30: diverged: the loss is/m);
    expect(result.stderr).toMatch(/error: 1 of 3 trials did not pass\n$/);
    const junit = parseXml(readFileSync(join(out, "junit.xml"), "utf8"));
    expect(junit.attributes).toMatchObject({ tests: "3", errors: "1", failures: "0" });
  });

  it("--fail-fast starts no trial after the first failure; the rest are not_run", () => {
    const out = join(tempDir(), "sweep");
    const config = writeConfig(`${base}sweep:\n  grid:\n    optimizer.lr: [1.0e+30, 0.1, 0.5]\n`);
    const result = crossprop(["sweep", config, "--workers", "1", "--fail-fast", "--out", out, "--quiet"], repoRoot);
    expect(result.status).toBe(1);
    const { trials } = results(out);
    expect(trials.map((t) => t.status)).toEqual(["diverged", "not_run", "not_run"]);
    expect(trials[1]!.error).toMatch(/^not run: --fail-fast stopped the sweep after trial #1 \([0-9a-f]{12}\) did not pass$/);
    expect(trials[1]!.run_dir).toBeNull();
    expect(parseXml(readFileSync(join(out, "junit.xml"), "utf8")).attributes).toMatchObject({ tests: "3", errors: "1", skipped: "2" });
  });

  it("a missed expect_best fails the sweep even when every trial passes", () => {
    const out = join(tempDir(), "sweep");
    const config = writeConfig(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1]\n  expect_best:\n    valid_accuracy: { min: 0.999 }\n`);
    const result = crossprop(["sweep", config, "--workers", "1", "--out", out, "--quiet"], repoRoot);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/✗ expect valid_accuracy ≥ 0\.999: got 0\.\d+ \(best trial\)/);
    expect(result.stderr).toBe("error: the best trial missed sweep.expect_best: valid_accuracy\n");
  });

  it("every trial is validated before anything runs: a bad grid value names the trial and path, exit 2", () => {
    const cwd = tempDir();
    const config = writeConfig(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1, -1]\n    model.hidden: [[16], [16, 0]]\n`, cwd);
    const result = crossprop(["sweep", config], cwd);
    expect(result.status).toBe(2);
    expect(result.stderr.split("\n")).toEqual([
      `error: ${config}:8:25: optimizer.lr: expected a number > 0, got -1 (in trials #3, #4 of 4)`,
      `error: ${config}:9:31: model.hidden[1]: expected an integer ≥ 1, got 0 (in trials #2, #4 of 4)`,
      "",
    ]);
    expect(existsSync(join(cwd, "runs"))).toBe(false);
  });

  it("usage errors exit 2: --shard, --workers, a config without a sweep section", () => {
    const config = writeConfig(sweep);
    expect(crossprop(["sweep", config, "--shard", "3/2"]).stderr).toBe('error: --shard: expected i/n with 1 ≤ i ≤ n, e.g. --shard 1/2, got "3/2"\n');
    expect(crossprop(["sweep", config, "--workers", "0"])).toMatchObject({ status: 2, stderr: 'error: --workers: expected an integer ≥ 1, got "0"\n' });
    const plain = crossprop(["sweep", writeConfig(base)]);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/: sweep: missing; a sweep config needs a sweep: section/);
  });
});

