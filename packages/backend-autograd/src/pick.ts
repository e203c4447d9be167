import { UserError } from "@crossprop/core";
import { allocBuffer } from "./buffer-pool.ts";
import { Tensor } from "./tensor.ts";

/** out[i] = x[i, labels[i]] for x of shape [n, classes]. d/dx = 1 at each picked element. */
export function pick(x: Tensor, labels: Int32Array): Tensor {
  if (x.shape.length !== 2) throw new Error(`pick needs [rows, classes], got shape [${x.shape.join(", ")}]`);
  const [rows, classes] = x.shape as [number, number];
  if (labels.length < rows) throw new Error(`pick: ${labels.length} labels for ${rows} rows`);
  const input = x.data;
  const out = allocBuffer(x.dtype, rows);
  for (let i = 0; i < rows; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= classes) throw new UserError(`label ${label} (row ${i}) is outside the ${classes} classes 0..${classes - 1}`);
    out[i] = input[i * classes + label]!;
  }
  return Tensor.fromOp("pick", out, [rows], [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < rows; i++) gradX[i * classes + labels[i]!] += grad[i]!;
  });
}
