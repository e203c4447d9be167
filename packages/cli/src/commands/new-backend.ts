import { existsSync } from "node:fs";
import { starterText } from "@crossprop/backends";
import { UserError, writeFileAtomic } from "@crossprop/core";
import { prepareFile, writingTo } from "@crossprop/run";

export interface NewBackendOptions {
  /** Replace a file that exists. */
  force: boolean;
}

/**
 * `crossprop new-backend FILE`: writes the starter backend — an MLP whose forward pass, loss and
 * SGD step are written, and whose backward pass is left to fill, each formula in a comment — for
 * `crossprop check CONFIG --backends FILE` to grade. Exit 0 = written; 2 = a path it cannot write,
 * or a file that exists (without --force).
 */
export function newBackendCommand(file: string, options: NewBackendOptions): number {
  if (!/\.(?:[cm]?[jt]s)$/.test(file)) throw new UserError(`new-backend ${file}: name a TypeScript or JavaScript file (e.g. my-backprop.ts)`);
  const out = prepareFile(file, "new-backend");
  if (existsSync(out) && !options.force) throw new UserError(`new-backend ${file}: exists already; choose another name, or --force to replace it`);
  writingTo(out, () => writeFileAtomic(out, starterText(file)));
  process.stdout.write(`wrote ${file}: fill in backward(), then run\n  crossprop check configs/mlp.yaml --backends ${file.startsWith("/") || file.startsWith(".") ? file : `./${file}`}\n`);
  return 0;
}
