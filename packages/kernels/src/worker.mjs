// A kernels worker (plain JavaScript: Node cannot start a worker on a .ts file). It instantiates
// the kernels module on the shared memory, then runs its range of each task the caller publishes
// in the control block (see pool.ts): spin on the generation counter, sleep after spinMs.
import { workerData } from "node:worker_threads";

const { module, memory, control, task, index, port, layout, spinMs } = workerData;
const { runTask } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const words = new Int32Array(control);
const slot = layout.slots + layout.slotWords * index;

let seen = Atomics.load(words, layout.generation);
port.postMessage("ready");
for (;;) {
  let generation = Atomics.load(words, layout.generation);
  if (generation === seen) {
    const deadline = performance.now() + spinMs;
    for (let spins = 1; (generation = Atomics.load(words, layout.generation)) === seen; spins++) {
      if ((spins & 1023) === 0 && performance.now() > deadline) Atomics.wait(words, layout.generation, seen);
    }
  }
  seen = generation;
  if (Atomics.load(words, slot + layout.stop) !== 0) break;
  if (Atomics.load(words, slot + layout.job) !== generation) continue;
  try {
    runTask(task, words[slot + layout.begin], words[slot + layout.end]);
  } catch (error) {
    port.postMessage(`worker ${index}: ${error instanceof Error ? error.message : String(error)}`);
    Atomics.store(words, layout.failed, 1);
  }
  if (Atomics.sub(words, layout.pending, 1) === 1) Atomics.notify(words, layout.pending);
}
port.close();
