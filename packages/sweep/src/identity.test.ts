import { describe, expect, it } from "vitest";
import { canonicalJson, shortHash, trialId } from "./identity.ts";

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps list order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});

describe("trialId", () => {
  it("is 12 hex digits, equal for equal configs whatever the key order, different otherwise", () => {
    const id = trialId({ name: "x", optimizer: { lr: 0.1, type: "sgd" } });
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(trialId({ optimizer: { type: "sgd", lr: 0.1 }, name: "x" })).toBe(id);
    expect(trialId({ name: "x", optimizer: { lr: 0.5, type: "sgd" } })).not.toBe(id);
  });

  it("leaves out the pass/fail bounds and the sweep section: neither changes what is trained", () => {
    const trained = { name: "x", optimizer: { lr: 0.1, type: "sgd" } };
    const id = trialId(trained);
    expect(trialId({ ...trained, expect: { valid_accuracy: { min: 0.9 } } })).toBe(id);
    expect(trialId({ ...trained, expect: { valid_accuracy: { min: 0.5 } }, sweep: { grid: { "optimizer.lr": [0.1] } } })).toBe(id);
    expect(trialId({ ...trained, seed: 1, expect: {} })).not.toBe(id);
  });

  it("shortHash is the sha256 prefix", () => {
    expect(shortHash("")).toBe("e3b0c44298fc");
  });
});
