import { main } from "./program.ts";

// `pnpm crossprop` runs from the workspace root: resolve paths against the caller's directory.
if (process.env.INIT_CWD && process.env.INIT_CWD !== process.cwd()) process.chdir(process.env.INIT_CWD);
process.exitCode = await main(process.argv.slice(2));
