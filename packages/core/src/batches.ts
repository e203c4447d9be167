import type { Batch, PixelRows } from "./batch.ts";
import type { Examples } from "./examples.ts";
import { ownBytes, type ByteStorage } from "./byte-storage.ts";
import { allocFloat, type DType, type FloatArray } from "./model-spec.ts";
import { Rng } from "./rng.ts";

/** What `Batch.targets` holds: nothing (labels only), scaled one-hot rows, or the examples' own targets. */
export type TargetEncoding = { kind: "labels" } | { kind: "onehot"; classes: number; scale: number } | { kind: "values" };

/** The order of an epoch's rows: file order, or a seeded permutation that differs each epoch. */
export function epochOrder(count: number, epoch: number, shuffle: boolean, seed: number): Uint32Array {
  if (shuffle) return new Rng(seed, `shuffle:${epoch}`).permutation(count);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

export function stepsPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/**
 * Builds batches into buffers allocated once for `capacity` rows; each batch is a view into them,
 * valid until the next `make`. Byte inputs (pixels) are gathered as bytes and scaled (x / 255)
 * only when a backend reads `batch.inputs`; a batch of rows adjacent in storage (file order) is a
 * view of the examples' own bytes, not a copy (backends only read a batch). Float inputs are
 * gathered and scaled as the batch is made.
 */
export class BatchMaker {
  /** The dense inputs and the gathered bytes, each allocated at its first use (a backend reading pixels never needs the dense ones). */
  private denseBuffer: FloatArray | null = null;
  private gatherBuffer: Uint8Array | null = null;
  /** The latest batch's pixel bytes: a view of the examples' bytes, or of `bytes` when gathered. */
  private batchBytes: Uint8Array | null = null;
  /** Which make() the dense inputs were last built for (byte data builds them on first read). */
  private made = 0;
  private denseFor = -1;
  private readonly labels: Int32Array | null;
  private readonly targets: FloatArray | null;
  private readonly targetWidth: number;
  /** x / divisor for every byte value, so scaling a uint8 pixel is one lookup. */
  private readonly byteTable: FloatArray | null;

  constructor(
    private readonly examples: Examples,
    readonly capacity: number,
    private readonly dtype: DType,
    private readonly encoding: TargetEncoding,
    /** Where the gathered bytes go (default: an array of its own), e.g. where the examples were read. */
    private readonly storage?: ByteStorage,
  ) {
    this.labels = examples.labels ? new Int32Array(capacity) : null;
    this.targetWidth = encoding.kind === "onehot" ? encoding.classes : encoding.kind === "values" ? examples.targetWidth : 0;
    this.targets = this.targetWidth > 0 ? allocFloat(dtype, capacity * this.targetWidth) : null;
    if (encoding.kind === "onehot" && !examples.labels) throw new Error("one-hot targets need labelled examples");
    if (encoding.kind === "values" && !examples.targets) throw new Error("target values need examples with targets");
    this.byteTable = examples.inputs instanceof Uint8Array ? allocFloat(dtype, 256).map((_, v) => v / examples.inputDivisor) : null;
  }

  private get inputs(): FloatArray {
    this.denseBuffer ??= allocFloat(this.dtype, this.capacity * this.examples.features);
    return this.denseBuffer;
  }

  /** The batch of the given example rows (at most `capacity`). */
  make(rows: ArrayLike<number>): Batch {
    const size = rows.length;
    if (size > this.capacity) throw new RangeError(`batch of ${size} rows exceeds capacity ${this.capacity}`);
    const generation = ++this.made;
    if (this.byteTable) this.batchBytes = this.pixelRows(rows, size);
    else {
      this.scaleRows(rows, size);
      this.denseFor = generation;
    }
    const labels = this.labels;
    if (labels) for (let i = 0; i < size; i++) labels[i] = this.examples.labels![rows[i]!]!;
    this.fillTargets(rows);
    return new MadeBatch(
      this, generation, size,
      this.batchBytes ? { bytes: this.batchBytes, scale: this.byteTable! } : undefined,
      labels ? labels.subarray(0, size) : null,
      this.targets ? this.targets.subarray(0, size * this.targetWidth) : null,
    );
  }

  /** The dense inputs of the batch made `generation`-th (built now for byte data); throws once it is overwritten. */
  inputsOf(generation: number, size: number): FloatArray {
    if (generation !== this.made) throw new Error("this batch was overwritten: a batch is valid until the next make()");
    if (this.denseFor !== generation) {
      this.scaleBytes(size);
      this.denseFor = generation;
    }
    return this.inputs.subarray(0, size * this.examples.features);
  }

  /** The rows' pixel bytes: a view of the examples' own when they are adjacent in storage (file order), else gathered. */
  private pixelRows(rows: ArrayLike<number>, size: number): Uint8Array {
    const { features, inputs } = this.examples;
    const source = inputs as Uint8Array;
    const storage = this.examples.rows;
    const first = size > 0 ? (storage ? storage[rows[0]!]! : rows[0]!) : 0;
    let contiguous = true;
    for (let i = 1; i < size && contiguous; i++) contiguous = (storage ? storage[rows[i]!]! : rows[i]!) === first + i;
    if (contiguous) return source.subarray(first * features, (first + size) * features);
    this.gatherBuffer ??= (this.storage ?? ownBytes)(this.capacity * features);
    const bytes = this.gatherBuffer;
    for (let i = 0; i < size; i++) {
      const row = storage ? storage[rows[i]!]! : rows[i]!;
      bytes.set(source.subarray(row * features, (row + 1) * features), i * features);
    }
    return bytes.subarray(0, size * features);
  }

  /** inputs = scale[bytes] for the batch's gathered rows. */
  private scaleBytes(size: number): void {
    const count = size * this.examples.features;
    const { inputs, batchBytes: bytes, byteTable: table } = this;
    for (let i = 0; i < count; i++) inputs[i] = table![bytes![i]!]!;
  }

  /** Float inputs: each row gathered and divided by the examples' divisor. */
  private scaleRows(rows: ArrayLike<number>, size: number): void {
    const { features, inputs: source, inputDivisor } = this.examples;
    const inputs = this.inputs;
    const storage = this.examples.rows;
    for (let i = 0; i < size; i++) {
      const from = (storage ? storage[rows[i]!]! : rows[i]!) * features;
      const to = i * features;
      for (let j = 0; j < features; j++) inputs[to + j] = source[from + j]! / inputDivisor;
    }
  }

  private fillTargets(rows: ArrayLike<number>): void {
    const targets = this.targets;
    if (!targets) return;
    const width = this.targetWidth;
    if (this.encoding.kind === "onehot") {
      targets.fill(0, 0, rows.length * width);
      for (let i = 0; i < rows.length; i++) targets[i * width + this.examples.labels![rows[i]!]!] = this.encoding.scale;
    } else {
      for (let i = 0; i < rows.length; i++) {
        targets.set(this.examples.targets!.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
      }
    }
  }
}

/** The batches of one epoch, in order; the last partial batch is kept. */
export function* epochBatches(maker: BatchMaker, order: Uint32Array, batchSize: number): Generator<Batch> {
  for (let start = 0; start < order.length; start += batchSize) {
    yield maker.make(order.subarray(start, Math.min(start + batchSize, order.length)));
  }
}

/** A batch of BatchMaker's: views into its buffers; for byte data the dense inputs are built on first read. */
class MadeBatch implements Batch {
  constructor(
    private readonly maker: BatchMaker,
    private readonly generation: number,
    readonly size: number,
    readonly pixels: PixelRows | undefined,
    readonly labels: Int32Array | null,
    readonly targets: FloatArray | null,
  ) {}

  get inputs(): FloatArray {
    return this.maker.inputsOf(this.generation, this.size);
  }
}
