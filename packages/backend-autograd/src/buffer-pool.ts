import { allocFloat, type DType, type FloatArray } from "@crossprop/core";
import type { KernelMemory } from "./kernel-memory.ts";

interface Slot {
  buffers: FloatArray[];
  next: number;
}

/**
 * Hands out the buffers of one step again in the next. A training step asks for the same lengths in
 * the same order every time, so after the first step nothing new is allocated. `reset` bumps the
 * epoch: a tensor remembers the epoch it was made in and refuses to be read once it has passed,
 * so a reused buffer is never seen through a tensor of an earlier step. With a kernel memory (the
 * wasm engine) its float32 buffers live there, where the kernels can read them; float64 scratch
 * stays in ordinary arrays.
 */
export class BufferPool {
  epoch = 0;
  private readonly slots = new Map<number, Slot>();

  constructor(readonly memory: KernelMemory | null = null) {}

  /** A buffer of `length` elements (zero-filled unless `zeroed` is false), valid until the next `reset`. */
  acquire(dtype: DType, length: number, zeroed = true): FloatArray {
    const key = length * 2 + (dtype === "float64" ? 1 : 0);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { buffers: [], next: 0 };
      this.slots.set(key, slot);
    }
    if (slot.next < slot.buffers.length) {
      const buffer = slot.buffers[slot.next++]!;
      if (zeroed) buffer.fill(0);
      return buffer;
    }
    const buffer = this.memory !== null && dtype === "float32" ? this.memory.alloc(length) : allocFloat(dtype, length);
    slot.buffers.push(buffer);
    slot.next++;
    return buffer;
  }

  /** Every buffer handed out so far may be handed out again; tensors of the old epoch die. */
  reset(): void {
    this.epoch++;
    for (const slot of this.slots.values()) slot.next = 0;
  }

  /** Drops every buffer (model disposal), returning kernel memory to the kernels. */
  clear(): void {
    this.reset();
    if (this.memory !== null) {
      for (const slot of this.slots.values()) for (const buffer of slot.buffers) if (this.memory.holds(buffer)) this.memory.free(buffer);
    }
    this.slots.clear();
  }

  /** Bytes held across all slots, for tests and benchmarks. */
  get bytes(): number {
    let total = 0;
    for (const slot of this.slots.values()) for (const buffer of slot.buffers) total += buffer.byteLength;
    return total;
  }
}

let activePool: BufferPool | null = null;

/**
 * Runs `fn` with `pool` serving every buffer that ops allocate, then resets the pool: nothing made
 * inside may be used after `fn` returns (copy results out first). `fn` must be synchronous.
 */
export function withPool<T>(pool: BufferPool, fn: () => T): T {
  if (activePool === pool) throw new Error("withPool: this pool is already active");
  const previous = activePool;
  activePool = pool;
  try {
    return fn();
  } finally {
    activePool = previous;
    pool.reset();
  }
}

export function currentPool(): BufferPool | null {
  return activePool;
}

/**
 * A zero-filled buffer: from the active pool inside `withPool`, freshly allocated outside. With
 * `zeroed` false a pool buffer keeps old values, for an op that overwrites every element.
 */
export function allocBuffer(dtype: DType, length: number, zeroed = true): FloatArray {
  return activePool === null ? allocFloat(dtype, length) : activePool.acquire(dtype, length, zeroed);
}

/** A zero-filled float64 buffer for accumulating sums in double before rounding once. */
export function allocScratch(length: number): Float64Array {
  return allocBuffer("float64", length) as Float64Array;
}
