import { UserError } from "./errors.ts";
import type { Examples } from "./examples.ts";
import { loadFashionMnist, loadIdxDirectory, loadMnist } from "./mnist.ts";
import { syntheticLinear, type SyntheticLinearSpec } from "./synthetic.ts";

/** The datasets a config can name: two packaged image sets, a directory of IDX files, generated data. */
export const DATASETS = ["mnist", "fashion-mnist", "idx", "synthetic-linear"] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface DatasetSource {
  dataset: DatasetName;
  /** For idx: the directory of the four IDX files. */
  path: string | null;
  /** For synthetic-linear. */
  synthetic: SyntheticLinearSpec;
}

/** A dataset's train and test examples before any split; classes = 0 for regression data. */
export interface RawDataset {
  train: Examples;
  test: Examples;
  classes: number;
}

const cache = new Map<string, RawDataset>();

/** The examples `source` names; files are read once per process, generated data is drawn from `seed`. */
export function loadDataset(source: DatasetSource, seed: number): RawDataset {
  if (source.dataset === "synthetic-linear") return { ...syntheticLinear(source.synthetic, seed), classes: 0 };
  const key = source.dataset === "idx" ? `idx:${source.path}` : source.dataset;
  let raw = cache.get(key);
  if (!raw) {
    raw = { ...readFiles(source), classes: 10 };
    cache.set(key, raw);
  }
  return raw;
}

function readFiles(source: DatasetSource): { train: Examples; test: Examples } {
  switch (source.dataset) {
    case "mnist":
      return loadMnist();
    case "fashion-mnist":
      return loadFashionMnist();
    case "idx":
      if (!source.path) throw new UserError("data.path: dataset idx needs the directory of its IDX files", 2, "data.path");
      return loadIdxDirectory(source.path);
    default:
      throw new UserError(`data.dataset: unknown dataset ${String(source.dataset)}`, 2, "data.dataset");
  }
}
