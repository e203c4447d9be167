import type { LayerSpec } from "@crossprop/core";
import type { Kernels } from "@crossprop/kernels";

/** The per-row buffers of a forward and backward pass of `rows` rows, in kernel memory, allocated once. */
export class KernelWorkspace {
  /** z = inputs @ weight + bias, per layer [rows, outputs]. */
  readonly preactivations: Float32Array[];
  /** a = f(z), per layer [rows, outputs]. */
  readonly activations: Float32Array[];
  readonly gradActivations: Float32Array[];
  readonly gradPreactivations: Float32Array[];
  /** The first layer's inputs as dense floats, for data too dense to skip zeros. */
  readonly inputs: Float32Array;

  constructor(
    private readonly kernels: Kernels,
    readonly rows: number,
    layers: readonly LayerSpec[],
  ) {
    const perLayer = () => layers.map((layer) => kernels.allocFloat32(rows * layer.outputs));
    this.preactivations = perLayer();
    this.activations = perLayer();
    this.gradActivations = perLayer();
    this.gradPreactivations = perLayer();
    this.inputs = kernels.allocFloat32(rows * layers[0]!.inputs);
  }

  free(): void {
    for (const arrays of [this.preactivations, this.activations, this.gradActivations, this.gradPreactivations]) {
      for (const array of arrays) this.kernels.free(array);
    }
    this.kernels.free(this.inputs);
  }
}

/** Workspaces by row count; beyond `capacity` the least recently used is freed (batch, partial batch, predict chunks). */
export class KernelWorkspaces {
  private readonly byRows = new Map<number, KernelWorkspace>();

  constructor(
    private readonly kernels: Kernels,
    private readonly layers: readonly LayerSpec[],
    private readonly capacity = 4,
  ) {}

  get(rows: number): KernelWorkspace {
    const cached = this.byRows.get(rows);
    if (cached !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.byRows.delete(rows);
      this.byRows.set(rows, cached);
      return cached;
    }
    if (this.byRows.size >= this.capacity) {
      const [oldestRows, oldest] = this.byRows.entries().next().value!;
      oldest.free();
      this.byRows.delete(oldestRows);
    }
    const created = new KernelWorkspace(this.kernels, rows, this.layers);
    this.byRows.set(rows, created);
    return created;
  }

  free(): void {
    for (const workspace of this.byRows.values()) workspace.free();
    this.byRows.clear();
  }
}
