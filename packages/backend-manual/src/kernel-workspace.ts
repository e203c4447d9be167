import type { LayerSpec } from "@crossprop/core";
import type { Kernels } from "@crossprop/kernels";

/**
 * The per-row buffers of a forward and backward pass of up to `rows` rows, in kernel memory,
 * allocated once. Kernels take explicit row counts, so a workspace serves any smaller batch too.
 */
export class KernelWorkspace {
  /** z = inputs @ weight + bias, per layer [rows, outputs]. */
  readonly preactivations: Float32Array[];
  /** a = f(z), per layer [rows, outputs]. */
  readonly activations: Float32Array[];
  readonly gradActivations: Float32Array[];
  readonly gradPreactivations: Float32Array[];
  private denseInputs: Float32Array | null = null;

  constructor(
    private readonly kernels: Kernels,
    readonly rows: number,
    private readonly layers: readonly LayerSpec[],
  ) {
    const perLayer = () => layers.map((layer) => kernels.allocFloat32(rows * layer.outputs));
    this.preactivations = perLayer();
    this.activations = perLayer();
    this.gradActivations = perLayer();
    this.gradPreactivations = perLayer();
  }

  /** The first layer's inputs as dense floats, for data too dense to skip zeros (allocated on first use). */
  get inputs(): Float32Array {
    this.denseInputs ??= this.kernels.allocFloat32(this.rows * this.layers[0]!.inputs);
    return this.denseInputs;
  }

  free(): void {
    for (const arrays of [this.preactivations, this.activations, this.gradActivations, this.gradPreactivations]) {
      for (const array of arrays) this.kernels.free(array);
    }
    if (this.denseInputs) this.kernels.free(this.denseInputs);
  }
}

/** One workspace, replaced by a larger one when a call brings more rows than it holds. */
export class KernelWorkspaces {
  private current: KernelWorkspace | null = null;

  constructor(
    private readonly kernels: Kernels,
    private readonly layers: readonly LayerSpec[],
  ) {}

  /** A workspace of at least `rows` rows. */
  get(rows: number): KernelWorkspace {
    if (this.current === null || this.current.rows < rows) {
      this.current?.free();
      this.current = new KernelWorkspace(this.kernels, rows, this.layers);
    }
    return this.current;
  }

  free(): void {
    this.current?.free();
    this.current = null;
  }
}
