import { allocBuffer } from "./buffer-pool.ts";
import { sizeOf, Tensor } from "./tensor.ts";

/** The same elements in a new shape (one extent may be -1: inferred). Shares the buffer. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.reduce((product, extent) => (extent === -1 ? product : product * extent), 1);
  const resolved = shape.map((extent) => (extent === -1 ? x.size / known : extent));
  if (shape.filter((extent) => extent === -1).length > 1 || sizeOf(resolved) !== x.size || !resolved.every(Number.isInteger)) {
    throw new Error(`cannot reshape [${x.shape.join(", ")}] to [${shape.join(", ")}]`);
  }
  return Tensor.fromOp("reshape", x.data, resolved, [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < gradX.length; i++) gradX[i] += grad[i]!;
  });
}

/** The matrix transpose: out[j, i] = x[i, j]. Its gradient is the transposed gradient. */
export function transpose(x: Tensor): Tensor {
  if (x.shape.length !== 2) throw new Error(`transpose needs a matrix, got shape [${x.shape.join(", ")}]`);
  const [rows, cols] = x.shape as [number, number];
  const input = x.data;
  const out = allocBuffer(x.dtype, x.size);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = input[i * cols + j]!;
  return Tensor.fromOp("transpose", out, [cols, rows], [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) gradX[i * cols + j] += grad[j * rows + i]!;
  });
}
