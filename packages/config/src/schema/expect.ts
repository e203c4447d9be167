/** expect: bounds on a run's final metrics and parameters. */

/** A bound on one final metric; at least one of min/max. */
export function thresholdSchema(metric: string) {
  return {
    type: "object",
    description: `Bounds the final ${metric}; the run fails if it falls outside.`,
    minProperties: 1,
    additionalProperties: false,
    properties: {
      min: { type: "number", description: `Lowest acceptable ${metric}.` },
      max: { type: "number", description: `Highest acceptable ${metric}.` },
    },
  } as const;
}

export const expectSchema = {
  type: "object",
  description: "Optional bounds on final metrics; a run outside them fails.",
  default: {},
  additionalProperties: false,
  properties: {
    valid_accuracy: thresholdSchema("validation accuracy"),
    valid_loss: thresholdSchema("validation loss"),
    train_loss: thresholdSchema("training loss"),
    parameters: {
      type: "object",
      description: "Final parameters that must be close to given values, by name (e.g. layers.0.bias: {values: [5], atol: 0.1}).",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["values", "atol"],
        properties: {
          values: { type: "array", items: { type: "number" }, minItems: 1, description: "Expected values, row-major." },
          atol: { type: "number", minimum: 0, description: "Largest allowed |final − expected| per element." },
        },
      },
    },
  },
} as const;
