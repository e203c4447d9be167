import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildWasm, WASM_PATH } from "../scripts/build.ts";

describe("wasm/kernels.wasm", () => {
  it("is exactly what assembly/*.ts compiles to (sources and binary never drift)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kernels-wasm-"));
    try {
      const rebuilt = join(dir, "kernels.wasm");
      await buildWasm(rebuilt);
      const committed = readFileSync(WASM_PATH);
      const fresh = readFileSync(rebuilt);
      expect(fresh.length, "rebuild with: npx tsx packages/kernels/scripts/build.ts").toBe(committed.length);
      expect(fresh.equals(committed), "rebuild with: npx tsx packages/kernels/scripts/build.ts").toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has no data section: nothing of the module lives in the shared memory the allocator hands out", () => {
    // A data segment (e.g. a lookup table of a library exp) would be written over the allocator's
    // first blocks, and again by every worker that instantiates the module.
    const bytes = readFileSync(WASM_PATH);
    const sections: number[] = [];
    for (let at = 8; at < bytes.length; ) {
      const id = bytes[at++]!;
      let size = 0;
      for (let shift = 0, byte = 128; byte & 128; shift += 7) size |= ((byte = bytes[at++]!) & 127) << shift;
      sections.push(id);
      at += size;
    }
    expect(sections).toContain(10);
    expect(sections).not.toContain(11);
  });

  it("imports only a shared memory and compiles on Node 20 without relaxed SIMD (so it has no FMA)", async () => {
    const module = await WebAssembly.compile(readFileSync(WASM_PATH));
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
  });
});
