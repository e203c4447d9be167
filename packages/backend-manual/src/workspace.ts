import { allocFloat, type DType, type FloatArray, type LayerSpec } from "@crossprop/core";
import { ColumnIndex, RowIndex } from "./nonzero-index.ts";

/** Every per-row buffer a forward and backward pass of `rows` rows needs, allocated once. */
export class Workspace {
  /** z = inputs @ weight + bias, per layer [rows, outputs]. */
  readonly preactivations: FloatArray[];
  /** a = f(z), per layer [rows, outputs]. */
  readonly activations: FloatArray[];
  readonly gradActivations: FloatArray[];
  readonly gradPreactivations: FloatArray[];
  /** The nonzero entries of each layer's inputs, by row (forward) and by column (weight gradient). */
  readonly inputRows: RowIndex[];
  readonly inputColumns: ColumnIndex[];
  /** When the cache last handed this workspace out. */
  lastUsed = 0;

  constructor(
    readonly rows: number,
    layers: readonly LayerSpec[],
    dtype: DType,
  ) {
    const perLayer = () => layers.map((layer) => allocFloat(dtype, rows * layer.outputs));
    this.preactivations = perLayer();
    this.activations = perLayer();
    this.gradActivations = perLayer();
    this.gradPreactivations = perLayer();
    this.inputRows = layers.map((layer) => new RowIndex(rows, layer.inputs));
    this.inputColumns = layers.map((layer) => new ColumnIndex(rows, layer.inputs));
  }
}

/**
 * Workspaces by row count, least recently used evicted beyond `capacity`. Training needs two
 * (the batch size and the last partial batch); prediction chunks add one or two more.
 */
export class WorkspaceCache {
  private readonly byRows = new Map<number, Workspace>();
  private clock = 0;

  constructor(
    private readonly layers: readonly LayerSpec[],
    private readonly dtype: DType,
    private readonly capacity = 4,
  ) {}

  get(rows: number): Workspace {
    this.clock++;
    const cached = this.byRows.get(rows);
    if (cached !== undefined) {
      cached.lastUsed = this.clock;
      return cached;
    }
    if (this.byRows.size >= this.capacity) this.evictLeastRecentlyUsed();
    const created = new Workspace(rows, this.layers, this.dtype);
    created.lastUsed = this.clock;
    this.byRows.set(rows, created);
    return created;
  }

  private evictLeastRecentlyUsed(): void {
    let oldest: Workspace | null = null;
    for (const workspace of this.byRows.values()) {
      if (oldest === null || workspace.lastUsed < oldest.lastUsed) oldest = workspace;
    }
    if (oldest !== null) this.byRows.delete(oldest.rows);
  }

  get size(): number {
    return this.byRows.size;
  }

  clear(): void {
    this.byRows.clear();
  }
}
