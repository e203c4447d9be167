// Rebuilds wasm/kernels.wasm from assembly/*.ts with the pinned AssemblyScript compiler:
//   npx tsx packages/kernels/scripts/build.ts   (or: pnpm --filter @crossprop/kernels build)
// The build is deterministic; src/wasm-build.test.ts rebuilds and compares bytes with the committed file.
import { fileURLToPath, pathToFileURL } from "node:url";
import asc from "assemblyscript/asc";

export const KERNELS_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const WASM_PATH = fileURLToPath(new URL("../wasm/kernels.wasm", import.meta.url));

/** Memory limits in 64 KiB pages: the module imports a shared memory of at most 2 GiB. */
export const MAXIMUM_PAGES = 32768;

/** The compiler's flags: strict SIMD (no relaxed-simd, so no FMA), threads for shared memory. */
export function ascArguments(outFile: string): string[] {
  return [
    "assembly/index.ts",
    "-O3",
    "--noAssert",
    "--runtime", "stub",
    "--importMemory",
    "--noExportMemory",
    "--sharedMemory",
    "--initialMemory", "1",
    "--maximumMemory", String(MAXIMUM_PAGES),
    "--enable", "simd,threads",
    "--noColors",
    "--baseDir", KERNELS_ROOT,
    "-o", outFile,
  ];
}

/** Compiles the kernels into `outFile` (an absolute path); throws with the compiler's messages on error. */
export async function buildWasm(outFile: string): Promise<void> {
  let messages = "";
  const sink = { write: (text: string | Uint8Array) => { messages += typeof text === "string" ? text : Buffer.from(text).toString(); return true; } };
  const result = await asc.main(ascArguments(outFile), { stdout: sink, stderr: sink });
  if (result.error) throw new Error(`asc failed: ${result.error.message}\n${messages}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildWasm(WASM_PATH);
  console.log(`wrote ${WASM_PATH}`);
}
