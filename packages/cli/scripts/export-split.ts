/**
 * Writes a config's exact train/valid split as raw bytes for tools/pytorch-compare/train.py:
 * train-x.u8 / valid-x.u8 (uint8 pixels, row-major [n, 784]) and train-y.u8 / valid-y.u8.
 *
 *   npx tsx packages/cli/scripts/export-split.ts configs/mlp.yaml OUT_DIR
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, prepareExperiment } from "@crossprop/config";
import { inputsOf } from "@crossprop/core";

const [configPath, out] = process.argv.slice(2);
if (!configPath || !out) throw new Error("usage: export-split.ts CONFIG OUT_DIR");
const { dataset } = prepareExperiment(loadConfig(configPath).config);
mkdirSync(out, { recursive: true });
for (const [name, examples] of [["train", dataset.train], ["valid", dataset.valid]] as const) {
  // Row by row: a split indexes the dataset's pixels rather than copying them.
  const pixels = new Uint8Array(examples.count * examples.features);
  for (let i = 0; i < examples.count; i++) pixels.set(inputsOf(examples, i), i * examples.features);
  writeFileSync(join(out, `${name}-x.u8`), pixels);
  writeFileSync(join(out, `${name}-y.u8`), Uint8Array.from(examples.labels!));
}
