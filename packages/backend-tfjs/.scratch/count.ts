import * as tf from "@tensorflow/tfjs";
import { useEngine } from "../src/engine.ts";
console.log("before", tf.memory().numTensors);
await useEngine("wasm");
console.log("after wasm", tf.memory().numTensors);
await useEngine("cpu");
console.log("after cpu", tf.memory().numTensors);
