import { mlpLayers } from "@crossprop/core";
import { createTfjsBackend } from "../src/index.ts";
import { finiteDifferenceGradients, referenceLoss } from "../src/float64-reference.ts";
import { relativeError, SGD, smallBatch, smallParams, smallSpec } from "../src/fixtures.ts";
for (const engine of ["wasm", "cpu"] as const) {
  for (const spec of [smallSpec([5], "tanh", "identity", { type: "cross_entropy", reduction: "mean" }), smallSpec([5, 4], "sigmoid", "tanh", { type: "mse", reduction: "mean" }), smallSpec([6], "relu", "sigmoid", { type: "cross_entropy", reduction: "sum" })]) {
    const params = smallParams(spec); const batch = smallBatch(spec, 7);
    const m = await createTfjsBackend({ engine }).createModel(spec, params, SGD);
    const { loss, gradients } = await m.lossAndGradients(batch);
    const fd = finiteDifferenceGradients(spec, params, batch);
    const ref = referenceLoss(spec, params, batch);
    console.log(engine, spec.loss.type, "loss rel", (Math.abs(loss - ref) / ref).toExponential(2), "grad rel", gradients.map((g, i) => relativeError(g.data, fd[i]!).toExponential(1)).join(" "));
    m.dispose();
  }
}
