import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { inShard, parseShard } from "./shard.ts";

describe("parseShard", () => {
  it("reads i/n", () => {
    expect(parseShard("1/2")).toEqual({ index: 1, count: 2 });
    expect(parseShard(" 3/3 ")).toEqual({ index: 3, count: 3 });
  });

  it("rejects anything else with a usage error (exit 2)", () => {
    for (const bad of ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", ""]) {
      expect(() => parseShard(bad), bad).toThrow(UserError);
      expect(() => parseShard(bad)).toThrow(/--shard: expected i\/n with 1 ≤ i ≤ n/);
    }
  });
});

describe("inShard", () => {
  it("the shards of a plan are disjoint and together the whole plan, for any n", () => {
    for (const size of [1, 2, 7, 12, 13]) {
      for (let count = 1; count <= 5; count++) {
        const shards = Array.from({ length: count }, (_, i) => Array.from({ length: size }, (_, t) => t + 1).filter((index) => inShard(index, { index: i + 1, count })));
        const all = shards.flat().sort((a, b) => a - b);
        expect(all, `${size} trials in ${count} shards`).toEqual(Array.from({ length: size }, (_, t) => t + 1));
        // Round-robin: shard sizes differ by at most one.
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it("no shard means every trial", () => {
    expect([1, 2, 3].every((index) => inShard(index, null))).toBe(true);
  });
});
