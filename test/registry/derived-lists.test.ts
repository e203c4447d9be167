import { BACKEND_NAMES, DEFAULT_BACKEND, backendEntry } from "@crossprop/backends";
import { backendTolerance, numericalTolerance } from "@crossprop/check";
import { parseBackendList } from "@crossprop/cli/backend-list";
import { configSchema, parseConfig } from "@crossprop/config";
import { describe, expect, it } from "vitest";
import { BACKENDS_UNDER_TEST, REFERENCE } from "../conformance/backends.ts";

// Every list of backends in the product is derived from the registry; adding a backend there (and its
// package) is all it takes, and these fail the moment one list is spelled out by hand instead.
describe("lists derived from the backend registry", () => {
  it("the config schema: backend, check.backends and check.reference, and their defaults", () => {
    const { backend, check } = configSchema.properties;
    expect([...backend.enum]).toEqual(BACKEND_NAMES);
    expect([...check.properties.backends.items.enum]).toEqual(BACKEND_NAMES);
    expect([...check.properties.reference.enum]).toEqual(BACKEND_NAMES);
    const { config } = parseConfig("name: defaults\n", "defaults.yaml");
    expect([config.backend, config.check.reference, config.check.backends]).toEqual([DEFAULT_BACKEND, DEFAULT_BACKEND, BACKEND_NAMES]);
  });

  it("each backend with settings has its section in the config, with the registry's defaults", () => {
    const { config } = parseConfig("name: defaults\n", "defaults.yaml");
    for (const name of BACKEND_NAMES) {
      const options = backendEntry(name).options;
      expect(name in configSchema.properties, name).toBe(options !== null);
      if (options) expect(Object.keys((config as unknown as Record<string, object>)[name]!)).toEqual(Object.keys(options.properties));
    }
  });

  it("check's tolerances: every backend's own, per dtype it supports", () => {
    for (const name of BACKEND_NAMES) {
      for (const dtype of backendEntry(name).supports.dtypes) {
        expect(backendTolerance(dtype, name)).toBe(backendEntry(name).tolerances[dtype]);
        expect(numericalTolerance(dtype, name)).toBe(backendEntry(name).finiteDifference[dtype]);
      }
    }
  });

  it("the conformance suite: every backend but the reference, at least once", () => {
    expect(REFERENCE.name).toBe(DEFAULT_BACKEND);
    const tested = new Set(BACKENDS_UNDER_TEST.map((entry) => entry.tolerances));
    for (const name of BACKEND_NAMES.filter((n) => n !== DEFAULT_BACKEND)) expect(tested.has(backendEntry(name).tolerances), name).toBe(true);
    expect(BACKENDS_UNDER_TEST.every((entry) => BACKEND_NAMES.some((name) => entry.backend.name.startsWith(name)))).toBe(true);
  });

  it("--backend all", () => {
    expect(parseBackendList("all")).toEqual(BACKEND_NAMES);
  });
});
