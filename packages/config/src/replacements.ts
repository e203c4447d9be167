import { isScalar } from "yaml";
import type { CheckIssue } from "./checks.ts";
import { formatValue } from "./describe.ts";
import { findNode, positionOf, type ConfigDocument } from "./document.ts";
import type { Override } from "./overrides.ts";
import { formatPath, isPrefix, parsePath, type Segment } from "./path.ts";

/**
 * A field of the config file dropped because a --set wrote its conflicting sibling: the command
 * line wins over the file. `note: --set training.steps=60 replaces training.epochs: 20 from configs/mlp.yaml`.
 */
export interface Replacement {
  /** The --set that won, as typed: "--set training.steps=60". */
  origin: string;
  /** Its position among the overrides: a sweep tells the command line's from its swept values by it. */
  setIndex: number;
  /** The field that --set wrote. */
  path: string;
  /** The file's field that was dropped, and its value as the file wrote it. */
  dropped: string;
  value: string;
  /** The config file, as the user named it. */
  file: string;
  /** Where it applies when not everywhere: "in 2 of 6 trials". */
  scope?: string;
}

/** The line a command prints on stderr after `note: `. */
export function describeReplacement({ origin, dropped, value, file, scope }: Replacement): string {
  return `${origin} replaces ${dropped}: ${value} from ${file}${scope ? ` ${scope}` : ""}`;
}

/**
 * The file's fields to drop for the checks' two-field conflicts (each issue's `sibling`) whose one
 * side a --set wrote and whose other side only the file did. A conflict inside one source — two
 * keys of the file, or two --set values — is left to be reported. Each dropped field is deleted
 * from `document`, so validating again fills its default.
 */
export function dropFileSiblings(document: ConfigDocument, overrides: readonly Override[], issues: readonly CheckIssue[], text: string, file: string): Replacement[] {
  const source = (path: Segment[]): "file" | "set" | "absent" => {
    if (findNode(document, path) === undefined) return "absent";
    return positionOf(document, path, "value") === undefined ? "set" : "file";
  };
  const replacements: Replacement[] = [];
  for (const issue of issues) {
    if (!issue.sibling) continue;
    const field = parsePath(issue.path)!;
    const sibling = parsePath(issue.sibling.path)!;
    const pairs: [Segment[], Segment[]][] = [[sibling, field], ...(issue.sibling.either ? [[field, sibling] as [Segment[], Segment[]]] : [])];
    for (const [winner, loser] of pairs) {
      if (source(winner) !== "set" || source(loser) !== "file") continue;
      const setIndex = overrides.findLastIndex((o) => !o.remove && isPrefix(o.path, winner));
      if (setIndex < 0) continue;
      replacements.push({ origin: overrides[setIndex]!.origin, setIndex, path: formatPath(winner), dropped: formatPath(loser), value: writtenValue(document, loser, text), file });
      document.doc.deleteIn(loser);
      break;
    }
  }
  return replacements;
}

/** A scalar as the file spells it (`1.0`, not `1`); anything larger as messages show values. */
function writtenValue(document: ConfigDocument, path: Segment[], text: string): string {
  const node = findNode(document, path)?.node;
  if (isScalar(node) && node.range) {
    const written = text.slice(node.range[0], node.range[1]).trim();
    if (written !== "" && !written.includes("\n") && written.length <= 60) return written;
  }
  return formatValue(node ? node.toJS(document.doc) : null);
}
