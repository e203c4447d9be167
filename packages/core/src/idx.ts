import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { constants as zlibConstants, gunzipSync } from "node:zlib";
import { ownBytes, type ByteStorage } from "./byte-storage.ts";
import { UserError } from "./errors.ts";
import { fileKind } from "./file-kind.ts";
import { MAX_TYPED_ARRAY_ELEMENTS } from "./memory-estimate.ts";

/** IDX element types (LeCun's format: magic = 0x00 0x00 <type> <number of dimensions>). */
const IDX_TYPES = {
  0x08: { dtype: "uint8", bytes: 1 },
  0x09: { dtype: "int8", bytes: 1 },
  0x0b: { dtype: "int16", bytes: 2 },
  0x0c: { dtype: "int32", bytes: 4 },
  0x0d: { dtype: "float32", bytes: 4 },
  0x0e: { dtype: "float64", bytes: 8 },
} as const;

export type IdxDType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]["dtype"];

export interface IdxArray {
  dtype: IdxDType;
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** Reads an IDX file, plain or gzipped (detected by the 1f 8b magic, not the file name). */
export function readIdxFile(path: string): IdxArray {
  return withFile(path, (fd, size) => {
    if (isGzip(fd)) return parseIdx(inflateIdx(fd, size, path), path);
    const header = readPlainHeader(fd, size, path);
    const bytes = new Uint8Array(size);
    readAt(fd, bytes, 0, path);
    return { dtype: header.dtype, dims: header.dims, data: decode(new DataView(bytes.buffer), header.headerLength, elementCount(header.dims), header.dtype) };
  });
}

/**
 * Reads uint8 IDX files with their payloads stored back to back in one buffer from `storage`, each
 * result a view of it — so a train and a test image file pool without a copy (and a plain file is
 * read once, straight into place). Gzipped files are inflated first, then copied in.
 */
export function readUint8IdxFilesTogether(paths: readonly string[], storage: ByteStorage = ownBytes): IdxArray[] {
  const parts = paths.map((path) =>
    withFile(path, (fd, size) => {
      if (!isGzip(fd)) return { path, header: readPlainHeader(fd, size, path), data: null as IdxArray["data"] | null };
      const array = parseIdx(inflateIdx(fd, size, path), path);
      return { path, header: { dtype: array.dtype, dims: array.dims, headerLength: 0 }, data: array.data };
    }),
  );
  for (const { path, header } of parts) if (header.dtype !== "uint8") throw new UserError(`${path}: expected uint8 IDX data, got ${header.dtype}`);
  const sizes = parts.map(({ header }) => elementCount(header.dims));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > MAX_TYPED_ARRAY_ELEMENTS) throw new UserError(`${paths.join(" and ")}: ${total} bytes of images together, more than a typed array holds (${MAX_TYPED_ARRAY_ELEMENTS})`);
  const bytes = storage(total);
  if (!(bytes instanceof Uint8Array) || bytes.length !== total) throw new Error(`byte storage returned ${bytes?.length} bytes for ${total}`);
  let offset = 0;
  return parts.map(({ path, header, data }, i) => {
    const view = bytes.subarray(offset, offset + sizes[i]!);
    if (data) view.set(data as Uint8Array);
    else withFile(path, (fd) => readAt(fd, view, header.headerLength, path));
    offset += sizes[i]!;
    return { dtype: header.dtype, dims: header.dims, data: view };
  });
}

/**
 * Opens `path` for `use` if it is a regular file (a symlink is followed). Opened non-blocking, so
 * a FIFO is refused at once instead of blocking the process (and its signal handlers) forever;
 * a device such as /dev/zero is refused before a byte is read.
 */
function withFile<T>(path: string, use: (fd: number, size: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UserError(`${path}: cannot read IDX file (${describeOpenError(error)})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UserError(`${path}: cannot read IDX file: it is ${fileKind(stats)}, not a regular file`);
    return use(fd, stats.size);
  } finally {
    closeSync(fd);
  }
}

/** An errno as words a user can act on: a symlink loop is not a missing file. */
export function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "ENOENT: no such file";
  if (code === "ELOOP") return "ELOOP: too many levels of symbolic links (a symlink loop)";
  if (code === "EACCES") return "EACCES: permission denied";
  if (code === "ENOTDIR") return "ENOTDIR: a part of the path is not a directory";
  return code ?? String(error);
}

function isGzip(fd: number): boolean {
  const magic = new Uint8Array(2);
  readSync(fd, magic, 0, 2, 0);
  return magic[0] === 0x1f && magic[1] === 0x8b;
}

/** Fills `into` from the file at `offset`; the file's size was checked, so a short read means it shrank. */
function readAt(fd: number, into: Uint8Array, offset: number, path: string): void {
  let done = 0;
  while (done < into.length) {
    const read = readSync(fd, into, done, into.length - done, offset + done);
    if (read === 0) throw new UserError(`${path}: IDX data truncated while reading`);
    done += read;
  }
}

/** The header of a plain IDX file, checked against the file's size before the body is read. */
function readPlainHeader(fd: number, size: number, path: string): IdxHeader {
  const start = new Uint8Array(Math.min(size, MAX_HEADER_BYTES));
  readAt(fd, start, 0, path);
  const header = parseIdxHeader(start.subarray(0, Math.min(start.length, 4 + 4 * (start[3] ?? 0))), path);
  checkPayloadLength(path, header.dims, header.dtype, size - header.headerLength, payloadBytes(header));
  return header;
}

/** 4 bytes of magic, then up to 255 big-endian uint32 dimensions. */
const MAX_HEADER_BYTES = 4 + 4 * 255;

/**
 * A gzipped IDX file's bytes, inflated no further than its header says: the header is read from
 * a bounded prefix, then the whole stream is inflated with a cap of header + payload + 1 bytes,
 * so a gzip bomb stops at the size the file claims (zlib's maxOutputLength) and the bytes
 * inflated past it are never made.
 */
function inflateIdx(fd: number, size: number, path: string): Uint8Array {
  const compressed = new Uint8Array(size);
  readAt(fd, compressed, 0, path);
  const corrupt = (error: unknown) => new UserError(`${path}: corrupt gzip data (${(error as Error).message})`);
  // A growing compressed prefix until the header is out: at most 64 kB in, so ~64 MB out for a bomb.
  let prefix: Uint8Array = new Uint8Array(0);
  for (const take of [256, 4096, 65_536]) {
    try {
      prefix = gunzipSync(compressed.subarray(0, Math.min(take, size)), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch (error) {
      throw corrupt(error);
    }
    if ((prefix.length >= 4 && prefix.length >= 4 + 4 * prefix[3]!) || take >= size) break;
  }
  const header = parseIdxHeader(prefix.subarray(0, Math.min(prefix.length, 4 + 4 * (prefix[3] ?? 0))), path);
  const declared = header.headerLength + payloadBytes(header);
  if (declared + 1 > MAX_TYPED_ARRAY_ELEMENTS) {
    throw new UserError(`${path}: IDX header declares dimensions ${header.dims.join("×")} (${declared} bytes), more than a buffer holds (${MAX_TYPED_ARRAY_ELEMENTS})`);
  }
  try {
    return gunzipSync(compressed, { maxOutputLength: declared + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new UserError(`${path}: IDX data has trailing bytes: the gzip stream inflates past the ${declared} bytes its header declares (dimensions ${header.dims.join("×")} of ${header.dtype}); stopped there`);
    }
    throw corrupt(error);
  }
}

interface IdxHeader {
  dtype: IdxDType;
  dims: number[];
  headerLength: number;
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function payloadBytes(header: IdxHeader): number {
  return elementCount(header.dims) * IDX_TYPES_BY_NAME[header.dtype];
}

/** Parses IDX bytes, validating the magic number, the dimensions and the payload length. */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  const { dtype, dims, headerLength } = parseIdxHeader(bytes, source);
  const count = dims.reduce((a, b) => a * b, 1);
  checkPayloadLength(source, dims, dtype, bytes.length - headerLength, count * IDX_TYPES_BY_NAME[dtype]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { dtype, dims, data: decode(view, headerLength, count, dtype) };
}

/** The magic number, element type and dimensions at the start of IDX bytes. */
function parseIdxHeader(bytes: Uint8Array, source: string): IdxHeader {
  const hex = (n: number) => Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, "0")).join(" ");
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new UserError(`${source}: not an IDX file: magic bytes are "${hex(4)}", expected "00 00 <type> <dims>"`);
  }
  const type = IDX_TYPES[bytes[2] as keyof typeof IDX_TYPES];
  if (!type) throw new UserError(`${source}: unknown IDX element type 0x${bytes[2]!.toString(16)} (expected 08, 09, 0b, 0c, 0d or 0e)`);
  const rank = bytes[3]!;
  if (rank === 0) throw new UserError(`${source}: IDX header declares 0 dimensions`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new UserError(`${source}: truncated IDX header: ${rank} dimensions need ${headerLength} bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { dtype: type.dtype, dims: Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false)), headerLength };
}

function checkPayloadLength(source: string, dims: number[], dtype: IdxDType, actual: number, expected: number): void {
  if (actual === expected) return;
  const what = actual < expected ? "truncated" : "has trailing bytes";
  throw new UserError(`${source}: IDX data ${what}: dimensions ${dims.join("×")} need ${expected} bytes of ${dtype}, file has ${actual}`);
}

function decode(view: DataView, offset: number, count: number, dtype: IdxDType): IdxArray["data"] {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, count * IDX_TYPES_BY_NAME[dtype]);
  if (dtype === "uint8") return new Uint8Array(bytes); // a copy, so the file buffer can be freed
  if (dtype === "int8") return new Int8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count));
  // Multi-byte IDX values are big-endian.
  const out =
    dtype === "int16" ? new Int16Array(count) : dtype === "int32" ? new Int32Array(count) : dtype === "float32" ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = offset + i * IDX_TYPES_BY_NAME[dtype];
    out[i] =
      dtype === "int16" ? view.getInt16(at) : dtype === "int32" ? view.getInt32(at) : dtype === "float32" ? view.getFloat32(at) : view.getFloat64(at);
  }
  return out;
}

const IDX_TYPES_BY_NAME: Record<IdxDType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/** Encodes an IDX array (used by tests and by tools that write datasets). */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.entries(IDX_TYPES).find(([, t]) => t.dtype === array.dtype)![0]);
  const size = IDX_TYPES_BY_NAME[array.dtype];
  const header = 4 + 4 * array.dims.length;
  const bytes = new Uint8Array(header + array.data.length * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = code;
  bytes[3] = array.dims.length;
  array.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < array.data.length; i++) {
    const at = header + i * size;
    const v = array.data[i]!;
    if (array.dtype === "uint8") view.setUint8(at, v);
    else if (array.dtype === "int8") view.setInt8(at, v);
    else if (array.dtype === "int16") view.setInt16(at, v);
    else if (array.dtype === "int32") view.setInt32(at, v);
    else if (array.dtype === "float32") view.setFloat32(at, v);
    else view.setFloat64(at, v);
  }
  return bytes;
}
