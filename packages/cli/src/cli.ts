import { main } from "./program.ts";
import { exitCodeAfterSignals, installSignalHandlers } from "./signals.ts";

// `pnpm crossprop` runs from the workspace root: resolve paths against the caller's directory.
if (process.env.INIT_CWD && process.env.INIT_CWD !== process.cwd()) process.chdir(process.env.INIT_CWD);
installSignalHandlers();
process.exitCode = exitCodeAfterSignals(await main(process.argv.slice(2)));
