import { deflateSync } from "node:zlib";

/**
 * A PNG of 8-bit pixels (grayscale, or indices into a palette), enough for digits and weight maps:
 * IHDR, PLTE for a palette, one IDAT deflated by node:zlib, IEND (PNG spec, ISO/IEC 15948).
 */
export interface PngImage {
  width: number;
  height: number;
  /** width·height bytes, row-major: gray levels, or palette indices when `palette` is given. */
  pixels: Uint8Array;
  /** [r, g, b] per index, at most 256 entries. */
  palette?: readonly (readonly [number, number, number])[];
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function encodePng(image: PngImage): Buffer {
  const { width, height, pixels, palette } = image;
  if (pixels.length !== width * height) throw new Error(`a ${width}×${height} PNG needs ${width * height} pixels, not ${pixels.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = palette ? 3 : 0; // colour type: indexed or grayscale
  // Each scanline starts with its filter type; 0 (none) keeps the encoder trivial, deflate does the rest.
  const scanlines = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) scanlines.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const chunks = [chunk("IHDR", header)];
  if (palette) chunks.push(chunk("PLTE", Buffer.from(palette.flat())));
  chunks.push(chunk("IDAT", deflateSync(scanlines, { level: 9 })), chunk("IEND", Buffer.alloc(0)));
  return Buffer.concat([SIGNATURE, ...chunks]);
}

/** The PNG as a data: URI for an <img src>, so the page needs no file beside it. */
export function pngDataUri(image: PngImage): string {
  return `data:image/png;base64,${encodePng(image).toString("base64")}`;
}

/** length, type, data, CRC-32 of type + data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** CRC-32 (polynomial 0xedb88320, reflected), table-driven as in the PNG spec's sample code. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
