/**
 * Where a dataset's bytes are stored: `length` zeroed bytes (e.g. in a backend's own memory, which
 * then reads the examples in place). By default a fresh Uint8Array.
 */
export type ByteStorage = (length: number) => Uint8Array;

/** The default ByteStorage: an array of its own. */
export const ownBytes: ByteStorage = (length) => new Uint8Array(length);
