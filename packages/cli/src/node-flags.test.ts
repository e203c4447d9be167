import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI_NODE_FLAGS } from "./node-flags.ts";

describe("the crossprop command's node flags", () => {
  it("are the ones the root package.json script starts node with", () => {
    const root = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    expect(root.scripts.crossprop).toBe(`exec node ${CLI_NODE_FLAGS.join(" ")} packages/cli/bin/crossprop.js`);
  });
});
