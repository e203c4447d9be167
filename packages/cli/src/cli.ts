import { main } from "./program.ts";
import { exitCodeAfterSignals, installSignalHandlers } from "./signals.ts";

// `pnpm crossprop` runs from the workspace root: resolve paths against the caller's directory.
if (process.env.INIT_CWD && process.env.INIT_CWD !== process.cwd()) process.chdir(process.env.INIT_CWD);
installSignalHandlers();
// A reader that stops early (`crossprop sweep --plan | head`) closes the pipe: stop quietly, as `ls | head` does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
  });
}
process.exitCode = exitCodeAfterSignals(await main(process.argv.slice(2)));
