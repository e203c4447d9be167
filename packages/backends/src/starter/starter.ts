import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The starter backend `crossprop new-backend` copies: forward pass given, backward pass to write. */
export const STARTER_FILE = fileURLToPath(new URL("./my-backprop.ts", import.meta.url));

/** The starter's text, its example commands naming `path` (as the user typed it) instead of ./my-backprop.ts. */
export function starterText(path: string): string {
  const shown = path.startsWith("/") || path.startsWith(".") ? path : `./${path}`;
  return readFileSync(STARTER_FILE, "utf8").replaceAll("./my-backprop.ts", shown);
}
