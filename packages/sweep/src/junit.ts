import { describeExpectation } from "@crossprop/run";
import { describeParams } from "./param-text.ts";
import type { TrialRecord } from "./record.ts";
import type { SweepResults } from "./results.ts";

/**
 * junit.xml, the report CI systems display natively: one testcase per trial — a failure when its
 * expect: bounds are missed, an error when it diverged or failed, skipped when it never ran —
 * and, when sweep.expect_best is set, a second suite with one testcase for the best trial.
 */
export function junitXml(results: SweepResults): string {
  const suites = [trialSuite(results)];
  if (results.best_expectations.length > 0) suites.push(bestSuite(results));
  const total = (key: keyof Suite) => suites.reduce((sum, suite) => sum + (suite[key] as number), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`crossprop sweep ${results.name}`)}" tests="${total("tests")}" failures="${total("failures")}" errors="${total("errors")}" skipped="${total("skipped")}" time="${seconds(total("time"))}">`,
    ...suites.map((suite) => suite.xml),
    "</testsuites>",
    "",
  ].join("\n");
}

interface Suite {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
  xml: string;
}

function trialSuite(results: SweepResults): Suite {
  const cases = results.trials.map((trial) => testcase(results.name, trial));
  const time = results.trials.reduce((sum, trial) => sum + (trial.timings.wall_seconds ?? 0), 0);
  return suite(results.shard ? `${results.name} (shard ${results.shard.index}/${results.shard.count})` : results.name, cases, time);
}

function bestSuite(results: SweepResults): Suite {
  const missed = results.best_expectations.filter((e) => !e.passed);
  const where = results.best ? `trial #${results.best.index} ${results.best.id}` : "no trial completed";
  const body = results.best_expectations.map(describeExpectation).join("\n");
  const outcome = missed.length === 0 ? "" : `\n      <failure message="${attr(describeExpectation(missed[0]!))}" type="expect_best">${text(body)}</failure>\n    `;
  const xml = `    <testcase classname="${attr(results.name)}" name="${attr(`expect_best: ${where}`)}" time="0">${outcome}</testcase>`;
  return suite(`${results.name}.best`, [{ xml, failure: missed.length > 0, error: false, skipped: false }], 0);
}

interface Case {
  xml: string;
  failure: boolean;
  error: boolean;
  skipped: boolean;
}

function suite(name: string, cases: readonly Case[], time: number): Suite {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const xml = [
    `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">`,
    ...cases.map((c) => c.xml),
    "  </testsuite>",
  ].join("\n");
  return { tests: cases.length, failures, errors, skipped, time, xml };
}

function testcase(name: string, trial: TrialRecord): Case {
  const params = describeParams(Object.entries(trial.params).map(([path, value]) => ({ path, value })));
  const open = `    <testcase classname="${attr(name)}" name="${attr(`#${trial.index} ${trial.id} ${params}`)}" time="${seconds(trial.timings.wall_seconds ?? 0)}">`;
  const out = `      <system-out>${text(`run_dir: ${trial.run_dir ?? "–"}\nmetrics: ${JSON.stringify(trial.metrics)}`)}</system-out>`;
  let outcome = "";
  if (trial.status === "not_run") outcome = `      <skipped message="${attr(trial.error ?? "not run")}"/>`;
  else if (trial.status !== "completed") {
    outcome = `      <error message="${attr((trial.error ?? trial.status).split("\n")[0]!)}" type="${trial.status}">${text(trial.error ?? "")}</error>`;
  } else if (!trial.passed) {
    const missed = trial.expectations.filter((e) => !e.passed);
    outcome = `      <failure message="${attr(missed.map(describeExpectation).join("; "))}" type="expectation">${text(trial.expectations.map(describeExpectation).join("\n"))}</failure>`;
  }
  const xml = [open, ...(outcome ? [outcome] : []), out, "    </testcase>"].join("\n");
  return { xml, failure: trial.status === "completed" && !trial.passed, error: trial.status === "diverged" || trial.status === "failed", skipped: trial.status === "not_run" };
}

/** Character data: XML 1.0 forbids most control characters (e.g. ANSI escapes in a stack), so they go. */
function text(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}

function seconds(value: number): string {
  return value.toFixed(3);
}
