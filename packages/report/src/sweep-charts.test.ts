import { describe, expect, it } from "vitest";
import { renderSvg } from "./render-svg.ts";
import { gridHeatmap, heatmapAxes, objectiveChart, parameterPanel } from "./sweep-charts.ts";
import { gridResults, sweepResults, sweepTrial } from "./sweep-results.fixture.ts";

/** The drawn items of the SVG's mark group `group` (e.g. "mark-rect role-mark layer_0_marks"): their aria labels. */
function items(svg: string, group: string): string[] {
  const start = svg.indexOf(`class="${group}"`);
  if (start < 0) return [];
  const end = svg.indexOf("</g>", start);
  return [...svg.slice(start, end).matchAll(/aria-label="([^"]*)" role="graphics-symbol"/g)].map((m) => m[1]!);
}

type Values = Record<string, unknown>[];
const dataOf = (spec: object) => (spec as { data: { values: Values } }).data.values;

describe("objectiveChart", async () => {
  const results = gridResults();
  const spec = objectiveChart(results)!;
  const svg = await renderSvg(spec);

  it("draws one point per trial with an objective, the best one as the red diamond labelled best", () => {
    const points = items(svg, "mark-symbol role-mark layer_0_marks");
    expect(points).toHaveLength(5);
    expect(points.map((label) => /valid_accuracy \(higher is better\): ([0-9.]+)/.exec(label)?.[1])).toEqual(["0.907", "0.939", "0.882", "0.682", "0.714"]);
    expect(dataOf(spec).filter((v) => v.best).map((v) => v.trial)).toEqual(["#2"]);
    expect(results.best?.index).toBe(2);
    expect(items(svg, "mark-text role-mark layer_1_marks")).toEqual(["trial (plan order): #2; objective: 0.939"]);
    expect(svg.match(/>best<\/text>/g)).toHaveLength(1);
    // The only red point is the best trial's, drawn as a diamond (a path of straight lines; circles are arcs).
    const red = [...svg.matchAll(/<path aria-label="([^"]*)"[^>]*d="([^"]*)" fill="#e45756"/g)];
    expect(red.map((m) => m[1])).toEqual(["trial (plan order): #2; valid_accuracy (higher is better): 0.939"]);
    expect(red[0]![2]).toMatch(/^M[-0-9.,]+(L[-0-9.,]+)+Z$/);
  });

  it("writes the status of a trial without an objective where its point would be", () => {
    expect(items(svg, "mark-text role-mark layer_2_marks")).toEqual([expect.stringMatching(/^trial \(plan order\): #4; status: diverged$/)]);
  });

  it("is null when no trial has an objective (the page says so in words)", () => {
    expect(objectiveChart(sweepResults(["optimizer.lr"], [sweepTrial(1, { "optimizer.lr": 1 }, null, "failed")]))).toBeNull();
  });
});

describe("gridHeatmap", async () => {
  const results = gridResults();
  const spec = gridHeatmap(results)!;
  const svg = await renderSvg(spec);

  it("has a cell per grid point holding that trial's parameters and objective", () => {
    const cells = dataOf(spec).map((v) => [v.row, v.column, v.objective]);
    expect(cells).toEqual(results.trials.map((t) => [String(t.params["optimizer.lr"]), String(t.params["training.batch_size"]), t.objective]));
    // Drawn: five coloured cells, the diverged one grey, the best one outlined; every cell labelled with its number or status.
    expect(items(svg, "mark-rect role-mark layer_0_marks")).toHaveLength(5);
    expect(items(svg, "mark-rect role-mark layer_1_marks")).toEqual(["training.batch_size: 64; optimizer.lr: 0.1"]);
    expect(items(svg, "mark-rect role-mark layer_2_marks")).toEqual(["training.batch_size: 64; optimizer.lr: 0.05"]);
    expect(items(svg, "mark-text role-mark layer_3_marks").map((label) => label.split("label: ")[1])).toEqual(["0.9070", "0.9390", "0.8820", "diverged", "0.6820", "0.7140"]);
  });

  it("puts the first path on the rows and the second on the columns, in the grid's order", async () => {
    expect(svg).toMatch(/>optimizer\.lr<\/text>/);
    const rowLabels = [...svg.matchAll(/text-anchor="end" transform="translate\(-7,[0-9.]+\)"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(rowLabels).toEqual(["0.05", "0.1", "0.5"]);
  });

  it("colours a loss the other way round, so the better end of the scale is bright either way", () => {
    const loss = { ...results, objective: { metric: "valid_loss", goal: "min" } } as const;
    const layer = (gridHeatmap(loss) as { layer: { encoding?: { color?: { scale?: { reverse: boolean } } } }[] }).layer[0]!;
    expect(layer.encoding?.color?.scale?.reverse).toBe(true);
  });

  it("is drawn only for a grid over exactly two paths", () => {
    expect(heatmapAxes(results)).toEqual({ rows: ["0.05", "0.1", "0.5"], columns: ["32", "64"] });
    const three = sweepResults(["a", "b", "c"], [sweepTrial(1, { a: 1, b: 2, c: 3 }, 0.5)]);
    expect(gridHeatmap(three)).toBeNull();
    // Random draws: every trial its own row and column, a diagonal rather than a grid.
    const random = sweepResults(["a", "b"], [1, 2, 3].map((i) => sweepTrial(i, { a: i / 10, b: i * 7 }, 0.5)));
    expect(heatmapAxes(random)).toBeNull();
    // The same pair twice (a grid point crossed with random draws of another path): not one cell per trial.
    const twice = sweepResults(["a", "b"], [sweepTrial(1, { a: 1, b: 1 }, 0.5), sweepTrial(2, { a: 1, b: 1 }, 0.6)]);
    expect(heatmapAxes(twice)).toBeNull();
  });
});

describe("parameterPanel", () => {
  const trials = [
    sweepTrial(1, { "optimizer.lr": 0.001, "model.hidden": [], backend: "manual" }, 0.81),
    sweepTrial(2, { "optimizer.lr": 0.01, "model.hidden": [128, 64], backend: "tfjs" }, 0.9),
    sweepTrial(3, { "optimizer.lr": 0.1, "model.hidden": [], backend: "tfjs" }, null),
  ];
  const results = sweepResults(["optimizer.lr", "model.hidden", "backend"], trials);

  it("draws one point per trial with an objective; numbers spanning 20× or more on a log axis", async () => {
    const spec = parameterPanel(results, "optimizer.lr") as { encoding: { x: { type: string; scale: { type?: string } } } };
    expect(spec.encoding.x).toMatchObject({ type: "quantitative", scale: { type: "log" } });
    const svg = await renderSvg(parameterPanel(results, "optimizer.lr"));
    expect(items(svg, "mark-symbol role-mark marks").map((label) => label.replace(/; .*$/, ""))).toEqual(["optimizer.lr: 0.001", "optimizer.lr: 0.01"]);
  });

  it("shows lists and strings as categories in the order they first appear", async () => {
    const spec = parameterPanel(results, "model.hidden") as { encoding: { x: { type: string; sort: string[] } } };
    expect(spec.encoding.x).toMatchObject({ type: "ordinal", sort: ["[]", "[128,64]"] });
    // The best (trial 2, tfjs) is drawn last, over any point at its place; the categories keep their order.
    const svg = await renderSvg(parameterPanel(sweepResults(["backend"], [...trials, sweepTrial(4, { backend: "manual" }, 0.7)]), "backend"));
    expect(items(svg, "mark-symbol role-mark marks").map((label) => label.split(";")[0])).toEqual(["backend: manual", "backend: manual", "backend: tfjs"]);
    expect(svg).toContain("X-axis titled 'backend' for a discrete scale with 2 values: manual, tfjs");
  });
});
