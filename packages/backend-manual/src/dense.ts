import { allocFloat, type DType, type FloatArray } from "@crossprop/core";
import type { ColumnIndex, RowIndex } from "./nonzero-index.ts";
import { addScaledRows } from "./scaled-rows.ts";

/**
 * A dense (linear) layer: outputs = inputs @ weight + bias, weight row-major [inputs, outputs].
 * Both big products read the inputs as indexes of their nonzero entries: by row for the outputs,
 * by column for the weight gradient.
 */
export class Dense {
  readonly weight: FloatArray;
  readonly bias: FloatArray;
  readonly gradWeight: FloatArray;
  readonly gradBias: FloatArray;

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    dtype: DType,
  ) {
    this.weight = allocFloat(dtype, inputs * outputs);
    this.bias = allocFloat(dtype, outputs);
    this.gradWeight = allocFloat(dtype, inputs * outputs);
    this.gradBias = allocFloat(dtype, outputs);
  }

  /** outputs[r, :] = bias + Σ_{i: x[r,i] ≠ 0} x[r, i] · weight[i, :] for every indexed input row. */
  forward(inputRows: RowIndex, outputs: FloatArray): void {
    const { weight, bias } = this;
    const outputSize = this.outputs;
    const { start, columns, values } = inputRows;
    for (let r = 0; r < inputRows.rowCount; r++) {
      const outputRow = r * outputSize;
      for (let o = 0; o < outputSize; o++) outputs[outputRow + o] = bias[o]!;
      addScaledRows(outputs, outputRow, weight, columns, values, start[r]!, start[r + 1]!, outputSize);
    }
  }

  /**
   * Adds dL/dweight = inputsᵀ @ gradOutputs and dL/dbias = Σ_r gradOutputs[r, :] into gradWeight
   * and gradBias, and dL/dinputs = gradOutputs @ weightᵀ into gradInputs unless it is null (the
   * first layer: nobody needs the gradient of the pixels). `inputColumns` indexes the forward's inputs.
   */
  backward(inputColumns: ColumnIndex, gradOutputs: FloatArray, gradInputs: FloatArray | null): void {
    const { weight, gradWeight, gradBias } = this;
    const inputSize = this.inputs;
    const outputSize = this.outputs;
    const rows = inputColumns.rowCount;
    for (let r = 0; r < rows; r++) {
      const outputRow = r * outputSize;
      for (let o = 0; o < outputSize; o++) gradBias[o] += gradOutputs[outputRow + o]!;
    }
    // dL/dweight[i, :] = Σ_{r: x[r,i] ≠ 0} x[r, i] · gradOutputs[r, :]
    const { start, rows: entryRows, values } = inputColumns;
    for (let i = 0; i < inputSize; i++) {
      addScaledRows(gradWeight, i * outputSize, gradOutputs, entryRows, values, start[i]!, start[i + 1]!, outputSize);
    }
    if (gradInputs === null) return;
    // dL/dinputs[r, i] = Σ_o gradOutputs[r, o] · weight[i, o]
    for (let r = 0; r < rows; r++) {
      const outputRow = r * outputSize;
      const inputRow = r * inputSize;
      for (let i = 0; i < inputSize; i++) {
        const weightRow = i * outputSize;
        let sum = 0;
        for (let o = 0; o < outputSize; o++) sum += gradOutputs[outputRow + o]! * weight[weightRow + o]!;
        gradInputs[inputRow + i] += sum;
      }
    }
  }

  zeroGradients(): void {
    this.gradWeight.fill(0);
    this.gradBias.fill(0);
  }
}
