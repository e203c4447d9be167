import { allocFloat, type FloatArray } from "@crossprop/core";
import { assignLinear } from "./in-place.ts";
import { Tensor } from "./tensor.ts";

/**
 * The gradient an update uses: g itself, or with coupled L2 decay g + weightDecay·p, written into a
 * buffer per parameter (allocated once; the parameter's own gradient is left as backward made it).
 */
export class DecayedGradients {
  private readonly buffers: Tensor[] | null;

  constructor(
    params: readonly Tensor[],
    private readonly weightDecay: number,
  ) {
    this.buffers = weightDecay === 0 ? null : params.map((param) => stateLike(param));
  }

  /** g ← g + weightDecay·p for parameter `index`. */
  of(param: Tensor, index: number, gradient: FloatArray): FloatArray {
    if (this.buffers === null) return gradient;
    const buffer = this.buffers[index]!;
    assignLinear(buffer, 1, gradient, this.weightDecay, param.data);
    return buffer.data;
  }
}

/** A zero tensor shaped like `param`, for optimizer state: its own buffer, never one of the step pool's. */
export function stateLike(param: Tensor): Tensor {
  return new Tensor(allocFloat(param.dtype, param.size), param.shape);
}
