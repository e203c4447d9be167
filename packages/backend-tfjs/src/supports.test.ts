import { describe, expect, it } from "vitest";
import { checkSpec, SpecError } from "@crossprop/core";
import { createTfjsBackend } from "./index.ts";
import { SGD, smallSpec } from "./small-models.fixture.ts";
import { supports } from "./supports.ts";

const backend = createTfjsBackend({ engine: "cpu" });

describe("supports", () => {
  it("is what every tfjs backend declares", () => {
    expect(backend.supports).toBe(supports);
    expect(createTfjsBackend().supports).toBe(supports);
  });

  it("makes core's checkSpec refuse float64 at the dtype path: TensorFlow.js has no float64 on these engines", () => {
    const spec = { ...smallSpec([3], "tanh", "identity", { type: "cross_entropy", reduction: "mean" }), dtype: "float64" as const };
    let error: unknown;
    try {
      checkSpec(spec, SGD, [backend]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues).toEqual([{ path: "dtype", message: "backend tfjs does not support dtype float64 (supported: float32)" }]);
  });
});
