import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { SchemaNode } from "./describe.ts";
import { configSchema, schemaJson, type Config } from "./schema/index.ts";

/** Every declared field as [dotted path, node, the object node that declares it]. */
function fields(node: SchemaNode, prefix = ""): [string, SchemaNode & { additionalProperties?: unknown }, SchemaNode][] {
  return Object.entries(node.properties ?? {}).flatMap(([key, field]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    return [[path, field, node] as [string, SchemaNode, SchemaNode], ...fields(field, path)];
  });
}

// Fields whose absence means something: `name` has no sensible default, an expect threshold
// that is not written bounds nothing, and a config without `sweep` (or `sweep.random`) is not one.
const withoutDefault = /^(name|(sweep\.)?expect(_best)?\.\w+(\.min|\.max)?|sweep|sweep\.random(\.trials|\.params)?)$/;

describe("configSchema", () => {
  it("matches the committed schema/crossprop.schema.json (run packages/config/scripts/write-schema.ts if this fails)", () => {
    const committed = readFileSync(new URL("../schema/crossprop.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(schemaJson());
  });

  it("the committed JSON compiles in ajv strict mode", () => {
    const committed = JSON.parse(schemaJson()) as object;
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(committed)).not.toThrow();
  });

  it("declares every field once with a description, and a default unless absence means something", () => {
    const all = fields(configSchema);
    expect(all.length).toBeGreaterThan(40);
    for (const [path, field] of all) {
      expect(field.description, path).toMatch(/\S/);
      expect(field.default === undefined, path).toBe(withoutDefault.test(path));
    }
  });

  it("closes every mapping with additionalProperties: false", () => {
    const mappings = [["(root)", configSchema] as const, ...fields(configSchema).filter(([, field]) => field.properties)];
    for (const [path, field] of mappings) expect(field.additionalProperties, path).toBe(false);
  });

  it("declares variants as string enums, never oneOf (useDefaults ignores defaults inside it); anyOf only over scalars", () => {
    expect(schemaJson()).not.toMatch(/"oneOf"/);
    const branches: { type?: string }[] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== "object" || node === null) return;
      const anyOf = (node as { anyOf?: { type?: string }[] }).anyOf;
      if (anyOf) branches.push(...anyOf);
      Object.values(node).forEach(walk);
    };
    walk(configSchema);
    expect(branches.length).toBeGreaterThan(0);
    for (const branch of branches) expect(branch.type).not.toBe("object");
  });

  it("gives a Config type in which defaulted fields are required", () => {
    expectTypeOf<Config["training"]["epochs"]>().toEqualTypeOf<number>();
    expectTypeOf<Config["data"]["train_size"]>().toEqualTypeOf<number | null>();
    expectTypeOf<Config["model"]["init"]["weights"]["type"]>().toEqualTypeOf<"normal" | "uniform" | "kaiming" | "xavier" | "zeros">();
    expectTypeOf<Config["backend"]>().toEqualTypeOf<"manual" | "autograd" | "tfjs">();
    expectTypeOf<Config["expect"]["valid_accuracy"]>().toEqualTypeOf<{ min?: number; max?: number } | undefined>();
  });
});
