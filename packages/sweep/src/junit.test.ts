import { describe, expect, it } from "vitest";
import { junitXml } from "./junit.ts";
import { fixtureResults, trialRecord } from "./records.fixture.ts";

const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length;

describe("junitXml", () => {
  const results = fixtureResults([
    trialRecord(1),
    trialRecord(2, { passed: false, expectations: [{ metric: "valid_accuracy", bound: "min", threshold: 0.9, value: 0.52, passed: false }] }),
    trialRecord(3, { status: "diverged", passed: false, error: "diverged: the loss is NaN at step 3 (epoch 1). Hint: <lower> & \"retry\"" }),
    trialRecord(4, { status: "failed", passed: false, error: "internal error: \u001b[31mred\u001b[0m\n    at x" }),
    trialRecord(5, { status: "not_run", passed: false, error: "not run: --fail-fast stopped the sweep", run_dir: null }),
  ]);
  const xml = junitXml(results);

  it("has one testcase per trial: failure for a missed expect, error when diverged or failed, skipped when not run", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="crossprop sweep fixture" tests="5" failures="1" errors="2" skipped="1"')).toBe(true);
    expect(count(xml, /<testcase /g)).toBe(5);
    expect(count(xml, /<failure /g)).toBe(1);
    expect(xml).toContain('<failure message="✗ expect valid_accuracy ≥ 0.9: got 0.52" type="expectation">');
    expect(count(xml, /<error /g)).toBe(2);
    expect(xml).toContain('<error message="diverged: the loss is NaN at step 3 (epoch 1). Hint: &lt;lower&gt; &amp; &quot;retry&quot;" type="diverged">');
    expect(xml).toContain('<skipped message="not run: --fail-fast stopped the sweep"/>');
    expect(xml).toContain('name="#1 000000000001 optimizer.lr=0.1 model.hidden=[16]" time="1.500"');
  });

  it("drops control characters XML 1.0 forbids (ANSI colours in a stack trace)", () => {
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain("internal error: [31mred[0m\n    at x</error>");
  });

  it("adds a suite with one testcase for expect_best when it is set", () => {
    const withBest = junitXml(fixtureResults([trialRecord(1, { accuracy: 0.6 })], { expect_best: { valid_accuracy: { min: 0.7 } } }));
    expect(withBest).toContain('<testsuite name="fixture.best" tests="1" failures="1" errors="0" skipped="0" time="0.000">');
    expect(withBest).toContain('name="expect_best: trial #1 000000000001"');
    expect(withBest).toContain('<testsuites name="crossprop sweep fixture" tests="2" failures="1"');
    expect(junitXml(fixtureResults([trialRecord(1)]))).not.toContain(".best");
  });
});
