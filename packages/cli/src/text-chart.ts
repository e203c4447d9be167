import { plot, type PlotConfig } from "asciichart";
import { displayWidth } from "@crossprop/core";
import { wrapLine } from "./terminal.ts";

/** What the end-of-run chart shows: every step's loss and each evaluation. */
export interface ChartedHistory {
  stepLosses: readonly number[];
  epochs: readonly { valid_loss: number; valid_accuracy: number | null }[];
}

export interface TextChartOptions {
  /** Columns every line must fit in (outputWidth). */
  width: number;
  /** Colour the curves (a terminal without NO_COLOR / --no-color: escapesAllowed). */
  colour: boolean;
}

/** Rows of the plots: enough to see a curve's shape, few enough to leave the table on screen. */
const LOSS_ROWS = 8;
const EVALUATION_ROWS = 5;
/** An evaluation is drawn this many columns wide at most, so a handful of them still reads as a curve. */
const COLUMNS_PER_EVALUATION = 4;
/** Every y label is this wide (4 significant digits: "0.9812", "1.23e-5"), so the plot's width is known before it is drawn. */
const LABEL_WIDTH = 9;
const OFFSET = 2;
/** Columns left of the curve: asciichart writes the label at OFFSET − its width (≥ 0), then the axis at OFFSET − 1. */
const LEFT = OFFSET + LABEL_WIDTH - 1;
const CYAN = "\u001b[36m";
const GREEN = "\u001b[32m";
const ESCAPE = /\u001b\[[0-9;]*m/g;

/**
 * The end-of-run text chart: the loss of every step, averaged into as many columns as fit, then
 * validation accuracy (loss for regression) per evaluation. Empty when there is nothing to draw
 * or no room; every line fits `width` columns.
 */
export function endOfRunChart(history: ChartedHistory, options: TextChartOptions): string {
  // asciichart draws n points in n − 1 columns after the axis (segments between them), plus a blank
  const columns = options.width - LEFT;
  if (columns < 8) return "";
  const parts: string[] = [];
  const losses = history.stepLosses.filter(Number.isFinite);
  if (losses.length > 0) {
    const series = stretch(losses, columns);
    const perColumn = losses.length / series.length;
    const log = logScale(series);
    const steps = perColumn > 1 ? `${losses.length} steps, each column the mean of ${formatCount(perColumn)}` : `${losses.length} ${losses.length === 1 ? "step" : "steps"}`;
    const caption = `loss per step${log ? ", log scale" : ""} (${steps})`;
    const plotted = log ? series.map(Math.log10) : series;
    parts.push(wrapLine(caption, options.width), fit(draw(plotted, LOSS_ROWS, options.colour ? CYAN : undefined, log), options.width));
  }
  const accuracy = history.epochs.every((e) => e.valid_accuracy !== null);
  const values = history.epochs.map((e) => (accuracy ? e.valid_accuracy! : e.valid_loss)).filter(Number.isFinite);
  if (values.length > 0) {
    const series = stretch(values, columns);
    const caption = `validation ${accuracy ? "accuracy" : "loss"} per evaluation (${values.length})`;
    parts.push(wrapLine(caption, options.width), fit(draw(series, EVALUATION_ROWS, options.colour ? GREEN : undefined), options.width));
  }
  return parts.join("\n");
}

/** At most `columns` points: the means of consecutive, near-equal runs of `values` (all of them if they fit). */
export function downsample(values: readonly number[], columns: number): number[] {
  if (values.length <= columns) return [...values];
  const out: number[] = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * values.length) / columns);
    const to = Math.floor(((c + 1) * values.length) / columns);
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i]!;
    out.push(sum / (to - from));
  }
  return out;
}

/**
 * Few points widened to up to COLUMNS_PER_EVALUATION columns apart, linearly interpolated between
 * (repeating them would draw stairs), many averaged down to `columns`.
 */
export function stretch(values: readonly number[], columns: number): number[] {
  if (values.length < 2) return [...values];
  const gap = Math.min(COLUMNS_PER_EVALUATION, Math.floor((columns - 1) / (values.length - 1)));
  if (gap <= 1) return downsample(values, columns);
  const out: number[] = [];
  for (let i = 0; i < values.length - 1; i++) {
    for (let k = 0; k < gap; k++) out.push(values[i]! + ((values[i + 1]! - values[i]!) * k) / gap);
  }
  out.push(values.at(-1)!);
  return out;
}

/**
 * A loss that spans a decade or more (configs/mlp.yaml: a first step at 50, an end at 0.14) is
 * drawn on a log scale: linearly, every step after the first few would sit on the bottom row.
 */
export function logScale(series: readonly number[]): boolean {
  const min = Math.min(...series);
  return min > 0 && Math.max(...series) / min >= 10;
}

/** `log`: the series holds log10 values, labelled with the values themselves. */
function draw(series: number[], rows: number, colour: string | undefined, log = false): string {
  // A flat line still needs a range to lay its rows out on.
  const min = Math.min(...series);
  const max = Math.max(...series);
  const config: PlotConfig = { height: rows - 1, offset: OFFSET, format: (x: number) => label(log ? 10 ** x : x).padStart(LABEL_WIDTH) };
  const spread = Math.max(Math.abs(min) * 0.01, 1e-12);
  if (min === max) Object.assign(config, { min: min - spread, max: max + spread, height: 2 });
  if (colour) config.colors = [colour];
  return plot(series, config);
}

/** 4 significant digits, in at most LABEL_WIDTH columns. */
function label(x: number): string {
  const fixed = String(Number(x.toPrecision(4)));
  return fixed.length <= LABEL_WIDTH ? fixed : x.toExponential(2);
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : `≈${value.toFixed(1)}`;
}

/** Trailing blanks dropped; a line past `width` (never, by the layout above: a guard) is cut, without its colour. */
function fit(text: string, width: number): string {
  return text
    .split("\n")
    .map((line) => {
      const trimmed = line.trimEnd();
      if (displayWidth(trimmed.replace(ESCAPE, "")) <= width) return trimmed;
      let plain = trimmed.replace(ESCAPE, "");
      while (displayWidth(plain) > width) plain = plain.slice(0, -1);
      return plain;
    })
    .join("\n");
}
