import { writeFileAtomic } from "@crossprop/core";
import { prepareFile, writingTo } from "@crossprop/run";

/**
 * Where `--json FILE|-` sends a command's JSON. `-` is stdout, and then the human-readable results
 * go to stderr, so `crossprop check cfg.yaml --json - | jq` reads pure JSON.
 */
export interface JsonOutput {
  /** The file, or null for stdout. */
  file: string | null;
  /** Where the human-readable results go: stdout, or stderr when the JSON takes stdout. */
  human: NodeJS.WritableStream;
  write(value: unknown): void;
}

/**
 * The output `--json` names, its file probed at once (a bad path is exit 2 before any training);
 * without the option, results stay on stdout and nothing is written.
 */
export function jsonOutput(option: string | undefined, label = "--json"): JsonOutput | null {
  if (option === undefined) return null;
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  if (option === "-") return { file: null, human: process.stderr, write: (value) => void process.stdout.write(text(value)) };
  prepareFile(option, label);
  return { file: option, human: process.stdout, write: (value) => writingTo(option, () => writeFileAtomic(option, text(value))) };
}

/** Human-readable results' stream when there may be no --json. */
export const humanStream = (json: JsonOutput | null): NodeJS.WritableStream => json?.human ?? process.stdout;
