/** check: the defaults of `crossprop check`. */

import { DEFAULT_CHECK_PARTICIPANTS, DEFAULT_CHECK_REFERENCE, PARTICIPANT_NAMES } from "@crossprop/backends";

export const checkSchema = {
  type: "object",
  description: "Defaults of `crossprop check`: backends compared step by step, and their tolerances.",
  default: {},
  additionalProperties: false,
  properties: {
    backends: {
      type: "array",
      items: { type: "string", enum: PARTICIPANT_NAMES },
      uniqueItems: true,
      minItems: 1,
      default: DEFAULT_CHECK_PARTICIPANTS,
      description: "Backends to cross-check: a name (its configured engine) or name:engine.",
    },
    reference: { type: "string", enum: PARTICIPANT_NAMES, default: DEFAULT_CHECK_REFERENCE, description: "The backend (name or name:engine) the others are compared with." },
    steps: { type: "integer", minimum: 1, default: 5, description: "Training steps compared." },
    rtol: { type: ["number", "null"], minimum: 0, default: null, description: "Relative tolerance for every pair; null = per-pair defaults (1e-5 between the TypeScript backends, 1e-4 with tfjs)." },
    atol: { type: ["number", "null"], minimum: 0, default: null, description: "Absolute tolerance; null = rtol × floor × the tensor's largest magnitude." },
    fd_samples: { type: "integer", minimum: 1, default: 50, description: "Elements per parameter in the finite-difference gradient check." },
    fd_rows: { type: "integer", minimum: 1, default: 32, description: "Batch rows used by the finite-difference gradient check." },
  },
} as const;
