import { readFileSync } from "node:fs";
import { UserError } from "@crossprop/core";
import { ioReason, type Provenance } from "@crossprop/run";

/**
 * A `check --json` report as the page reads it (packages/check/schema/check-report.schema.json,
 * version 2). Declared here, not imported from @crossprop/check: the page is built from the file,
 * and the file is the contract. Infinite and NaN numbers are null in it.
 */
export interface CheckJson {
  schema_version: 2;
  name: string;
  config_file: string;
  dtype: "float32" | "float64";
  reference: string;
  backends: string[];
  steps: number;
  synced: boolean;
  engines: Record<string, string>;
  /** `intermediates` is absent in reports written before intermediates were compared. */
  tolerances: Record<string, { loss: number; tensors: { rtol: number; atol: number | null; floor: number }; intermediates?: { rtol: number; atol: number | null; floor: number } }>;
  losses: { step: number; loss: Record<string, number | null>; rel: Record<string, number | null> }[];
  first_step: CheckStepRows;
  last_step: CheckStepRows;
  per_step: { step: number; pairs: CheckPairFigure[] }[];
  first_divergence: CheckDivergence | null;
  /** Absent in reports written before blame existed (the page then shows none). */
  blame?: CheckBlame | null;
  divergent_step: CheckStepRows | null;
  numerical: CheckNumericalRow[];
  passed: boolean;
  provenance: Provenance | null;
}

export type CheckQuantity = "loss" | "intermediate" | "gradient" | "output" | "parameter";

export interface CheckPairFigure {
  backend: string;
  quantity: CheckQuantity;
  tensor: string;
  max_rel: number | null;
  tolerance: number;
}

export interface CheckTensorRow {
  tensor: string;
  kind: Exclude<CheckQuantity, "loss">;
  backend: string;
  exact: boolean;
  allclose: boolean;
  max_abs: number | null;
  max_rel: number | null;
  worst_index: number[] | null;
}

export interface CheckStepRows {
  step: number;
  rows: CheckTensorRow[];
}

export interface CheckDivergence {
  step: number;
  backend: string;
  tensor: string;
  kind: CheckQuantity;
  index: number[] | null;
  max_rel: number | null;
  tolerance: number;
}

/** The backend the others' agreement (or the finite differences) says is wrong, and where first. */
export interface CheckBlame {
  backend: string;
  evidence: "agreement" | "finite differences";
  witnesses: string[];
  step: number;
  tensor: string;
  kind: CheckQuantity;
  index: number[] | null;
  max_rel: number | null;
  tolerance: number;
  agreeing: string[];
}

export interface CheckNumericalRow {
  backend: string;
  parameter: string;
  checked: number;
  skipped: number;
  max_rel_error: number | null;
  tolerance: number;
  worst_index: number[] | null;
  analytic: number | null;
  numeric: number | null;
  passed: boolean;
}

/** The fields the page reads, by the JSON type each must have: a file without them is not a report it can draw. */
const FIELDS: Record<string, "string" | "number" | "boolean" | "array" | "object"> = {
  name: "string", config_file: "string", dtype: "string", reference: "string", backends: "array", steps: "number", synced: "boolean",
  engines: "object", tolerances: "object", losses: "array", per_step: "array", numerical: "array", passed: "boolean",
};

/** Reads and checks a check report; anything the page cannot be built from is a one-line UserError naming the file (exit 2). */
export function readCheckJson(file: string): CheckJson {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(`${file}: cannot read: ${ioReason(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not a check report: not JSON (${(error as Error).message})`);
  }
  const report = value as Record<string, unknown> | null;
  if (typeof report !== "object" || report === null || Array.isArray(report) || !("schema_version" in report) || !("first_divergence" in report)) {
    throw new UserError(`${file}: not a check report (the JSON crossprop check --json writes)`);
  }
  if (report.schema_version === 1) {
    throw new UserError(`${file}: a check report of schema_version 1 has no per-step figures to draw: rerun crossprop check ${typeof report.config_file === "string" ? report.config_file : "CONFIG"} --json FILE (or --html FILE)`);
  }
  if (report.schema_version !== 2) throw new UserError(`${file}: check report schema_version ${JSON.stringify(report.schema_version)}, not 2: written by another crossprop; rerun crossprop check --json with this one`);
  for (const [field, type] of Object.entries(FIELDS)) {
    const actual = Array.isArray(report[field]) ? "array" : report[field] === null ? "null" : typeof report[field];
    if (actual !== type) throw new UserError(`${file}: not a complete check report: ${field} is ${actual === "undefined" ? "missing" : `a ${actual}`}, not a${type === "array" || type === "object" ? "n" : ""} ${type}`);
  }
  return report as unknown as CheckJson;
}
