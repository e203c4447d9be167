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

  it("imports only a shared memory and compiles on Node 20 without relaxed SIMD (so it has no FMA)", async () => {
    const module = await WebAssembly.compile(readFileSync(WASM_PATH));
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
  });
});
