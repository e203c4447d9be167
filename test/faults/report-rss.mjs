// Preloaded into the CLI by bounded-cli.ts: on exit, write the peak RSS (kB) where the test asked.
import { writeFileSync } from "node:fs";

const file = process.env.CROSSPROP_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
