/** training: the loop — epochs or steps, batch size, evaluation, shuffling. */

export const trainingSchema = {
  type: "object",
  description: "The training loop.",
  default: {},
  additionalProperties: false,
  properties: {
    epochs: { type: "integer", minimum: 1, default: 1, description: "Passes over the training set (ignored when steps is set)." },
    steps: { type: ["integer", "null"], minimum: 1, default: null, description: "Train for this many steps instead of whole epochs; null = epochs." },
    batch_size: {
      anyOf: [{ type: "integer", minimum: 1 }, { type: "string", enum: ["full"] }],
      default: 64,
      description: "Examples per gradient step, or full: the whole training set (full-batch gradient descent).",
    },
    eval_every: {
      type: ["integer", "null"],
      minimum: 1,
      default: null,
      description: "Evaluate (a metrics.jsonl line) every this many steps; null = after each epoch, or 10 times when training by steps.",
    },
    shuffle: { type: "boolean", default: true, description: "false = file order; true = seeded reshuffle each epoch." },
    threads: {
      type: ["integer", "null"],
      minimum: 1,
      maximum: 256,
      default: null,
      description: "Threads the wasm engines split each large product over; null = every available core. Results are byte-identical for any count.",
    },
  },
} as const;
