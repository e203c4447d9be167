import * as tf from "@tensorflow/tfjs";
import * as wasm from "@tensorflow/tfjs-backend-wasm";
console.log(typeof tf.variableGrads, typeof tf.train?.sgd, typeof tf.enableProdMode, typeof tf.registerKernel, typeof tf.getKernel, typeof wasm.setWasmPaths, typeof tf.losses?.softmaxCrossEntropy, Object.keys(tf).length);
