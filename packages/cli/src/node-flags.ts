/**
 * Node flags the `crossprop` command starts with (the root package.json script; `pnpm bench`
 * spawns its runs with the same). A 2 MB young generation (Node's default grows it to 16 MB):
 * a training step makes little short-lived garbage, so this costs no measurable time and keeps
 * ~30 MB off a run's peak RSS (README, "Speed").
 */
export const CLI_NODE_FLAGS = ["--max-semi-space-size=2"] as const;
