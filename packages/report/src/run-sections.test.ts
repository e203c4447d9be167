import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { FASHION_MNIST_DIR, inputsOf } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { fixtureRun } from "./run-directory.fixture.ts";
import { readRunFiles } from "./run-files.ts";
import { modelSectionsHtml } from "./run-sections.ts";
import { figureById, markCount, markTexts } from "./svg-marks.fixture.ts";

const SUBSET = `name: threes-and-sevens
data: { dataset: mnist, classes: [3, 7], train_size: 200, test_size: 100 }
model: { hidden: [] }
`;

/** Wrong for every 7th example, with a probability that differs between them, so the order of the surest mistakes is defined. */
const predict = (i: number, label: number): [number, number] => (i % 7 === 0 ? [1 - label, 0.5 + ((i * 37) % 100) / 201] : [label, 0.97]);

/** The pixels of a data: URI PNG written by png.ts (filter 0 on every row): inflate and drop the filter bytes. */
function pngPixels(uri: string, side: number): Uint8Array {
  const png = Buffer.from(uri.slice("data:image/png;base64,".length), "base64");
  let at = 8;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    if (png.toString("latin1", at + 4, at + 8) === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const scanlines = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) pixels.set(scanlines.subarray(y * (side + 1) + 1, (y + 1) * (side + 1)), y * side);
  return pixels;
}

describe("the run page's sections for a classifier (MNIST 3 vs 7)", async () => {
  const run = fixtureRun({ config: SUBSET, predict });
  const html = await modelSectionsHtml(readRunFiles(run.dir));
  const csv = readFileSync(join(run.dir, "predictions.csv"), "utf8").trim().split("\n").slice(1).map((line) => line.split(",").map(Number));

  it("draws the confusion matrix with the counts predictions.csv holds, classes named as in summary.json", () => {
    const counts = new Map<string, number>();
    for (const [, label, predicted] of csv) counts.set(`${label},${predicted}`, (counts.get(`${label},${predicted}`) ?? 0) + 1);
    const svg = figureById(html, "confusion-counts");
    expect(markCount(svg, "rect mark")).toBe(4);
    // Cells in data order: true 3 (label 0) × predicted 3, 7; then true 7.
    expect(markTexts(svg).map(Number)).toEqual(["0,0", "0,1", "1,0", "1,1"].map((key) => counts.get(key) ?? 0));
    expect(markTexts(svg).map(Number).reduce((a, b) => a + b)).toBe(100);
    expect(svg).toContain("predicted class: 7; true class: 3");
    const shares = markTexts(figureById(html, "confusion-normalised"));
    const support0 = (counts.get("0,0") ?? 0) + (counts.get("0,1") ?? 0);
    expect(shares[0]).toBe(`${Math.round((100 * counts.get("0,0")!) / support0)}%`);
  });

  it("draws one accuracy bar per class and lists the confused pairs with their share of the true class", () => {
    expect(markCount(figureById(html, "per-class-accuracy"), "bar")).toBe(2);
    const wrong3 = csv.filter(([, label, predicted]) => label === 0 && predicted === 1).length;
    const all3 = csv.filter(([, label]) => label === 0).length;
    expect(html).toContain(`<tr><td>3 → 7</td><td>${wrong3}</td><td>${((100 * wrong3) / all3).toFixed(1)}%</td></tr>`);
  });

  it("shows the surest mistakes as the validation set's own pixels, surest first, with label, prediction and probability", () => {
    const wrong = csv.filter(([, label, predicted]) => label !== predicted).sort((a, b) => b[3]! - a[3]! || a[0]! - b[0]!);
    const images = [...html.matchAll(/<figure class="digit"><img src="([^"]+)" width="84" height="84" alt="validation example (\d+): a (\d) predicted as (\d)"><figcaption>([^<]*)<br>p ([^ ]+)/g)];
    expect(images.map((m) => Number(m[2]))).toEqual(wrong.slice(0, 16).map((row) => row[0]));
    for (const [, uri, index, label, predicted, caption, probability] of images) {
      const i = Number(index);
      expect(pngPixels(uri!, 28)).toEqual(Uint8Array.from(inputsOf(run.experiment.dataset.valid, i)));
      expect(label).toBe(run.experiment.dataset.valid.labels![i] === 0 ? "3" : "7");
      expect(caption).toBe(`true ${label} → ${predicted}`);
      expect(Number(probability)).toBeCloseTo(csv[i]![3]!, 3);
    }
  });

  it("draws each unit's first-layer weights at the start and the end, and the histograms per layer", () => {
    expect(html).toMatch(/as a 28×28 image \(all 2 units\)/);
    expect(html.match(/alt="first layer, unit \d, weights at the (start|end)"/g)).toHaveLength(4);
    // Weights share bins: 40 bars each for start and end; gradients one panel each.
    expect(markCount(figureById(html, "weights-0"), "bar")).toBe(80);
    expect(markCount(figureById(html, "gradients-0"), "bar")).toBe(80);
    expect(html).not.toContain("<script");
  });
});

describe("the run page's sections when files or data are missing", () => {
  it("says in one sentence that an older run lacks predictions.csv and gradients.safetensors", async () => {
    const run = fixtureRun({ config: SUBSET, omit: ["predictions.csv", "gradients.safetensors"] });
    const html = await modelSectionsHtml(readRunFiles(run.dir));
    expect(html).toContain("predictions.csv is absent (a run from before predictions were saved), so there is no confusion matrix and no misclassified digits.");
    expect(html).toContain("gradients.safetensors is absent (a run from before gradients were saved), so no gradient histograms are shown.");
    expect(html).toMatch(/<figure class="chart" id="weights-0">/);
  });

  it("says why the digits cannot be shown when the data was moved, and still draws the rest", async () => {
    const run = fixtureRun({ config: SUBSET, predict });
    const file = join(run.dir, "config.resolved.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("dataset: mnist\n  path: null", "dataset: idx\n  path: moved-away"));
    const html = await modelSectionsHtml(readRunFiles(run.dir));
    // The relative path is resolved against the config file's directory, and the message names it.
    expect(html).toContain(`<p>The misclassified digits cannot be shown: the run&#39;s data cannot be loaded: IDX directory not found: ${join(run.configDir, "moved-away")}.</p>`);
    expect(html).toMatch(/<figure class="chart" id="confusion-counts">/);
  });

  it("refuses to show digits from data whose sha256 is not the run's", async () => {
    const run = fixtureRun({ config: SUBSET, predict });
    const file = join(run.dir, "summary.json");
    writeFileSync(file, readFileSync(file, "utf8").replace(run.experiment.dataSha256, "0".repeat(64)));
    const html = await modelSectionsHtml(readRunFiles(run.dir));
    expect(html).toContain(`the data loaded now (sha256 ${run.experiment.dataSha256.slice(0, 12)}…) is not what the run used (000000000000…)`);
  });
});

describe("the run page's sections for other data", () => {
  // .ci/run installs Debian's dataset-fashion-mnist best effort; without it there are no pixels to test.
  it.skipIf(!existsSync(FASHION_MNIST_DIR))("Fashion-MNIST as an IDX directory relative to the config, a class subset and a 256-unit layer: the first 64 units", async () => {
    const config = `name: fashion-subset
data: { dataset: idx, path: fashion, classes: [5, 9], train_size: 200, test_size: 100 }
model: { hidden: [256] }
`;
    const linkFashion = (configDir: string) => {
      mkdirSync(join(configDir, "fashion"));
      for (const file of readdirSync(FASHION_MNIST_DIR)) symlinkSync(join(FASHION_MNIST_DIR, file), join(configDir, "fashion", file));
    };
    const run = fixtureRun({ config, predict, prepareConfigDir: linkFashion });
    // As a hand-written or older config.resolved.yaml: the path relative to the config file's directory.
    const resolved = join(run.dir, "config.resolved.yaml");
    writeFileSync(resolved, readFileSync(resolved, "utf8").replace(`path: ${join(run.configDir, "fashion")}`, "path: fashion"));
    expect(readFileSync(resolved, "utf8")).toMatch(/\n  path: fashion\n/);
    const html = await modelSectionsHtml(readRunFiles(run.dir));
    expect(html).toMatch(/\(the first 64 of its 256 units\)/);
    expect(html.match(/alt="first layer, unit \d+, weights at the (start|end)"/g)).toHaveLength(128);
    expect(html.match(/<figure class="digit">/g)).toHaveLength(15);
    expect(html).toMatch(/alt="validation example \d+: a (5 predicted as 9|9 predicted as 5)"/);
    expect(html).toMatch(/<figure class="chart" id="gradients-1">/);
  });

  it("regression: the learned against the true parameters, and predicted against actual with the y = x line", async () => {
    const config = `name: line
data: { dataset: synthetic-linear, synthetic: { weights: [3, -4], bias: 5, valid_samples: 300 } }
model: { hidden: [] }
loss: { type: mse }
`;
    const run = fixtureRun({ config });
    const html = await modelSectionsHtml(readRunFiles(run.dir));
    const parameters = figureById(html, "learned-vs-true");
    expect(markCount(parameters, "tick")).toBe(3);
    expect(markCount(parameters, "point")).toBe(3);
    expect(parameters).toContain(`aria-label="value: −4; parameter: weight 1"`); // the true value, with vega's minus sign
    const scatter = figureById(html, "predicted-vs-actual");
    expect(markCount(scatter, "point")).toBe(300);
    expect(markCount(scatter, "line mark")).toBe(1);
    expect(html).not.toContain("confusion");
  });
});
