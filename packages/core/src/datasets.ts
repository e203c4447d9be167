import { UserError } from "./errors.ts";
import { arrangeRows, sliceExamples } from "./arrange-rows.ts";
import { concatExamples, type Examples } from "./examples.ts";
import type { ByteStorage } from "./byte-storage.ts";
import { loadFashionMnist, loadIdxDirectory, loadMnist } from "./mnist.ts";
import { pooledOrder } from "./split.ts";
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

/**
 * A dataset's train and test examples before any split; classes = 0 for regression data. With
 * `pooled`, train and test are already the pooled split's training and validation sets.
 */
export interface RawDataset {
  train: Examples;
  test: Examples;
  classes: number;
  pooled?: true;
}

/** Files in file order, read once per process. */
const cache = new Map<string, RawDataset>();
/**
 * Pooled splits laid out in split order, each its own copy of the files: only the latest is kept,
 * so a process holds one copy as before, and a sweep over seeds reads the files again per seed.
 */
const pooledCache = new Map<string, RawDataset>();
const POOLED_KEPT = 1;

/**
 * The examples `source` names; files are read once per process, generated data is drawn from
 * `seed`. Asked for the pooled split of a file dataset, it reads the files afresh and moves every
 * example, in place, to where the split puts it (split.ts pooledOrder): its training set is then
 * one contiguous block in training order, so an unshuffled epoch's batches are slices of it
 * rather than rows gathered from all over the file. The bytes of every example are the same.
 *
 * With `storage`, the files' pixels are read into the bytes it returns (where a backend reads them
 * in place) and the result is not cached: whoever owns that storage owns the dataset.
 */
export function loadDataset(source: DatasetSource, seed: number, pooled: { validFraction: number } | null = null, storage?: ByteStorage): RawDataset {
  if (source.dataset === "synthetic-linear") return { ...syntheticLinear(source.synthetic, seed), classes: 0 };
  if (storage) {
    const files = readFiles(source, storage);
    return pooled ? poolFiles(files, seed, pooled.validFraction) : { ...files, classes: 10 };
  }
  const key = source.dataset === "idx" ? `idx:${source.path}` : source.dataset;
  if (pooled) return pooledFiles(source, `${key}|seed ${seed}|valid ${pooled.validFraction}`, seed, pooled.validFraction);
  let raw = cache.get(key);
  if (!raw) {
    raw = { ...readFiles(source), classes: 10 };
    cache.set(key, raw);
  }
  return raw;
}

function pooledFiles(source: DatasetSource, key: string, seed: number, validFraction: number): RawDataset {
  let raw = pooledCache.get(key);
  if (raw) {
    pooledCache.delete(key);
    pooledCache.set(key, raw);
    return raw;
  }
  raw = poolFiles(readFiles(source), seed, validFraction);
  pooledCache.set(key, raw);
  while (pooledCache.size > POOLED_KEPT) pooledCache.delete(pooledCache.keys().next().value!);
  return raw;
}

/** Files just read, pooled and moved in place into split order (see loadDataset). */
function poolFiles({ train, test }: { train: Examples; test: Examples }, seed: number, validFraction: number): RawDataset {
  const pool = concatExamples(train, test);
  const { order, validCount } = pooledOrder(pool.count, validFraction, seed);
  // The pool views the buffer just read (or, for files not read back to back, a copy of them): no one else's.
  const arranged = arrangeRows(pool, order);
  return { train: sliceExamples(arranged, validCount, pool.count), test: sliceExamples(arranged, 0, validCount), classes: 10, pooled: true };
}

function readFiles(source: DatasetSource, storage?: ByteStorage): { train: Examples; test: Examples } {
  switch (source.dataset) {
    case "mnist":
      return loadMnist(storage);
    case "fashion-mnist":
      return loadFashionMnist(undefined, storage);
    case "idx":
      if (!source.path) throw new UserError("data.path: dataset idx needs the directory of its IDX files", 2, "data.path");
      return loadIdxDirectory(source.path, 10, storage);
    default:
      throw new UserError(`data.dataset: unknown dataset ${String(source.dataset)}`, 2, "data.dataset");
  }
}
