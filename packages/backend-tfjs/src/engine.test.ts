import { describe, expect, it, vi } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "@crossprop/core";
import { activateEngine, availableEngines, TFJS_NODE_MISSING, useEngine } from "./engine.ts";
import { createTfjsBackend } from "./index.ts";
import { SGD, smallParams, smallSpec } from "./small-models.fixture.ts";
import { supports } from "./supports.ts";

const engines = await availableEngines();
const nodeLoads = engines.includes("tfjs-node");

describe("engines", () => {
  // Runs first in this file (a fresh process): tfjs's cpu banner prints on the first tensor a
  // process writes on cpu, so this is the one chance to see it.
  it("print no tfjs banner on first use", async () => {
    const warn = vi.spyOn(console, "warn");
    const log = vi.spyOn(console, "log");
    try {
      for (const engine of engines) {
        await activateEngine(engine);
        tf.tensor([1, 2, 3]).dispose();
      }
      expect([...warn.mock.calls, ...log.mock.calls]).toEqual([]);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it("lists wasm and cpu on every machine, fastest first", () => {
    expect(engines.slice(-2)).toEqual(["tfjs-wasm", "tfjs-cpu"]);
  });

  it("makes the chosen engine tfjs's active backend", async () => {
    expect(await useEngine("wasm")).toBe("tfjs-wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(await useEngine("cpu")).toBe("tfjs-cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(await useEngine("wasm")).toBe("tfjs-wasm");
    expect(tf.getBackend()).toBe("wasm");
  });

  it("resolves every engine supports declares (node only where tfjs-node loads)", async () => {
    for (const choice of supports.engines) {
      if (choice === "node" && !nodeLoads) continue;
      expect(engines, choice).toContain(await useEngine(choice));
    }
  });

  it("auto, the default, picks the fastest engine that loads", async () => {
    expect(await useEngine("auto")).toBe(engines[0]);
    const spec = smallSpec([3], "relu", "identity", { type: "cross_entropy", reduction: "mean" });
    const backend = createTfjsBackend();
    const model = await backend.createModel(spec, smallParams(spec), SGD);
    expect(backend.name).toBe("tfjs");
    expect(model.engine).toBe(engines[0]);
    model.dispose();
  });

  it(nodeLoads ? "node runs tfjs-node" : "node says tfjs-node is missing and how to get it (exit code 2)", async () => {
    if (nodeLoads) {
      expect(await useEngine("node")).toBe("tfjs-node");
      return;
    }
    const spec = smallSpec([3], "relu", "identity", { type: "cross_entropy", reduction: "mean" });
    const creating = createTfjsBackend({ engine: "node" }).createModel(spec, smallParams(spec), SGD);
    await expect(creating).rejects.toBeInstanceOf(UserError);
    await expect(creating).rejects.toMatchObject({ exitCode: 2, message: TFJS_NODE_MISSING });
    expect(TFJS_NODE_MISSING).toMatch(/@tensorflow\/tfjs-node is not installed.*storage\.googleapis\.com.*engine wasm/);
    // Asking again gives the same answer; nothing half-initialised is left behind.
    await expect(useEngine("node")).rejects.toMatchObject({ exitCode: 2, message: TFJS_NODE_MISSING });
  });
});
