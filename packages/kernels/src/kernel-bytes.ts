// Bytes in the kernels' memory for data the kernels read in place: a dataset's pixels read there
// are compressed by SparseRows.setBytes straight from where they lie, with no copy per batch.

/** What KernelBytes needs of a kernels handle (a Kernels from loadKernels). */
interface BytesHandle {
  allocUint8(length: number): Uint8Array;
  free(array: Uint8Array): void;
  dispose(): void;
}

/** Storage in the kernels' memory; the memory stays the one every kernels handle uses until released. */
export interface KernelBytes {
  /** `length` zeroed bytes in the kernels' memory. */
  allocate(length: number): Uint8Array;
  /** Frees every allocation (their views must no longer be used) and the handle that kept the memory. */
  release(): void;
}

/** KernelBytes holding `kernels` (a handle of its own, which release disposes). */
export function kernelBytes(kernels: BytesHandle): KernelBytes {
  const allocated: Uint8Array[] = [];
  let released = false;
  return {
    allocate(length) {
      if (released) throw new Error("this byte storage was released");
      const bytes = kernels.allocUint8(length);
      allocated.push(bytes);
      return bytes;
    },
    release() {
      if (released) return;
      released = true;
      for (const bytes of allocated.splice(0)) kernels.free(bytes);
      kernels.dispose();
    },
  };
}
