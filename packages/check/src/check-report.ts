import Table from "cli-table3";
import { fitColumns, wrapWords } from "@crossprop/core";
import type { Blame } from "./blame.ts";
import type { CheckResult, Divergence, TensorRow } from "./cross-check.ts";

/** 2: per_step figures, divergent_step's rows and each finite-difference row's tolerance (for the HTML page). */
export const CHECK_REPORT_VERSION = 2;

export interface CheckReportHeader {
  name: string;
  config_file: string;
  dtype: string;
  reference: string;
  backends: string[];
  steps: number;
  /** Whether every backend was given the reference's parameters before each step. */
  synced: boolean;
  /** How the report was made (@crossprop/run's Provenance: command, times, git, versions, machine); check itself does not depend on run. */
  provenance?: object | null;
}

/** The JSON report (schema: packages/check/schema/check-report.schema.json). */
export function checkReportJson(header: CheckReportHeader, result: CheckResult) {
  const { provenance, ...described } = header;
  return {
    schema_version: CHECK_REPORT_VERSION,
    ...described,
    engines: result.engines,
    tolerances: result.tolerances,
    losses: result.losses,
    first_step: { step: 1, rows: result.firstStep },
    last_step: { step: result.losses.length, rows: result.lastStep },
    per_step: result.perStep,
    first_divergence: result.firstDivergence,
    blame: result.blame,
    divergent_step: result.divergentStep,
    numerical: result.numerical,
    passed: result.passed,
    provenance: provenance ?? null,
  };
}

const sci = (value: number | null) => (value === null ? "–" : value === 0 ? "0" : Number.isFinite(value) ? value.toExponential(2) : String(value));
/** A compact table laid out by core's fitColumns in at most `width` columns; `wrapped` if a cell had to break. */
function draw(head: string[], rows: string[][], width: number): { text: string; wrapped: boolean } {
  const fit = fitColumns(head, rows, width);
  const drawn = new Table({ head: fit.head, colWidths: fit.widths.map((w) => w + 2), style: { head: [], border: [], compact: true } });
  drawn.push(...fit.rows);
  return { text: drawn.toString(), wrapped: fit.wrapped };
}

/**
 * A table drawn in at most `width` columns. If its cells would have to break, it is drawn another
 * way: one table per value of column `groupBy` (that column left out, the value above), or `narrow`.
 */
const table = (head: string[], width: number, other: { groupBy?: number; narrow?: () => { head: string[]; rows: string[][] } } = {}) => {
  const rows: string[][] = [];
  return {
    push: (row: string[]) => rows.push(row),
    toString: () => {
      const whole = draw(head, rows, width);
      if (!whole.wrapped) return whole.text;
      if (other.narrow) {
        const narrow = other.narrow();
        return draw(narrow.head, narrow.rows, width).text;
      }
      const column = other.groupBy;
      if (column === undefined) return whole.text;
      const without = (row: string[]) => row.filter((_, i) => i !== column);
      return [...new Set(rows.map((row) => row[column]!))]
        .map((value) => `${head[column]} ${value}:\n${draw(without(head), rows.filter((row) => row[column] === value).map(without), width).text}`)
        .join("\n");
    },
  };
};

/** The human-readable report: losses per step, notebook 002's cmp() table at the first and last step, divergence, gradient check. */
export function checkReportText(header: CheckReportHeader, result: CheckResult, width = 80): string {
  const others = header.backends.filter((b) => b !== header.reference);
  const parts: string[] = [];
  parts.push(
    `check ${header.name}: ${header.steps} steps${header.synced ? " (parameters synced to the reference before each step)" : " (free-running)"}, ${header.dtype}; reference ${header.reference}; ` +
      header.backends.map((b) => `${b} = ${result.engines[b]}`).join(", "),
  );
  parts.push(
    "tolerances: " +
      Object.entries(result.tolerances)
        .map(([pair, t]) => `${pair} loss ${t.loss}, tensors rtol ${t.tensors.rtol}${t.tensors.atol === null ? ` (floor ${t.tensors.floor}·max|ref|)` : `, atol ${t.tensors.atol}`}, intermediates rtol ${t.intermediates.rtol}`)
        .join("; "),
  );

  const shown = result.losses.length <= 24 ? result.losses : [...result.losses.slice(0, 10), null, ...result.losses.slice(-10)];
  // Too wide for a column per backend: a row per step and backend instead.
  const lossRows = () => ({
    head: ["step", "backend", "loss", `rel to ${header.reference}`],
    rows: shown.flatMap((row) => (row === null ? [["…", "", "", ""]] : header.backends.map((b) => [String(row.step), b, row.loss[b]!.toPrecision(8), b === header.reference ? "" : sci(row.rel[b] ?? null)]))),
  });
  const losses = table(["step", ...header.backends.map((b) => `${b} loss`), ...others.map((b) => `${b} rel`)], width, { narrow: lossRows });
  for (const row of shown) {
    if (row === null) losses.push(["…", ...header.backends.map(() => ""), ...others.map(() => "")]);
    else losses.push([String(row.step), ...header.backends.map((b) => row.loss[b]!.toPrecision(8)), ...others.map((b) => sci(row.rel[b] ?? null))]);
  }
  parts.push(`\nlosses per step\n${losses.toString()}`);

  const steps: [string, TensorRow[]][] = [[`step 1`, result.firstStep]];
  if (result.losses.length > 1) steps.push([`step ${result.losses.length}`, result.lastStep]);
  for (const [label, rows] of steps) {
    const cmp = table(["tensor", "kind", "backend", "exact", "allclose", "max abs", "max rel", "worst index"], width, { groupBy: 2 });
    for (const row of rows) {
      cmp.push([row.tensor, row.kind, row.backend, yesNo(row.exact), yesNo(row.allclose), sci(row.max_abs), sci(row.max_rel), row.worst_index ? `[${row.worst_index.join(", ")}]` : "–"]);
    }
    parts.push(`\n${label}: ${rows.some((r) => r.kind === "intermediate") ? "intermediates, " : ""}gradients, logits and updated parameters vs ${header.reference}\n${cmp.toString()}`);
  }

  parts.push(`\n${divergenceLine(result.firstDivergence)}`);
  if (result.blame) parts.push(blameLine(result.blame));
  else if (result.firstDivergence) parts.push(`culprit: not told — ${header.backends.length < 3 ? "with two backends, compare a third (e.g. --backends all) to tell which one is wrong" : "no backend disagrees with all the others while they agree among themselves"}`);

  const fd = table(["backend", "parameter", "checked", "skipped (ReLU kink)", "max rel err", "worst index", "analytic", "numeric", ""], width, { groupBy: 0 });
  for (const row of result.numerical) {
    fd.push([row.backend, row.parameter, String(row.checked), String(row.skipped), sci(row.max_rel_error), row.worst_index ? `[${row.worst_index.join(", ")}]` : "–", sci(row.analytic), sci(row.numeric), row.passed ? "ok" : "FAIL"]);
  }
  parts.push(`\nnumerical gradient check: central differences of a float64 reference forward, at the initial parameters\n${fd.toString()}`);
  const failedFd = result.numerical.filter((row) => !row.passed);
  parts.push(
    `\n${result.passed ? "PASS" : "FAIL"}: ` +
      (result.passed
        ? `every backend agrees with ${header.reference} within tolerance for ${header.steps} steps, and with finite differences`
        : [result.firstDivergence ? (result.blame ? `${result.blame.backend} is wrong, first at ${result.blame.tensor}` : "backends disagree") : "", failedFd.length ? `finite differences disagree with ${failedFd.map((r) => `${r.backend} ${r.parameter}`).join(", ")}` : ""].filter(Boolean).join("; ")),
  );
  // Tables fit already; the prose lines around them are broken at spaces to the width too.
  return `${parts.join("\n").split("\n").map((line) => wrapWords(line, width)).join("\n")}\n`;
}

function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

/** "culprit: B — layers.0.dz wrong at step 1 (max rel 0.43 at [12, 7]); dlogits, layers.1.dh agree; the others agree among themselves". */
export function blameLine(blame: Blame): string {
  const where = blame.index ? ` at [${blame.index.join(", ")}]` : "";
  const agreeing = blame.agreeing.length > 0 ? `; ${blame.agreeing.join(", ")} agree` : "";
  const how = blame.evidence === "agreement" ? `${blame.witnesses.join(", ")} agree among themselves` : `its gradients fail the finite-difference check, ${blame.witnesses[0]}'s pass`;
  return `culprit: ${blame.backend} — ${blame.tensor}: wrong at step ${blame.step} (max rel ${sci(blame.max_rel)}${where} > ${blame.tolerance})${agreeing}; ${how}`;
}

function divergenceLine(divergence: Divergence | null): string {
  if (!divergence) return "first divergence: none — every backend stayed within tolerance at every step";
  const where = divergence.index ? `[${divergence.index.join(", ")}]` : "";
  return (
    `first divergence: step ${divergence.step}, backend ${divergence.backend}, ${divergence.kind} ${divergence.tensor}${where}: ` +
    `max rel ${sci(divergence.max_rel)} > ${divergence.tolerance}`
  );
}
