/**
 * Node flags the `crossprop` command starts with (the root package.json script; `pnpm bench`
 * spawns its runs with the same). A 2 MB young generation (Node's default grows it to 16 MB) and
 * V8's optimize-for-size heuristics (a heap that grows less eagerly): a training step makes little
 * short-lived garbage and its hot loops are WebAssembly or typed arrays, so neither costs
 * measurable time, and together they keep ~30–40 MB off a run's peak RSS (docs/speed.md, "Memory").
 */
export const CLI_NODE_FLAGS = ["--max-semi-space-size=2", "--optimize-for-size"] as const;
