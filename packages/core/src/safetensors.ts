import { UserError } from "./errors.ts";
import type { NamedTensor } from "./model-spec.ts";

/**
 * safetensors (huggingface/safetensors): an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {string: string}}, then the
 * little-endian data. Readable by `safetensors.torch.load_file` and `safetensors.numpy.load_file`.
 */
const DTYPES = { F32: 4, F64: 8 } as const;

export function encodeSafetensors(tensors: NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const tensor of tensors) {
    const dtype = tensor.data instanceof Float64Array ? "F64" : "F32";
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) throw new Error(`${tensor.name}: shape [${tensor.shape}] does not hold ${tensor.data.length} values`);
    if (tensor.name in header) throw new Error(`duplicate tensor name ${tensor.name}`);
    header[tensor.name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors) {
    // Typed arrays are little-endian on every platform Node runs on.
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), at);
    at += tensor.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, source = "safetensors"): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  const fail = (why: string): never => {
    throw new UserError(`${source}: not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes is shorter than the 8-byte header length`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > bytes.length - 8) fail(`header length ${headerLength} exceeds the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString("utf8"));
  } catch (error) {
    return fail(`header is not JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const entries = Object.entries(header).filter(([name]) => name !== "__metadata__");
  const tensors = entries.map(([name, raw]) => {
    const info = raw as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const size = DTYPES[info.dtype as keyof typeof DTYPES];
    if (!size) fail(`${name}: dtype ${info.dtype} is not supported (F32, F64)`);
    const shape = info.shape ?? [];
    const [begin, end] = info.data_offsets ?? [NaN, NaN];
    const count = shape.reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end >= begin && dataStart + end <= bytes.length)) fail(`${name}: data offsets [${begin}, ${end}] lie outside the file`);
    if (end - begin !== count * size) fail(`${name}: shape [${shape}] needs ${count * size} bytes, offsets give ${end - begin}`);
    // An aligned copy. Uint8Array's slice, not Buffer's: Buffer#slice returns a view of the file.
    const copy = Uint8Array.prototype.slice.call(bytes, dataStart + begin, dataStart + end);
    const data = info.dtype === "F64" ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
    return { name, shape, data, begin };
  });
  tensors.sort((a, b) => a.begin - b.begin);
  return { tensors: tensors.map(({ name, shape, data }) => ({ name, shape, data })), metadata };
}
