import { describe, expect, it } from "vitest";
import { didYouMean } from "./suggest.ts";

describe("didYouMean", () => {
  const activations = ["relu", "tanh", "sigmoid", "identity"];

  it("suggests close typos, ignoring case", () => {
    expect(didYouMean("relu6", activations)).toBe("relu");
    expect(didYouMean("ReLU", activations)).toBe("relu");
    expect(didYouMean("sigmiod", activations)).toBe("sigmoid");
    expect(didYouMean("optimzer", ["optimizer", "training"])).toBe("optimizer");
  });

  it("suggests the one key a word abbreviates", () => {
    expect(didYouMean("valid_acc", ["valid_accuracy", "valid_loss", "train_loss"])).toBe("valid_accuracy");
    expect(didYouMean("valid", ["valid_accuracy", "valid_loss", "train_loss"])).toBeUndefined();
  });

  it("suggests the longest key a word starts with", () => {
    expect(didYouMean("kaiming_normal", ["normal", "uniform", "kaiming", "xavier", "zeros"])).toBe("kaiming");
    expect(didYouMean("minimum", ["min", "max"])).toBe("min");
    expect(didYouMean("manual:gpu", ["manual", "manual:wasm", "autograd"])).toBe("manual");
    expect(didYouMean("lr_decay", ["lr", "type"])).toBeUndefined(); // too short a stem to guess from
  });

  it("stays quiet when nothing is close", () => {
    expect(didYouMean("softmax", activations)).toBeUndefined();
    expect(didYouMean("x", ["mse"])).toBeUndefined();
    expect(didYouMean("hinge", ["cross_entropy", "mse"])).toBeUndefined();
  });
});
