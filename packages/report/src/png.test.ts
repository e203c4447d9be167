import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, encodePng, pngDataUri } from "./png.ts";

/** The chunks of a PNG file, each with its CRC checked against crc32 of its type and data. */
function chunks(png: Buffer): { type: string; data: Buffer; crcOk: boolean }[] {
  const out = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    out.push({ type, data, crcOk: png.readUInt32BE(at + 8 + length) === crc32(png.subarray(at + 4, at + 8 + length)) });
    at += 12 + length;
  }
  return out;
}

describe("encodePng", () => {
  // A 28×28 "digit" whose every pixel differs from its neighbours, so a dropped or shifted row shows.
  const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 37 + (i >> 5)) % 256);

  it("decodes back to the pixels: signature, IHDR, one IDAT whose inflated scanlines hold each row after filter 0, IEND", () => {
    const png = encodePng({ width: 28, height: 28, pixels });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const parts = chunks(png);
    expect(parts.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(parts.every((c) => c.crcOk)).toBe(true);
    const ihdr = parts[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).toEqual([28, 28, 8, 0, 0, 0, 0]);
    const scanlines = inflateSync(parts[1]!.data);
    expect(scanlines.length).toBe(28 * 29);
    const decoded = new Uint8Array(28 * 28);
    for (let y = 0; y < 28; y++) {
      expect(scanlines[y * 29]).toBe(0);
      decoded.set(scanlines.subarray(y * 29 + 1, (y + 1) * 29), y * 28);
    }
    expect(decoded).toEqual(pixels);
  });

  it("writes a palette image as colour type 3 with its PLTE", () => {
    const png = encodePng({ width: 2, height: 1, pixels: Uint8Array.of(1, 0), palette: [[255, 0, 0], [0, 0, 255]] });
    const parts = chunks(png);
    expect(parts.map((c) => c.type)).toEqual(["IHDR", "PLTE", "IDAT", "IEND"]);
    expect(parts[0]!.data[9]).toBe(3);
    expect([...parts[1]!.data]).toEqual([255, 0, 0, 0, 0, 255]);
    expect([...inflateSync(parts[2]!.data)]).toEqual([0, 1, 0]);
  });

  it("refuses pixels that do not fill the image", () => {
    expect(() => encodePng({ width: 28, height: 28, pixels: new Uint8Array(10) })).toThrow(/needs 784 pixels, not 10/);
  });

  it("computes the standard CRC-32 (check value of '123456789' is cbf43926)", () => {
    expect(crc32(Buffer.from("123456789")).toString(16)).toBe("cbf43926");
    expect(pngDataUri({ width: 1, height: 1, pixels: Uint8Array.of(0) })).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });
});
