import { describe, expect, it } from "vitest";
import { UserError } from "@crossprop/core";
import { createTfjsBackend } from "./index.ts";
import { SGD, smallParams, smallSpec } from "./small-models.fixture.ts";

describe("createTfjsBackend", () => {
  it("refuses parameters that are not the spec's, before loading an engine", async () => {
    // engine node fails to load where tfjs-node is missing: the parameter check must come first.
    const backend = createTfjsBackend({ engine: "node" });
    const spec = smallSpec([3], "tanh", "identity", { type: "cross_entropy", reduction: "mean" });
    const params = smallParams(spec);
    const transposed = params.map((p, t) => (t === 0 ? { ...p, shape: [3, 4] } : p));
    await expect(backend.createModel(spec, transposed, SGD)).rejects.toThrow(UserError);
    await expect(backend.createModel(spec, transposed, SGD)).rejects.toThrow("layers.0.weight [4, 3]");
    await expect(backend.createModel(spec, params.slice(1), SGD)).rejects.toThrow("expected 4 parameters");
  });
});
