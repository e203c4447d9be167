// Allocations in the shared memory, managed from JavaScript: a bump pointer plus free lists by
// block size (best fit up to twice the request), growing the memory by pages when it runs out.
// Views of a shared memory stay valid across grow, so no view ever needs refreshing.
import { MAXIMUM_PAGES, PAGE_BYTES } from "./loader.ts";

/** Blocks start on cache lines. */
export const ALIGNMENT = 64;
/** Bytes kept free above the last block: partial-vector tails may read up to 12 bytes past a view. */
export const SLACK = 64;

export class Allocator {
  private top: number;
  private readonly blockBytes = new Map<number, number>();
  private readonly freeBlocks = new Map<number, number[]>();
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private current: SharedArrayBuffer;

  constructor(readonly memory: WebAssembly.Memory, heapStart: number) {
    this.top = roundUp(heapStart, ALIGNMENT);
    this.current = this.refresh();
  }

  /** The memory's current buffer (a new object after each grow). */
  get buffer(): SharedArrayBuffer {
    return this.current;
  }

  /** Bytes allocated and not freed (blocks, rounded up). */
  get liveBytes(): number {
    let sum = 0;
    for (const bytes of this.blockBytes.values()) sum += bytes;
    return sum;
  }

  /**
   * A block of at least `bytes` bytes; zeroed unless `zero` is false. Returns its byte offset. A
   * block from above every earlier one is zero already (wasm memory starts and grows zeroed, and
   * nothing writes above the blocks), so only a reused block is filled: the pages of a large block
   * the caller never writes are then never touched.
   */
  alloc(bytes: number, zero = true): number {
    const size = roundUp(Math.max(bytes, 1), ALIGNMENT);
    const reused = this.reuse(size);
    if (reused === undefined) return this.bump(size);
    if (zero) new Uint8Array(this.current, reused, this.blockBytes.get(reused)!).fill(0);
    return reused;
  }

  free(offset: number): void {
    const size = this.blockBytes.get(offset);
    if (size === undefined) throw new Error(`no allocation starts at byte ${offset} (freed twice, or not allocated by these kernels)`);
    this.blockBytes.delete(offset);
    let list = this.freeBlocks.get(size);
    if (!list) this.freeBlocks.set(size, (list = []));
    list.push(offset);
  }

  /** True when `array` views this memory (through any of its buffers, before or after a grow). */
  owns(array: ArrayBufferView): boolean {
    if (array.buffer === this.current) return true;
    if (this.buffers.has(array.buffer)) return true;
    if (array.buffer === this.memory.buffer) {
      this.refresh();
      return true;
    }
    return false;
  }

  /** The byte offset of `array` after checking it views this memory, away from its very end. */
  address(array: ArrayBufferView, name: string): number {
    if (!this.owns(array)) {
      throw new Error(`${name} is not a view into the kernels' memory: allocate it with allocFloat32 (or view kernels.memory.buffer)`);
    }
    if (array.byteOffset + array.byteLength + 16 > this.current.byteLength) {
      throw new Error(`${name} ends within 16 bytes of the memory's end; allocate it with allocFloat32`);
    }
    return array.byteOffset;
  }

  private reuse(size: number): number | undefined {
    let best: number | undefined;
    for (const [blockSize, list] of this.freeBlocks) {
      if (list.length > 0 && blockSize >= size && blockSize <= 2 * size && (best === undefined || blockSize < best)) best = blockSize;
    }
    if (best === undefined) return undefined;
    const offset = this.freeBlocks.get(best)!.pop()!;
    this.blockBytes.set(offset, best);
    return offset;
  }

  private bump(size: number): number {
    const offset = this.top;
    const needed = offset + size + SLACK;
    if (needed > this.current.byteLength) {
      const pages = this.current.byteLength / PAGE_BYTES;
      const wanted = Math.max(Math.ceil(needed / PAGE_BYTES), Math.min(MAXIMUM_PAGES, pages + (pages >> 1)));
      if (wanted > MAXIMUM_PAGES) {
        throw new Error(`kernels memory exhausted: ${(needed / 2 ** 20).toFixed(0)} MiB needed, the maximum is ${(MAXIMUM_PAGES * PAGE_BYTES) / 2 ** 20} MiB`);
      }
      this.memory.grow(wanted - pages);
      this.refresh();
    }
    this.top = offset + size;
    this.blockBytes.set(offset, size);
    return offset;
  }

  private refresh(): SharedArrayBuffer {
    this.current = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(this.current);
    return this.current;
  }
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
