/** optimizer: the update rule, its learning rate and schedule. */

import { ALL_OPTIMIZERS } from "@crossprop/core";

export const optimizerSchema = {
  type: "object",
  description: "How gradients update the parameters.",
  default: {},
  additionalProperties: false,
  properties: {
    type: {
      type: "string",
      enum: ALL_OPTIMIZERS,
      default: "sgd",
      description: "The update rule, as torch.optim: SGD, SGD with momentum, Adam, AdamW (decoupled weight decay).",
    },
    lr: { type: "number", exclusiveMinimum: 0, default: 0.1, description: "Learning rate." },
    lr_scale: {
      type: "string",
      enum: ["none", "per_sample"],
      default: "none",
      description: "per_sample: the learning rate of each step is divided by its batch's number of rows (notebook 002's lr = 0.1/N).",
    },
    schedule: {
      type: "object",
      description: "How the learning rate changes over the steps.",
      default: {},
      additionalProperties: false,
      properties: {
        type: { type: "string", enum: ["constant", "step"], default: "constant", description: "constant; or step: multiplied by gamma after each milestone." },
        milestones: {
          type: "array",
          items: { type: "integer", minimum: 1 },
          uniqueItems: true,
          default: [],
          description: "For step: after this many steps the learning rate is multiplied by gamma.",
        },
        gamma: { type: "number", exclusiveMinimum: 0, default: 0.1, description: "For step: the factor applied at each milestone." },
      },
    },
    momentum: { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.9, description: "Momentum coefficient, for momentum optimizers." },
    beta1: { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.9, description: "Adam's first-moment decay." },
    beta2: { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.999, description: "Adam's second-moment decay." },
    epsilon: { type: "number", exclusiveMinimum: 0, default: 1e-8, description: "Adam's denominator guard." },
    weight_decay: { type: "number", minimum: 0, default: 0, description: "Weight decay: added to the gradient (λ·p) for sgd, momentum and adam; decoupled (p ← p − lr·λ·p) for adamw." },
  },
} as const;
