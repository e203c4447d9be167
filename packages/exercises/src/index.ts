export { exercise } from "./exercise.ts";
export { CORRECT, type Formulas, type UpdateContext } from "./formulas.ts";
export { MATRIX, type MatrixEntry } from "./matrix.ts";
