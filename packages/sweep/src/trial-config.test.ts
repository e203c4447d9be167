import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "@crossprop/config";
import { removeConfigs, writeConfig } from "@crossprop/config/fixtures";
import { withoutSweep } from "./trial-config.ts";

afterAll(removeConfigs);

describe("withoutSweep", () => {
  it("drops the sweep section from the config and the resolved YAML, which then equals a plain config's", () => {
    const plain = "name: s\noptimizer:\n  lr: 0.5\n";
    const swept = loadConfig(writeConfig(`${plain}sweep:\n  grid:\n    optimizer.lr: [0.5, 1]\n`));
    expect(swept.config.sweep).toBeDefined();
    const trial = withoutSweep(swept);
    const reference = loadConfig(writeConfig(plain));
    expect(trial.config).toEqual(reference.config);
    expect(trial.resolvedYaml).toBe(reference.resolvedYaml);
    expect(parse(trial.resolvedYaml)).not.toHaveProperty("sweep");
    expect(trial.file).toBe(swept.file);
  });
});
