import { ReferenceForward, Rng, unravelIndex, type Batch, type DType, type ModelSpec, type ParamList } from "@crossprop/core";
import { FINITE_DIFFERENCE, numericalTolerance } from "./tolerances.ts";

/** One backend's gradient of one parameter against central finite differences. */
export interface NumericalRow {
  backend: string;
  parameter: string;
  checked: number;
  /** Elements whose ±h perturbation crosses a ReLU kink: the derivative is undefined there. */
  skipped: number;
  max_rel_error: number;
  /** The bound max_rel_error is held to (the backend's finite-difference tolerance in the dtype). */
  tolerance: number;
  worst_index: number[] | null;
  analytic: number | null;
  numeric: number | null;
  passed: boolean;
}

export interface NumericalOptions {
  samples: number;
  seed: number;
  dtype: DType;
}

interface Probe {
  parameter: number;
  index: number;
  numeric: number | null; // null: crosses a kink
}

/**
 * Central differences of a float64 reference forward at `params`, on a seeded sample of elements
 * of every parameter, computed once; then every backend's analytic gradient (at the same params,
 * on the same batch) is compared with them.
 */
export function numericalGradientCheck(
  spec: ModelSpec,
  params: ParamList,
  batch: Batch,
  gradients: Map<string, ParamList>,
  options: NumericalOptions,
): NumericalRow[] {
  const probes = finiteDifferences(spec, params, batch, options, FINITE_DIFFERENCE.step);
  const rows: NumericalRow[] = [];
  for (const [backend, grads] of gradients) {
    const rtol = numericalTolerance(options.dtype, backend);
    const { floor } = FINITE_DIFFERENCE;
    params.forEach((param, p) => {
      const mine = probes.filter((probe) => probe.parameter === p);
      const smooth = mine.filter((probe) => probe.numeric !== null);
      // Elements far below the tensor's largest gradient are compared against that scale: float32
      // rounding there follows the terms summed into the tensor, not the element itself.
      const scale = floor * largestMagnitude(grads[p]!.data);
      const row: NumericalRow = {
        backend,
        parameter: param.name,
        checked: smooth.length,
        skipped: mine.length - smooth.length,
        max_rel_error: 0,
        tolerance: rtol,
        worst_index: null,
        analytic: null,
        numeric: null,
        passed: true,
      };
      for (const probe of smooth) {
        const analytic = grads[p]!.data[probe.index]!;
        const error = Math.abs(analytic - probe.numeric!) / Math.max(Math.abs(probe.numeric!), scale, Number.MIN_VALUE);
        if (!(error <= row.max_rel_error) || row.worst_index === null) {
          Object.assign(row, { max_rel_error: Number.isNaN(error) ? Infinity : error, worst_index: unravelIndex(probe.index, param.shape), analytic, numeric: probe.numeric });
        }
      }
      row.passed = row.max_rel_error <= rtol;
      rows.push(row);
    });
  }
  return rows;
}

function finiteDifferences(spec: ModelSpec, params: ParamList, batch: Batch, options: NumericalOptions, h: number): Probe[] {
  const values = params.map((p) => Float64Array.from(p.data));
  const reference = new ReferenceForward(spec, batch);
  reference.evaluate(values, 0); // caches every layer's inputs at the base parameters
  const rng = new Rng(options.seed, "gradcheck");
  const probes: Probe[] = [];
  values.forEach((value, p) => {
    const layer = p >> 1;
    const sample = rng.permutation(value.length).subarray(0, Math.min(options.samples, value.length));
    for (const index of [...sample].sort((a, b) => a - b)) {
      const saved = value[index]!;
      value[index] = saved + h;
      const plus = reference.evaluate(values, layer);
      value[index] = saved - h;
      const minus = reference.evaluate(values, layer);
      value[index] = saved;
      const numeric = plus.reluPattern === minus.reluPattern ? (plus.loss - minus.loss) / (2 * h) : null;
      probes.push({ parameter: p, index, numeric });
    }
  });
  return probes;
}

function largestMagnitude(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  return largest;
}
