// A kernels worker (plain JavaScript: Node cannot start a worker on a .ts file). It instantiates
// the kernels module on the shared memory, then, each time the caller publishes a task (see
// pool.ts), claims chunks of it until none is left: spin on the generation counter, sleep after spinMs.
import { workerData } from "node:worker_threads";

const { module, memory, control, task, index, port, layout, spinMs } = workerData;
const { runTask } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const words = new Int32Array(control);

/** Claims and runs chunks of the published task until none is left. */
function work() {
  for (;;) {
    // The claim word: chunk count << 16 | next unclaimed chunk (pool.ts claimWord).
    const word = Atomics.load(words, layout.claim);
    const next = word & 0xffff;
    const chunks = word >>> 16;
    if (next >= chunks) return;
    if (Atomics.compareExchange(words, layout.claim, word, word + 1) !== word) continue;
    try {
      runTask(task, words[layout.bounds + next], words[layout.bounds + next + 1]);
    } catch (error) {
      port.postMessage(`worker ${index}: ${error instanceof Error ? error.message : String(error)}`);
      Atomics.store(words, layout.failed, 1);
    }
    if (Atomics.add(words, layout.done, 1) + 1 === chunks) Atomics.notify(words, layout.done);
  }
}

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
  if (Atomics.load(words, layout.stops + index) !== 0) break;
  if (index < Atomics.load(words, layout.helpers)) work();
}
port.close();
