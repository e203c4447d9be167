import { initParams, referenceIntermediates, supportIssues, type Backend } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { BACKENDS_UNDER_TEST, REFERENCE } from "./backends.ts";
import { conformanceCases, makeBatch } from "./cases.ts";
import { tensorDiff } from "./compare.ts";

/**
 * Every backend's intermediates (z, h, dL/dh, dL/dz per layer) against core's float64 reference,
 * whose gradients are central finite differences of the loss through the layers after each tensor
 * — so a wrong backward formula shows here whichever backend has it, not only as a disagreement.
 *
 * Tolerances: float64 — central differences at h = 1e-5 carry truncation h²·f‴/6 ≈ 2e-11·f‴ and
 * rounding ≈ 1e-16·|L|/h = 1e-11·|L|; against elements floored at 1e-2 × the tensor's largest
 * magnitude (elements near 0 carry the rounding of the whole loss) that is ≲ 1e-6 relative (the
 * largest seen: 1.6e-6, in sigmoid layers, the same in all four float64 engines — the reference's
 * own error), so 1e-5; a wrong formula is off by O(1). float32 — the backend's own rounding
 * (2^-24 per op, over sums of ≤ 64 terms) dominates: 1e-3, floor 0.2.
 * The cases are conformance's small ones (16 rows, ≤ 64 inputs): FD costs one loss per element.
 */
const STEP = 1e-5;
const CASES = [...conformanceCases("float64"), ...conformanceCases("float32")].filter((c) => c.spec.inputs <= 64);
const ALL: Backend[] = [REFERENCE, ...BACKENDS_UNDER_TEST.map((entry) => entry.backend)];

for (const backend of ALL) {
  describe(`intermediates of ${backend.name} against float64 finite differences`, () => {
    for (const testCase of CASES) {
      if (supportIssues(backend.name, backend.supports, testCase.spec, testCase.optimizer).length > 0) continue;
      it(testCase.name, async () => {
        const initial = initParams(testCase.spec, testCase.init, 11);
        const batch = makeBatch(testCase.spec, testCase.data, 16, 3);
        const model = await backend.createModel(testCase.spec, initial, testCase.optimizer);
        try {
          const before = await model.getParams();
          const actual = await model.intermediates!(batch);
          const expected = referenceIntermediates({ ...testCase.spec, dtype: "float64" }, initial, batch, STEP);
          expect(actual.map((t) => `${t.name}:${t.shape.join("x")}`)).toEqual(expected.map((t) => `${t.name}:${t.shape.join("x")}`));
          const float64 = testCase.spec.dtype === "float64";
          for (const [i, tensor] of actual.entries()) {
            const diff = tensorDiff(tensor.data, expected[i]!.data, float64 ? 1e-2 : 0.2);
            expect(diff.maxRel, `${tensor.name} at ${diff.index}`).toBeLessThanOrEqual(float64 ? 1e-5 : 1e-3);
          }
          // intermediates changes nothing: the parameters are as they were.
          expect(await model.getParams()).toEqual(before);
        } finally {
          model.dispose();
        }
      });
    }
  });
}
