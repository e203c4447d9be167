import { afterAll, describe, expect, it } from "vitest";
import { removeConfigs, writeConfig } from "./configs.fixture.ts";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";
import { checkBackendSupport } from "./support.ts";

afterAll(removeConfigs);

/** The lines checkBackendSupport throws for `text` with `sets`, or [] if the backend supports it. */
function supportErrors(text: string, sets: string[] = []): string[] {
  const loaded = loadConfig(writeConfig(text), sets);
  try {
    checkBackendSupport(loaded);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.message.replace(loaded.file, "FILE").split("\n");
    throw error;
  }
}

describe("checkBackendSupport: from the config alone, no data loaded", () => {
  it("refuses what the backend does not compute, at the line that asked for it", () => {
    expect(supportErrors("name: t\nbackend: tfjs\ndtype: float64\n")).toEqual(["FILE:3:8: dtype: backend tfjs does not support dtype float64 (supported: float32)"]);
  });

  it("names the --set that chose the backend's unsupported setting", () => {
    expect(supportErrors("name: t\nbackend: tfjs\n", ["dtype=float64"])).toEqual(["--set dtype=float64: dtype: backend tfjs does not support dtype float64 (supported: float32)"]);
  });

  it("passes what the backend supports, whatever the model's widths", () => {
    expect(supportErrors("name: t\ndtype: float64\nmodel: { hidden: [64, 32], activation: tanh }\nloss: { type: mse }\n")).toEqual([]);
  });
});
