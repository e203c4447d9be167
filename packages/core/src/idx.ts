import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { UserError } from "./errors.ts";

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
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UserError(`${path}: cannot read IDX file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new UserError(`${path}: corrupt gzip data (${(error as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}

/**
 * Reads uint8 IDX files with their payloads stored back to back in one buffer, each result a view
 * of it — so a train and a test image file pool without a copy (and a plain file is read once,
 * straight into place). Gzipped files are inflated first, then copied in.
 */
export function readUint8IdxFilesTogether(paths: readonly string[]): IdxArray[] {
  const parts = paths.map((path) => {
    if (!isGzip(path)) return { path, header: readPlainHeader(path), data: null as IdxArray["data"] | null };
    const array = readIdxFile(path);
    return { path, header: { dtype: array.dtype, dims: array.dims, headerLength: 0 }, data: array.data };
  });
  for (const { path, header } of parts) if (header.dtype !== "uint8") throw new UserError(`${path}: expected uint8 IDX data, got ${header.dtype}`);
  const sizes = parts.map(({ header }) => header.dims.reduce((a, b) => a * b, 1));
  const storage = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  return parts.map(({ path, header, data }, i) => {
    const view = storage.subarray(offset, offset + sizes[i]!);
    if (data) view.set(data as Uint8Array);
    else readPayload(path, header.headerLength, view);
    offset += sizes[i]!;
    return { dtype: header.dtype, dims: header.dims, data: view };
  });
}

function isGzip(path: string): boolean {
  const magic = new Uint8Array(2);
  withFile(path, (fd) => readSync(fd, magic, 0, 2, 0));
  return magic[0] === 0x1f && magic[1] === 0x8b;
}

function withFile<T>(path: string, use: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new UserError(`${path}: cannot read IDX file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

/** The header of a plain IDX file, checked against the file's size (as parseIdx checks the bytes). */
function readPlainHeader(path: string): { dtype: IdxDType; dims: number[]; headerLength: number } {
  return withFile(path, (fd) => {
    const size = fstatSync(fd).size;
    const start = new Uint8Array(Math.min(size, 4 + 4 * 255));
    readSync(fd, start, 0, start.length, 0);
    const rank = start[3] ?? 0;
    const headerLength = Math.min(start.length, 4 + 4 * rank);
    const header = parseIdxHeader(start.subarray(0, headerLength), path);
    const expected = header.dims.reduce((a, b) => a * b, 1) * IDX_TYPES_BY_NAME[header.dtype];
    checkPayloadLength(path, header.dims, header.dtype, size - header.headerLength, expected);
    return header;
  });
}

function readPayload(path: string, offset: number, into: Uint8Array): void {
  withFile(path, (fd) => {
    let done = 0;
    while (done < into.length) {
      const read = readSync(fd, into, done, into.length - done, offset + done);
      if (read === 0) throw new UserError(`${path}: IDX data truncated while reading`);
      done += read;
    }
  });
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
function parseIdxHeader(bytes: Uint8Array, source: string): { dtype: IdxDType; dims: number[]; headerLength: number } {
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
