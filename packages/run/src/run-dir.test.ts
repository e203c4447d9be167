import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { RUN_FILES, RunDirectory } from "./run-dir.ts";
import type { EpochRecord, TrainHistory } from "./train.ts";

const temp = () => mkdtempSync(join(tmpdir(), "crossprop-run-dir-"));
const open = (out: string, force = false) => RunDirectory.create({ out, name: "t", backend: "manual", force, note: () => {} });

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error("expected a refusal");
}

const record = (step: number): EpochRecord => ({ epoch: 1, step, train_loss: 1, valid_loss: 1, valid_accuracy: 0.5, seconds: 0, eval_seconds: 0 });

describe("RunDirectory.create", () => {
  it("names a fresh default directory per run, even two in the same second", () => {
    const root = temp();
    const now = new Date("2024-05-06T07:08:09Z");
    const first = RunDirectory.create({ root, name: "exp", backend: "manual", now, note: () => {} });
    const second = RunDirectory.create({ root, name: "exp", backend: "manual", now, note: () => {} });
    expect([first.path, second.path]).toEqual([join(root, "exp", "manual-20240506-070809"), join(root, "exp", "manual-20240506-070809-2")]);
    first.release();
    second.release();
  });

  it("locks the directory until released", () => {
    const out = join(temp(), "run");
    const dir = open(out);
    expect(readdirSync(out)).toEqual([".lock"]);
    expect(refusal(() => open(out)).message).toMatch(/^run directory .* is in use by another crossprop run \(pid \d+\)/);
    dir.release();
    expect(readdirSync(out)).toEqual([]);
  });

  it("refuses a directory holding another run's files (exit 2), summary.json named first", () => {
    const out = temp();
    for (const name of ["final.safetensors", "summary.json", "notes.txt"]) writeFileSync(join(out, name), "old");
    const error = refusal(() => open(out));
    expect([error.message, error.exitCode]).toEqual([`run directory ${out} holds another run's files (summary.json, final.safetensors); choose another --out, or pass --force to replace them`, 2]);
    expect(readdirSync(out).sort()).toEqual(["final.safetensors", "notes.txt", "summary.json"]);
  });

  it("--force removes exactly the run files and the temporaries a killed run left, nothing else", () => {
    const out = temp();
    const theirs = ["notes.txt", "summary.json.bak", "data", "final.safetensors.tmp-x"];
    for (const name of [...RUN_FILES, "steps.jsonl.tmp-4242", ...theirs]) {
      if (name === "data") mkdirSync(join(out, name));
      else writeFileSync(join(out, name), "old");
    }
    open(out, true).release();
    expect(readdirSync(out).sort()).toEqual([...theirs].sort());
  });

  it("accepts a directory of someone's other files", () => {
    const out = temp();
    writeFileSync(join(out, "README"), "mine");
    open(out).release();
    expect(readFileSync(join(out, "README"), "utf8")).toBe("mine");
  });
});

describe("RunDirectory.writeHistory", () => {
  it("appends whole lines: each evaluation's new steps, then its metrics line", () => {
    const out = temp();
    const dir = open(out);
    const history: TrainHistory = { epochs: [], stepLosses: [] };
    history.stepLosses.push(0.5, 0.25);
    history.epochs.push(record(2));
    dir.writeHistory(history, 2);
    history.stepLosses.push(Number.NaN);
    dir.writeHistory(history, 2); // after a divergence: the steps since the last evaluation
    expect(readFileSync(join(out, "steps.jsonl"), "utf8")).toBe(
      '{"step":1,"epoch":1,"loss_per_example":0.5}\n{"step":2,"epoch":1,"loss_per_example":0.25}\n{"step":3,"epoch":2,"loss_per_example":null}\n',
    );
    expect(readFileSync(join(out, "metrics.jsonl"), "utf8")).toBe(`${JSON.stringify(record(2))}\n`);
    dir.release();
  });

  it("starts each file afresh in a new run", () => {
    const out = temp();
    const history: TrainHistory = { epochs: [record(1)], stepLosses: [1] };
    const first = open(out);
    first.writeHistory(history, 1);
    first.release();
    const again = open(out, true);
    again.writeHistory(history, 1);
    expect(readFileSync(join(out, "steps.jsonl"), "utf8")).toBe('{"step":1,"epoch":1,"loss_per_example":1}\n');
    again.release();
  });

  it("costs the same per evaluation at the 8,000th as at the first (eval_every: 1 is linear)", () => {
    const out = temp();
    const dir = open(out);
    const history: TrainHistory = { epochs: [], stepLosses: [] };
    const started = performance.now();
    for (let step = 1; step <= 8000; step++) {
      history.stepLosses.push(1 / step);
      history.epochs.push(record(step));
      dir.writeHistory(history, 100);
    }
    // Rewriting both files at each evaluation (the old way) moves ~32 million lines: tens of seconds.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(readFileSync(join(out, "steps.jsonl"), "utf8").split("\n").length).toBe(8001);
    expect(existsSync(join(out, "metrics.jsonl"))).toBe(true);
    dir.release();
  });
});
