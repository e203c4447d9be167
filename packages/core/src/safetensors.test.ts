import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

const tensors = [
  { name: "layers.0.weight", shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
  { name: "layers.0.bias", shape: [2], data: Float32Array.from([-0.5, 0.25]) },
  { name: "extra", shape: [1], data: Float64Array.from([Math.PI]) },
];

describe("safetensors", () => {
  it("round-trips names, shapes, dtypes, values and metadata in order", () => {
    const bytes = encodeSafetensors(tensors, { format: "pt", seed: "3" });
    const { tensors: back, metadata } = decodeSafetensors(bytes);
    expect(back.map((t) => t.name)).toEqual(["layers.0.weight", "layers.0.bias", "extra"]);
    expect(back[0]!.shape).toEqual([3, 2]);
    expect([...back[0]!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back[2]!.data).toBeInstanceOf(Float64Array);
    expect(back[2]!.data[0]).toBe(Math.PI);
    expect(metadata).toEqual({ format: "pt", seed: "3" });
  });

  it("decodes a Node Buffer (as readFileSync returns) without reading outside each tensor", () => {
    const bytes = Buffer.from(encodeSafetensors(tensors));
    const { tensors: back } = decodeSafetensors(bytes);
    expect(back.map((t) => t.data.length)).toEqual([6, 2, 1]);
    expect([...back[1]!.data]).toEqual([-0.5, 0.25]);
  });

  it("writes the layout the format specifies: u64 LE header length, JSON, aligned little-endian data", () => {
    const bytes = encodeSafetensors(tensors.slice(1, 2));
    const view = new DataView(bytes.buffer);
    const headerLength = Number(view.getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString());
    expect(header).toEqual({ "layers.0.bias": { dtype: "F32", shape: [2], data_offsets: [0, 8] } });
    expect(view.getFloat32(8 + headerLength, true)).toBe(-0.5);
    expect(bytes.length).toBe(8 + headerLength + 8);
  });

  it("rejects truncated files and bad headers with a clear message", () => {
    const bytes = encodeSafetensors(tensors);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), "m.safetensors")).toThrow(/m\.safetensors: .*lie outside the file/);
    expect(() => decodeSafetensors(bytes.subarray(0, 4))).toThrow(/shorter than the 8-byte header length/);
    const garbage = bytes.slice();
    garbage[8] = 0x7b + 1;
    expect(() => decodeSafetensors(garbage)).toThrow(/header is not JSON/);
  });
});
