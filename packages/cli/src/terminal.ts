import { wrapWords } from "@crossprop/core";

/**
 * What the CLI's output may assume of where it goes: how wide a line may be, and whether it may
 * use escape sequences (the live bars redraw in place and hide the cursor). Read here, at the top,
 * from the streams, the environment and `--no-color`; the rest of the code is handed the answers.
 */

/** Lines are laid out for this width when the stream is not a terminal and COLUMNS is not set. */
export const DEFAULT_WIDTH = 80;

/** Set by `--no-color` (program.ts). */
let noColorFlag = false;

export function setNoColor(value: boolean): void {
  noColorFlag = value;
}

/**
 * The width to lay lines out for: a terminal's own; elsewhere (a pipe, a file, CI) COLUMNS if it
 * is a positive integer, else 80 — a pipe has no width, and 80 reads everywhere.
 */
export function outputWidth(stream: object, env: NodeJS.ProcessEnv = process.env): number {
  const { isTTY, columns: own } = stream as Partial<NodeJS.WriteStream>;
  if (isTTY && own !== undefined && own > 0) return own;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_WIDTH;
}

/**
 * Whether output may hold escape sequences: only on a terminal, and not with NO_COLOR (any
 * non-empty value, no-color.org) or `--no-color`. crossprop prints no colour at all, so these turn
 * off what escape sequences it does write: the live bars become one plain line per epoch or trial.
 * FORCE_COLOR is not read: there is no colour to force, and a bar needs a terminal to redraw on.
 */
export function escapesAllowed(stream: object, env: NodeJS.ProcessEnv = process.env): boolean {
  return (stream as Partial<NodeJS.WriteStream>).isTTY === true && !noColorFlag && !(env.NO_COLOR !== undefined && env.NO_COLOR !== "");
}

/** "12s", "4m05s", "1h02m": elapsed times and ETAs. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** `text` broken at spaces into lines of at most `width` columns, the later ones indented: long progress and note lines stay readable. */
export function wrapLine(text: string, width: number, indent = "  "): string {
  return wrapWords(text, width, indent);
}
