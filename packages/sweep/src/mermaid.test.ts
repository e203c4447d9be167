import { describe, expect, it } from "vitest";
import { axisRange, MERMAID_MAX_TRIALS, objectiveChartLines, plainNumber } from "./mermaid.ts";
import { fixtureResults, resultsHeader, trialRecord } from "./records.fixture.ts";

// The tokens of Mermaid's xychart grammar (packages/mermaid/src/diagrams/xychart/parser/xychart.jison):
// a string is "…" with no quote inside (no escapes), a number has no exponent.
const STR = `"([^"\\n]*)"`;
const NUM = `([+-]?(?:\\d+(?:\\.\\d+)?|\\.\\d+))`;
const list = (item: string) => new RegExp(`^\\[(${item}(?:, ${item})*)\\]$`);

interface XyChart {
  title: string;
  xTitle: string;
  categories: string[];
  yTitle: string;
  low: number;
  high: number;
  bars: number[];
}

/** The ```mermaid block in `lines`, checked statement by statement against the grammar; throws at the first line it does not accept. */
function parseBlock(lines: readonly string[]): XyChart {
  expect(lines[0]).toBe("```mermaid");
  const end = lines.indexOf("```", 1);
  expect(end).toBeGreaterThan(1);
  const [header, ...statements] = lines.slice(1, end).map((line) => line.trim());
  expect(header).toBe("xychart-beta");
  const chart: Partial<XyChart> = {};
  for (const statement of statements) {
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^title ${STR}$`).exec(statement))) chart.title = m[1]!;
    else if ((m = new RegExp(`^x-axis ${STR} (\\[.*\\])$`).exec(statement))) {
      chart.xTitle = m[1]!;
      const band = list(STR.replace("(", "(?:")).exec(m[2]!);
      if (!band) throw new Error(`x-axis categories: ${m[2]}`);
      chart.categories = [...m[2]!.matchAll(new RegExp(STR, "g"))].map((c) => c[1]!);
    } else if ((m = new RegExp(`^y-axis ${STR} ${NUM} --> ${NUM}$`).exec(statement))) {
      [chart.yTitle, chart.low, chart.high] = [m[1]!, Number(m[2]), Number(m[3])];
    } else if ((m = /^bar (\[.*\])$/.exec(statement))) {
      if (!list(NUM.replace("(", "(?:")).test(m[1]!)) throw new Error(`bar data: ${m[1]}`);
      chart.bars = m[1]!.slice(1, -1).split(", ").map(Number);
    } else throw new Error(`not an xychart statement: ${statement}`);
  }
  return chart as XyChart;
}

describe("objectiveChartLines", () => {
  it("is a bar chart of the objective per trial in plan order, labelled by the swept values, within its y range", () => {
    const results = fixtureResults([trialRecord(1, { accuracy: 0.7 }), trialRecord(2, { accuracy: 0.91234 }), trialRecord(3, { accuracy: 0.8 })]);
    const lines = objectiveChartLines(results);
    const chart = parseBlock(lines);
    expect(chart.title).toBe("valid_accuracy per trial (higher is better)");
    expect(chart.xTitle).toBe("optimizer.lr / model.hidden");
    expect(chart.categories).toEqual(["0.1/[16]", "0.2/[16]", "0.3/[16]"]);
    expect(chart.yTitle).toBe("valid_accuracy");
    expect(chart.bars).toEqual([0.7, 0.9123, 0.8]);
    for (const bar of chart.bars) expect(bar >= chart.low && bar <= chart.high, `${bar} in [${chart.low}, ${chart.high}]`).toBe(true);
    expect(lines).toHaveLength(7);
  });

  it(`shows the best ${MERMAID_MAX_TRIALS} by rank when there are more, and says so`, () => {
    const records = Array.from({ length: 60 }, (_, i) => trialRecord(i + 1, { accuracy: 0.5 + ((i * 7) % 60) / 200 }));
    const results = fixtureResults(records);
    const chart = parseBlock(objectiveChartLines(results));
    expect(chart.title).toBe(`valid_accuracy best ${MERMAID_MAX_TRIALS} of 60 trials (higher is better)`);
    expect(chart.bars).toHaveLength(MERMAID_MAX_TRIALS);
    expect(chart.bars[0]).toBe(Number(results.best!.value.toPrecision(4)));
    expect([...chart.bars].sort((a, b) => b - a)).toEqual(chart.bars);
  });

  it("keeps a quote or backtick in a swept value from ending the string or the fence; long values fall back to #index", () => {
    const quoting = fixtureResults([trialRecord(1, { params: { backend: 'a"b`c' } }), trialRecord(2, { params: { backend: "plain" } })], { plan: { ...resultsHeader().plan, paths: ["backend"] } });
    const lines = objectiveChartLines(quoting);
    expect(parseBlock(lines).categories).toEqual(["a'b'c", "plain"]);
    expect(lines.slice(1, -1).join("\n")).not.toMatch(/`/);
    const long = fixtureResults([trialRecord(1, { params: { "model.hidden": [1024, 512, 256] } }), trialRecord(2, { params: { "model.hidden": [] } })], { plan: { ...resultsHeader().plan, paths: ["model.hidden"] } });
    const chart = parseBlock(objectiveChartLines(long));
    expect([chart.xTitle, chart.categories]).toEqual(["trial", ["#1", "#2"]]);
  });

  it("writes tiny and huge numbers as plain decimals, which the grammar reads (it has no exponents)", () => {
    const records = [trialRecord(1, { metrics: { ...trialRecord(1).metrics, valid_loss: 1.5e-7 } }), trialRecord(2, { metrics: { ...trialRecord(2).metrics, valid_loss: 3.25e-7 } })];
    const chart = parseBlock(objectiveChartLines(fixtureResults(records, { objective: { metric: "valid_loss", goal: "min" } })));
    expect(chart.title).toBe("valid_loss per trial (lower is better)");
    expect(chart.bars).toEqual([1.5e-7, 3.25e-7]);
    expect(chart.low).toBeGreaterThanOrEqual(0);
    expect(plainNumber(1.23456e21, 4)).toBe("1235000000000000000000");
  });

  it("names the trials without an objective below the chart, and is empty when none has one", () => {
    const results = fixtureResults([trialRecord(1), trialRecord(2, { status: "diverged", accuracy: null }), trialRecord(3, { status: "not_run", accuracy: null })]);
    const lines = objectiveChartLines(results);
    expect(parseBlock(lines).bars).toHaveLength(1);
    expect(lines.at(-1)).toBe("Not in the chart (no valid_accuracy): #2 diverged, #3 not run.");
    expect(objectiveChartLines(fixtureResults([trialRecord(1, { status: "failed", accuracy: null })]))).toEqual([]);
  });
});

describe("axisRange", () => {
  it("leaves a margin around the values, rounded outward, and keeps accuracy within [0, 1]", () => {
    expect(axisRange([0.7, 0.9], "valid_loss")).toEqual({ low: "0.68", high: "0.92" });
    expect(axisRange([0.95, 0.999], "valid_accuracy")).toEqual({ low: "0.940", high: "1.000" });
    expect(axisRange([0.001, 0.002], "train_loss").low).toBe("0.0009");
    expect(axisRange([0.5, 0.5], "valid_accuracy")).toEqual({ low: "0.495", high: "0.505" });
  });
});
