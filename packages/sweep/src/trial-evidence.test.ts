import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeConfigs, writeConfig } from "@crossprop/config/fixtures";
import { buildPlan } from "./plan.ts";
import { runTrial } from "./run-trial.ts";
import { decodeSafetensors } from "@crossprop/core";
import { rejudged, trialEvidence } from "./trial-evidence.ts";

const scratch = mkdtempSync(join(tmpdir(), "crossprop-evidence-"));
afterAll(() => {
  removeConfigs();
  rmSync(scratch, { recursive: true, force: true });
});

// One real trial (100 images, 784 → 10, one epoch), trained once; each case tampers with a copy.
const plan = buildPlan(writeConfig("name: evidence\ndata: { train_size: 100, test_size: 100 }\nmodel: { hidden: [] }\nexpect: { valid_accuracy: { min: 0.01 } }\nsweep:\n  grid:\n    optimizer.lr: [0.1]\n"));
const trial = plan.trials[0]!;
const original = join(scratch, "original");

beforeAll(async () => {
  const outcome = await runTrial({ file: plan.file, text: plan.text, sets: trial.sets, dir: join(original, "trials", trial.id), threads: 1 });
  expect(outcome).toEqual({ status: "completed", error: null });
});

let copies = 0;
/** A copy of the sweep directory holding the real trial, with `tamper` applied to its trial directory. */
function tampered(tamper: (trialDir: string, sweepDir: string) => void = () => {}): string {
  const sweepDir = join(scratch, `copy-${++copies}`);
  cpSync(original, sweepDir, { recursive: true });
  tamper(join(sweepDir, "trials", trial.id), sweepDir);
  return sweepDir;
}

const editJson = (file: string, edit: (data: Record<string, any>) => void) => {
  const data = JSON.parse(readFileSync(file, "utf8"));
  edit(data);
  writeFileSync(file, JSON.stringify(data));
};

describe("trialEvidence", () => {
  it("a real finished trial is trusted, with its summary", () => {
    const evidence = trialEvidence(tampered(), trial.id);
    expect(evidence.kind).toBe("finished");
    if (evidence.kind === "finished") expect(evidence.summary).toMatchObject({ status: "completed", passed: true, name: "evidence" });
  });

  it("no directory: missing; a directory without a finished summary: unfinished", () => {
    expect(trialEvidence(scratch, "0123456789ab").kind).toBe("missing");
    expect(trialEvidence(tampered((dir) => rmSync(join(dir, "summary.json"))), trial.id).kind).toBe("unfinished");
    expect(trialEvidence(tampered((dir) => editJson(join(dir, "summary.json"), (s) => (s.status = "running"))), trial.id).kind).toBe("unfinished");
  });

  it("refuses a config that is not the trial's: the directory holds another run", () => {
    const sweepDir = tampered((dir) => {
      const file = join(dir, "config.resolved.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("lr: 0.1", "lr: 0.2"));
    });
    expect(() => trialEvidence(sweepDir, trial.id)).toThrow(
      new RegExp(`^${sweepDir}/trials/${trial.id}/config\\.resolved\\.yaml: its config hashes to [0-9a-f]{12}, not to the trial's id ${trial.id}: the directory holds another run$`),
    );
  });

  it("refuses a summary whose metrics, passed or expectations do not follow from the files beside it", () => {
    const summaryOf = (sweepDir: string) => `${sweepDir}/trials/${trial.id}/summary.json`;
    let dir = tampered((d) => editJson(join(d, "summary.json"), (s) => (s.final.valid_accuracy = 0.99)));
    expect(() => trialEvidence(dir, trial.id)).toThrow(new RegExp(`^${summaryOf(dir)}: final\\.valid_accuracy is 0\\.99, but .*metrics\\.jsonl ends with 0\\.\\d+$`));
    dir = tampered((d) => editJson(join(d, "summary.json"), (s) => (s.passed = false)));
    expect(() => trialEvidence(dir, trial.id)).toThrow(`${summaryOf(dir)}: passed is false, but status completed and its expectations make it true`);
    dir = tampered((d) => editJson(join(d, "summary.json"), (s) => (s.expectations[0].threshold = 0.5)));
    expect(() => trialEvidence(dir, trial.id)).toThrow(/expectations .* do not follow from the config's expect: bounds and the final metrics/);
    dir = tampered((d) => editJson(join(d, "summary.json"), (s) => (s.backend = "tfjs")));
    expect(() => trialEvidence(dir, trial.id)).toThrow(`${summaryOf(dir)}: backend is "tfjs", but the trial's config says "manual"`);
    dir = tampered((d) => writeFileSync(join(d, "summary.json"), "{ not json"));
    expect(() => trialEvidence(dir, trial.id)).toThrow(new RegExp(`^${summaryOf(dir)}: not JSON: `));
    dir = tampered((d) => editJson(join(d, "summary.json"), (s) => delete s.final));
    expect(() => trialEvidence(dir, trial.id)).toThrow(`${summaryOf(dir)}: not a run summary: final must hold train_loss, valid_loss and valid_accuracy (numbers or null)`);
  });

  it("refuses a trial directory that leads out of the sweep directory, or holds links or FIFOs", () => {
    const outside = join(scratch, "outside");
    cpSync(join(original, "trials", trial.id), outside, { recursive: true });
    let dir = tampered((d) => {
      rmSync(d, { recursive: true });
      symlinkSync(outside, d);
    });
    expect(() => trialEvidence(dir, trial.id)).toThrow(`${dir}/trials/${trial.id}: resolves to ${outside}, outside the sweep directory ${dir}`);
    dir = tampered((d) => symlinkSync("/etc/passwd", join(d, "notes.txt")));
    expect(() => trialEvidence(dir, trial.id)).toThrow(`${dir}/trials/${trial.id}/notes.txt: a symbolic link; a trial directory holds only the files its run wrote`);
    dir = tampered((d) => {
      mkdirSync(join(d, "checkpoints"));
      execFileSync("mkfifo", [join(d, "checkpoints", "pipe")]);
    });
    expect(() => trialEvidence(dir, trial.id)).toThrow(`${dir}/trials/${trial.id}/checkpoints/pipe: not a regular file; a trial directory holds only the files its run wrote`);
    // A link that stays inside the sweep directory is only a path.
    dir = tampered((d, sweepDir) => {
      cpSync(d, join(sweepDir, "elsewhere"), { recursive: true });
      rmSync(d, { recursive: true });
      symlinkSync(join(sweepDir, "elsewhere"), d);
    });
    expect(trialEvidence(dir, trial.id).kind).toBe("finished");
  });
});

describe("rejudged: a finished trial judged by the plan's bounds now, from its verified files", () => {
  const finished = (sweepDir = tampered()) => {
    const evidence = trialEvidence(sweepDir, trial.id);
    if (evidence.kind !== "finished") throw new Error(`expected a finished trial, got ${evidence.kind}`);
    return evidence;
  };

  it("keeps the bounds it ran with, and re-judges a metric bound from the summary's final metrics", () => {
    const evidence = finished();
    expect(evidence.expect).toEqual({ valid_accuracy: { min: 0.01 } });
    const accuracy = evidence.summary.final.valid_accuracy!;
    const strict = rejudged(evidence, { valid_accuracy: { min: 0.999 } });
    expect(strict.passed).toBe(false);
    expect(strict.expectations).toEqual([{ metric: "valid_accuracy", bound: "min", threshold: 0.999, value: accuracy, passed: false }]);
    expect(rejudged(evidence, {})).toMatchObject({ expectations: [], passed: true });
    expect(rejudged(evidence, { valid_loss: { max: 1e9 } })).toMatchObject({ passed: true, expectations: [{ metric: "valid_loss", bound: "max", passed: true }] });
  });

  it("a changed parameter bound is checked against final.safetensors; without that file it is refused", () => {
    const dir = tampered();
    const [first] = decodeSafetensors(readFileSync(join(dir, "trials", trial.id, "final.safetensors"))).tensors;
    const values = Array.from(first!.data, (v) => v + 0.25);
    const judged = rejudged(finished(dir), { parameters: { [first!.name]: { values, atol: 0.3 } } });
    expect(judged.expectations).toEqual([{ metric: `parameters.${first!.name}`, bound: "atol", threshold: 0.3, value: expect.closeTo(0.25, 6), passed: true }]);
    expect(rejudged(finished(dir), { parameters: { [first!.name]: { values, atol: 0.2 } } }).passed).toBe(false);
    const bare = tampered((d) => rmSync(join(d, "final.safetensors")));
    expect(() => rejudged(finished(bare), { parameters: { [first!.name]: { values, atol: 0.3 } } })).toThrow(
      `${bare}/trials/${trial.id}/final.safetensors: missing; expect.parameters changed, and a finished trial's final parameters are needed to check them`,
    );
  });
});
