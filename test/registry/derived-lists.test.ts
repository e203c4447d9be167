import { BACKEND_NAMES, DEFAULT_BACKEND, DEFAULT_CHECK_PARTICIPANTS, DEFAULT_CHECK_REFERENCE, PARTICIPANT_NAMES, backendEntry } from "@crossprop/backends";
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
    // check compares backends on engines: every name, and name:engine for each engine a backend declares.
    expect(PARTICIPANT_NAMES).toEqual(BACKEND_NAMES.flatMap((name) => [name, ...backendEntry(name).supports.engines.map((e) => `${name}:${e}`)]));
    expect([...check.properties.backends.items.enum]).toEqual(PARTICIPANT_NAMES);
    expect([...check.properties.reference.enum]).toEqual(PARTICIPANT_NAMES);
    const { config } = parseConfig("name: defaults\n", "defaults.yaml");
    expect([config.backend, config.check.reference, config.check.backends]).toEqual([DEFAULT_BACKEND, DEFAULT_CHECK_REFERENCE, DEFAULT_CHECK_PARTICIPANTS]);
    // By default check covers every backend, and every engine of those that list theirs.
    for (const name of BACKEND_NAMES) {
      const engines = backendEntry(name).checkEngines;
      const expected = engines.length === 0 ? [name] : engines.map((e) => `${name}:${e}`);
      expect(DEFAULT_CHECK_PARTICIPANTS.filter((p) => p.split(":")[0] === name)).toEqual(expected);
    }
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

  it("the conformance suite: every backend, on every engine it declares, against check's reference", () => {
    expect(REFERENCE.name).toBe(DEFAULT_CHECK_REFERENCE);
    const tested = BACKENDS_UNDER_TEST.map((entry) => entry.backend.name);
    for (const name of BACKEND_NAMES) {
      expect(tested.some((label) => label.startsWith(name)), name).toBe(true);
      for (const engine of backendEntry(name).checkEngines) {
        const label = `${name}:${engine}`;
        if (label !== DEFAULT_CHECK_REFERENCE) expect(tested, label).toContain(label);
      }
    }
  });

  it("--backend all", () => {
    expect(parseBackendList("all").map((p) => p.label)).toEqual(BACKEND_NAMES);
  });
});
