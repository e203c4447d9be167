/**
 * Node flags the `crossprop` command starts with (the root package.json script; `pnpm bench`
 * spawns its runs with the same).
 * - A 2 MB young generation (Node's default grows it to 16 MB) and V8's optimize-for-size
 *   heuristics (a heap that grows less eagerly): a training step makes little short-lived garbage
 *   and its hot loops are WebAssembly or typed arrays, so neither costs measurable time, and
 *   together they keep ~30–40 MB off a run's peak RSS (docs/speed.md, "Memory").
 * - Optimized JavaScript inlines at most 100 bytecodes of callees (V8's default is 920). The JS of
 *   a wasm step is glue around kernel calls; with the default, TurboFan spends 5–13 ms compiling
 *   each of its larger functions, late in the first or second epoch, on a third thread that takes a
 *   core from the step's two. At 100 the glue compiles in a fraction of that and runs as fast:
 *   autograd's 2-epoch s/epoch 0.28 → 0.26, the other backends unchanged (docs/speed.md, "Warm-up").
 */
export const CLI_NODE_FLAGS = ["--max-semi-space-size=2", "--optimize-for-size", "--max-inlined-bytecode-size-cumulative=100"] as const;
