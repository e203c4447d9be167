import { readFileSync } from "node:fs";

/** The starter a learner gets from `crossprop new-backend` (its source in this repo). */
export const STARTER = readFileSync(new URL("./my-backprop.ts", import.meta.url), "utf8");
const START = "    // ---- your backward pass: start ----\n";
const END = "    // ---- your backward pass: end ----\n";

/** The starter with its backward pass replaced by `body` (what a learner writes). */
export function filled(body: string): string {
  const from = STARTER.indexOf(START) + START.length;
  const to = STARTER.indexOf(END);
  if (from < START.length || to < from) throw new Error("the starter lost its marked backward block");
  return STARTER.slice(0, from) + body + STARTER.slice(to);
}

/** A correct backward pass, as the starter's comments describe it. */
export const SOLUTION = `
    const { rows } = pass;
    const last = this.layers.length - 1;
    const width = this.layers[last]!.outputs;
    const s = this.lossScale(rows);
    const h = pass.h[last]!;
    for (let r = 0; r < rows; r++) {
      if (this.spec.loss.type === "cross_entropy") {
        const row = h.subarray(r * width, (r + 1) * width);
        const max = Math.max(...row);
        const sum = row.reduce((total, value) => total + Math.exp(value - max), 0);
        for (let c = 0; c < width; c++) pass.dh[last]![r * width + c] = (Math.exp(row[c]! - max) / sum - (batch.labels![r] === c ? 1 : 0)) * s;
      } else {
        for (let c = 0; c < width; c++) pass.dh[last]![r * width + c] = 2 * (h[r * width + c]! - batch.targets![r * width + c]!) * s;
      }
    }
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l]!;
      const z = pass.z[l]!, a = pass.h[l]!, dz = pass.dz[l]!, dh = pass.dh[l]!;
      for (let j = 0; j < z.length; j++) {
        const d = layer.activation === "relu" ? (z[j]! > 0 ? 1 : 0) : layer.activation === "tanh" ? 1 - a[j]! ** 2 : layer.activation === "sigmoid" ? a[j]! * (1 - a[j]!) : 1;
        dz[j] = dh[j]! * d;
      }
      const x = l === 0 ? pass.inputs : pass.h[l - 1]!;
      layer.dWeight.fill(0);
      layer.dBias.fill(0);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < layer.outputs; o++) {
          const g = dz[r * layer.outputs + o]!;
          layer.dBias[o] += g;
          for (let i = 0; i < layer.inputs; i++) layer.dWeight[i * layer.outputs + o] += x[r * layer.inputs + i]! * g;
        }
      }
      if (l > 0) {
        const below = pass.dh[l - 1]!;
        for (let r = 0; r < rows; r++) {
          for (let i = 0; i < layer.inputs; i++) {
            let sum = 0;
            for (let o = 0; o < layer.outputs; o++) sum += dz[r * layer.outputs + o]! * layer.weight[i * layer.outputs + o]!;
            below[r * layer.inputs + i] = sum;
          }
        }
      }
    }
`;


/** The solution with layer 0's ReLU mask forgotten: a wrong dz in layer 0 only. */
export const WRONG_LAYER_0_DZ = SOLUTION.replace("dz[j] = dh[j]! * d;", "dz[j] = l === 0 ? dh[j]! : dh[j]! * d;");
