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

  it("stays quiet when nothing is close", () => {
    expect(didYouMean("softmax", activations)).toBeUndefined();
    expect(didYouMean("x", ["mse"])).toBeUndefined();
    expect(didYouMean("hinge", ["cross_entropy", "mse"])).toBeUndefined();
  });
});
