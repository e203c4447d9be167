import * as tf from "@tensorflow/tfjs";

/**
 * The wasm engine's BatchMatMul kernel runs XNNPACK (~35 GFLOP/s here) only when neither operand
 * is transposed; with transposeA or transposeB it falls back to a naive loop (~3 GFLOP/s). Every
 * matMul gradient in tfjs's autodiff sets one of those flags (dA = dy·Bᵀ, dB = Aᵀ·dy), whatever
 * flags the forward used, so no choice of forward expression avoids the slow loop.
 *
 * This replaces only how the wasm kernel computes a flagged product: it materialises the flagged
 * operand with wasm's own Transpose kernel and calls the original kernel unflagged. The product is
 * the same; which products are taken (the gradients) is still decided by tfjs's autodiff.
 */

type KernelConfig = ReturnType<typeof tf.getKernel>;
type KernelArgs = Parameters<KernelConfig["kernelFunc"]>[0];
type TensorInfo = tf.TensorInfo;
interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

const KERNEL = "BatchMatMul";
const BACKEND = "wasm";
let original: KernelConfig | undefined;

/** Installs (true) or removes (false) the transpose-free front of wasm's BatchMatMul. Idempotent. */
export function setTransposeFreeMatMul(enabled: boolean): void {
  const current = tf.getKernel(KERNEL, BACKEND);
  if (current === undefined) throw new Error("the wasm backend is not loaded: import @tensorflow/tfjs-backend-wasm first");
  const installed = original !== undefined && current !== original;
  if (enabled === installed) return;
  tf.unregisterKernel(KERNEL, BACKEND);
  if (!enabled) {
    tf.registerKernel(original!);
    return;
  }
  original = current;
  tf.registerKernel({ ...current, kernelFunc: transposeFreeMatMul(current, tf.getKernel("Transpose", BACKEND)) });
}

function transposeFreeMatMul(matMul: KernelConfig, transpose: KernelConfig): KernelConfig["kernelFunc"] {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const transposeA = attrs?.["transposeA"] === true;
    const transposeB = attrs?.["transposeB"] === true;
    if (!transposeA && !transposeB) return matMul.kernelFunc({ inputs, backend, attrs });
    const a = inputs["a"]!;
    const b = inputs["b"]!;
    // Materialised transposes are kernel-internal: freed here, never seen by the engine.
    const temporaries: TensorInfo[] = [];
    const swapLastTwo = (x: TensorInfo): TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      perm[perm.length - 2] = perm.length - 1;
      perm[perm.length - 1] = perm.length - 2;
      const transposed = transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
      temporaries.push(transposed);
      return transposed;
    };
    try {
      return matMul.kernelFunc({
        inputs: { a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) (backend as DisposingBackend).disposeData(t.dataId);
    }
  };
}
