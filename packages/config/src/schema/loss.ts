/** loss: the training loss. */

import { ALL_LOSSES } from "@crossprop/core";

export const lossSchema = {
  type: "object",
  description: "The training loss.",
  default: {},
  additionalProperties: false,
  properties: {
    type: {
      type: "string",
      enum: ALL_LOSSES,
      default: "cross_entropy",
      description:
        "cross_entropy: softmax cross-entropy from logits; mse: squared error against one-hot targets (classes) or values (regression); sigmoid_distance (notebook 004) and bce: one output against 0/1 labels.",
    },
    reduction: { type: "string", enum: ["mean", "sum"], default: "mean", description: "Average or sum the loss over the batch." },
    target_scale: { type: "number", exclusiveMinimum: 0, default: 1, description: "For mse: one-hot targets are multiplied by this." },
    scale: { type: "number", exclusiveMinimum: 0, default: 1, description: "The reduced loss is multiplied by this (0.5 with sum: ½·Σ squared errors)." },
  },
} as const;
