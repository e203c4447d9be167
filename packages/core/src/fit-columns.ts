/**
 * Fitting a table to a terminal's width: which columns to show and how wide, with headers and
 * cells broken into lines. cli, sweep and check draw their tables with cli-table3 (compact style:
 * `│ a │ b │`); this decides the layout they hand it, so no table is wider than `width`.
 */

/** Terminal columns `text` takes: one per code point, two for emoji shown as pictures (✅ ❌), none for combining marks. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/\p{Mark}/u.test(char) || char === "\u200d" || char === "\ufe0f") continue;
    width += /\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  }
  return width;
}

/** The widest line of a text that may hold newlines. */
export function textWidth(text: string): number {
  return Math.max(0, ...text.split("\n").map(displayWidth));
}

/** Characters after which a header or cell may break: `valid_|accuracy`, `optimizer.|lr`, `[128, |64]`. */
const BREAK_AFTER = /[_.:/ ,(-]/u;

/** `text` split into the pieces it may break between, each ending at a break character. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const char of text) {
    current += char;
    if (BREAK_AFTER.test(char)) {
      out.push(current);
      current = "";
    }
  }
  if (current !== "") out.push(current);
  return out;
}

/** `text` in lines of at most `width` columns, broken after `_ . : / , ( -` or spaces where it can, anywhere where it must. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    const flush = () => {
      lines.push(line.trimEnd());
      line = "";
    };
    for (const piece of pieces(paragraph)) {
      if (line !== "" && displayWidth((line + piece).trimEnd()) > width) flush();
      let rest = line === "" ? piece.trimStart() : piece;
      // A piece longer than the width is cut where it must be.
      while (displayWidth(rest.trimEnd()) > width) {
        let cut = "";
        for (const char of rest) {
          if (displayWidth(cut + char) > width) break;
          cut += char;
        }
        if (cut === "") cut = [...rest][0]!;
        line += cut;
        flush();
        rest = rest.slice(cut.length);
      }
      line += rest;
    }
    flush();
  }
  return lines;
}

/**
 * Prose in lines of at most `width` columns, broken at spaces only (numbers and names stay whole),
 * each line after the first indented by `indent`; a word wider than a line is cut where it must be.
 */
export function wrapWords(text: string, width: number, indent = ""): string {
  if (displayWidth(text) <= width) return text;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (displayWidth(candidate) <= width || line.trim() === "") line = candidate;
    else {
      lines.push(line);
      line = `${indent}${word}`;
    }
  }
  lines.push(line);
  return lines
    .flatMap((l) => (displayWidth(l) <= width ? [l] : wrapText(l, width - indent.length).map((part, j) => (j > 0 || l.startsWith(indent) ? `${indent}${part}` : part))))
    .join("\n");
}

/** The widest piece of `text` it cannot be broken inside: a header's narrowest possible width. */
function unbreakableWidth(text: string): number {
  return Math.max(0, ...text.split("\n").flatMap(pieces).map((piece) => displayWidth(piece.trim())));
}

/**
 * A cell's narrowest width when broken only where a reader expects it: after a space, `:`, `,`,
 * `/`, `_`, or a `.` that is not a decimal point — so `layers.0.|weight` and `autograd:|typescript`
 * break, and numbers (0.9123, 1.5e-7) never do.
 */
function softWidth(text: string): number {
  let widest = 0;
  for (const line of text.split("\n")) {
    let current = "";
    const chars = [...line];
    for (const [i, char] of chars.entries()) {
      current += char;
      const decimal = char === "." && /\d/u.test(chars[i - 1] ?? "") && /\d/u.test(chars[i + 1] ?? "");
      if (/[ :,/_]/u.test(char) || (char === "." && !decimal)) {
        widest = Math.max(widest, displayWidth(current.trim()));
        current = "";
      }
    }
    widest = Math.max(widest, displayWidth(current.trim()));
  }
  return widest;
}

/** Columns a compact cli-table3 adds around `count` columns of content: `│ ` + ` │` each, shared borders. */
export const tableOverhead = (count: number): number => 3 * count + 1;

/** Cells are never squeezed narrower than this (unless already narrower), so wrapped cells stay readable. */
const NARROWEST = 4;

export interface FitOptions {
  /** Indices of columns that may be left out, the first left out first, when the rest do not fit whole. */
  optional?: readonly number[];
}

export interface FittedTable {
  /** Headers and cells of the shown columns, broken into lines with `\n`. */
  head: string[];
  rows: string[][];
  /** Content width of each shown column (cli-table3's colWidths are these + 2). */
  widths: number[];
  /** Headers of the columns left out, in the table's order. */
  omitted: string[];
  /** Some cell may be broken over lines (headers broken at `_ . :` are not counted). */
  wrapped: boolean;
}

/**
 * Lays out `head` and `rows` in at most `width` terminal columns. In order, until it fits:
 * everything on one line; headers broken (valid_ / accuracy); optional columns left out; cells
 * broken where a reader expects it (layers.0. / weight); the widest cells cut, down to 4 columns
 * each. Only a table of more columns than `width` can hold at 4 each comes out wider.
 */
export function fitColumns(head: readonly string[], rows: readonly (readonly string[])[], width: number, options: FitOptions = {}): FittedTable {
  const cellWidth = (i: number) => Math.max(0, ...rows.map((row) => textWidth(row[i] ?? "")));
  const natural = head.map((h, i) => Math.max(textWidth(h), cellWidth(i)));
  const headBroken = head.map((h, i) => Math.max(unbreakableWidth(h), cellWidth(i)));
  const cellsBroken = head.map((h, i) => Math.max(unbreakableWidth(h), ...rows.map((row) => softWidth(row[i] ?? ""))));
  let shown = head.map((_, i) => i);
  const optional = [...(options.optional ?? [])];
  const sum = (widths: number[]) => widths.reduce((a, b) => a + b, 0);
  let widths: number[];
  let wrapped = false;
  for (;;) {
    const available = width - tableOverhead(shown.length);
    const whole = shown.map((i) => natural[i]!);
    if (sum(whole) <= available) {
      widths = whole;
      break;
    }
    const broken = shown.map((i) => headBroken[i]!);
    if (sum(broken) <= available) {
      widths = widenHeaders(broken, whole, available - sum(broken));
      break;
    }
    const next = optional.shift();
    if (next !== undefined && shown.includes(next)) {
      shown = shown.filter((i) => i !== next);
      continue;
    }
    if (next !== undefined) continue;
    wrapped = true;
    const soft = shown.map((i) => cellsBroken[i]!);
    widths = sum(soft) <= available ? widenHeaders(soft, broken, available - sum(soft)) : squeeze(soft, available);
    break;
  }
  const lay = (text: string, w: number) => wrapText(text, w).join("\n");
  return {
    head: shown.map((i, k) => lay(head[i]!, widths[k]!)),
    rows: rows.map((row) => shown.map((i, k) => lay(row[i] ?? "", widths[k]!))),
    widths,
    omitted: head.filter((_, i) => !shown.includes(i)),
    wrapped,
  };
}

/** Spends `slack` on widening columns from `widths` to `whole` (headers or cells back on one line), the cheapest first. */
function widenHeaders(broken: number[], whole: number[], slack: number): number[] {
  const widths = [...broken];
  const order = widths.map((_, k) => k).sort((a, b) => whole[a]! - broken[a]! - (whole[b]! - broken[b]!));
  for (const k of order) {
    const need = whole[k]! - widths[k]!;
    if (need <= slack) {
      widths[k] = whole[k]!;
      slack -= need;
    }
  }
  // What is left goes to a column still short of whole: fewer lines for it (layers.0. / weight).
  for (const k of order) {
    const give = Math.min(slack, whole[k]! - widths[k]!);
    widths[k]! += give;
    slack -= give;
  }
  return widths;
}

/** Narrows the widest columns, one column of width at a time, until the sum fits or all are at NARROWEST. */
function squeeze(widths: number[], available: number): number[] {
  const out = [...widths];
  let total = out.reduce((a, b) => a + b, 0);
  while (total > available) {
    let widest = 0;
    for (let k = 1; k < out.length; k++) if (out[k]! > out[widest]!) widest = k;
    if (out[widest]! <= NARROWEST) break;
    out[widest]!--;
    total--;
  }
  return out;
}
