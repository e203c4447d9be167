/** model: the layer stack and its initialisation. */

import { ALL_ACTIVATIONS } from "@crossprop/core";

/** The distribution of all weights or all biases; only the fields its `type` uses matter. */
function initSpecSchema<T extends "kaiming" | "zeros">(defaultType: T, what: string) {
  return {
    type: "object",
    description: `How the ${what} are drawn.`,
    default: {},
    additionalProperties: false,
    properties: {
      type: {
        type: "string",
        enum: ["normal", "uniform", "kaiming", "xavier", "zeros"],
        default: defaultType,
        description: "normal: N(0, std²); uniform: U(-limit, limit); kaiming/xavier: scaled by fan-in/fan-out; zeros.",
      },
      std: { type: "number", exclusiveMinimum: 0, default: 1, description: "Standard deviation, used by type normal." },
      limit: { type: "number", exclusiveMinimum: 0, default: 1, description: "Half-width of the interval, used by type uniform." },
      gain: {
        type: ["number", "null"],
        exclusiveMinimum: 0,
        default: null,
        description: "Gain for kaiming/xavier; null = the scheme's own (√2 for kaiming, 1 for xavier).",
      },
      distribution: {
        type: "string",
        enum: ["normal", "uniform"],
        default: "normal",
        description: "Whether kaiming/xavier draw from a normal or a uniform of the same variance.",
      },
    },
  } as const;
}

export const modelSchema = {
  type: "object",
  description: "The multilayer perceptron.",
  default: {},
  additionalProperties: false,
  properties: {
    hidden: {
      type: "array",
      items: { type: "integer", minimum: 1 },
      default: [],
      description: "Widths of the hidden layers; [] is the linear model.",
    },
    activation: { type: "string", enum: ALL_ACTIVATIONS, default: "relu", description: "Activation of every hidden layer." },
    output_activation: { type: "string", enum: ALL_ACTIVATIONS, default: "identity", description: "Activation of the output layer." },
    init: {
      type: "object",
      description: "Parameter initialisation.",
      default: {},
      additionalProperties: false,
      properties: { weights: initSpecSchema("kaiming", "weights"), biases: initSpecSchema("zeros", "biases") },
    },
  },
} as const;
