import { UserError } from "./errors.ts";
import { concatExamples, selectRows, type Dataset, type Examples } from "./examples.ts";
import { Rng } from "./rng.ts";

export interface SplitOptions {
  /** standard: the given train/test sets in file order; pooled: all pooled, a seeded fraction held out. */
  split: "standard" | "pooled";
  validFraction: number;
  seed: number;
  /** Keep only these classes, relabelled by their position in the list (e.g. [3, 7]: 3 → 0, 7 → 1). */
  classes: number[] | null;
  trainSize: number | null;
  testSize: number | null;
}

/**
 * Turns a dataset's train and test files into the run's train/valid sets: split, then class
 * filter (order kept), then the first train_size / test_size rows.
 */
export function makeSplit(name: string, train: Examples, test: Examples, classCount: number, options: SplitOptions): Dataset {
  let [trainSet, validSet] = options.split === "pooled" ? pooledSplit(train, test, options) : [train, test];
  let classNames = Array.from({ length: classCount }, (_, i) => String(i));
  if (options.classes) {
    trainSet = filterClasses(trainSet, options.classes);
    validSet = filterClasses(validSet, options.classes);
    classNames = options.classes.map(String);
  }
  // No examples would train nothing and report NaN metrics as a completed run.
  for (const [set, what] of [[trainSet, "training"], [validSet, "validation"]] as const) {
    if (set.count > 0) continue;
    const path = options.classes ? "data.classes" : "data.path";
    const because = options.classes ? `[${options.classes.join(", ")}] leaves` : "the data has";
    throw new UserError(`${path}: ${because} no ${what} examples`, 2, path);
  }
  return {
    name,
    features: train.features,
    classes: classNames.length,
    classNames,
    train: firstRows(trainSet, options.trainSize, "data.train_size", "training"),
    valid: firstRows(validSet, options.testSize, "data.test_size", "validation"),
  };
}

/**
 * Notebook 000's split of `count` pooled examples: permuted by the seed, the first
 * round(count·fraction) of the order held out for validation, the rest trained on.
 */
export function pooledOrder(count: number, validFraction: number, seed: number): { order: Uint32Array; validCount: number } {
  const order = new Rng(seed, "split").permutation(count);
  const validCount = Math.round(count * validFraction);
  if (validCount < 1 || validCount >= count) {
    throw new UserError(`data.valid_fraction: ${validFraction} of ${count} examples leaves an empty set`, 2, "data.valid_fraction");
  }
  return { order, validCount };
}

/** The pooled split of a train and a test set, as row indexes into their (shared) storage. */
function pooledSplit(train: Examples, test: Examples, options: SplitOptions): [Examples, Examples] {
  const pool = concatExamples(train, test);
  const { order, validCount } = pooledOrder(pool.count, options.validFraction, options.seed);
  return [selectRows(pool, order.subarray(validCount)), selectRows(pool, order.subarray(0, validCount))];
}

function filterClasses(examples: Examples, classes: number[]): Examples {
  const labels = examples.labels;
  if (!labels) throw new UserError("data.classes: this dataset has no class labels", 2, "data.classes");
  const newLabel = new Map(classes.map((cls, i) => [cls, i]));
  const rows: number[] = [];
  for (let i = 0; i < examples.count; i++) if (newLabel.has(labels[i]!)) rows.push(i);
  const kept = selectRows(examples, rows);
  for (let i = 0; i < kept.count; i++) kept.labels![i] = newLabel.get(kept.labels![i]!)!;
  return kept;
}

function firstRows(examples: Examples, size: number | null, path: string, what: string): Examples {
  if (size === null || size === examples.count) return examples;
  if (size > examples.count) {
    throw new UserError(`${path}: ${size} is more than the ${examples.count} ${what} examples available`, 2, path);
  }
  return selectRows(examples, Array.from({ length: size }, (_, i) => i));
}
