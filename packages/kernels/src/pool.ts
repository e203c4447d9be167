// Worker threads that run shares of a task on the one shared memory. Dispatch posts no message:
// the caller writes each worker's range into a shared control block, bumps a generation counter
// and notifies; workers spin briefly on the counter, then sleep in Atomics.wait. The caller runs its
// own share meanwhile, then waits (spinning first) until the pending count drops to zero.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";

/** Control block layout (Int32 words); the worker reads it from workerData. */
export const CONTROL = { generation: 0, pending: 1, failed: 2, slots: 8, slotWords: 4, begin: 0, end: 1, job: 2, stop: 3 } as const;
export type ControlLayout = typeof CONTROL;
export const MAX_WORKERS = 63;
/** How long an idle worker keeps spinning before it sleeps (a training step's calls come faster). */
export const WORKER_SPIN_MS = 0.25;
/** Spins of the caller before it sleeps while waiting for workers. */
const CALLER_SPINS = 1 << 20;

const WORKER_URL = new URL("./worker.mjs", import.meta.url);

interface Member {
  worker: Worker;
  port: MessagePort;
}

export class WorkerPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (CONTROL.slots + CONTROL.slotWords * MAX_WORKERS)));
  private readonly members: Member[] = [];
  private resizing: Promise<void> = Promise.resolve();

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly task: number,
  ) {}

  get size(): number {
    return this.members.length;
  }

  /** Starts or stops workers until there are `count`; resolves when new ones are ready. */
  resize(count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 0 || count > MAX_WORKERS) throw new Error(`worker count must be 0..${MAX_WORKERS}, got ${count}`);
    this.resizing = this.resizing.then(async () => {
      while (this.members.length > count) this.stop(this.members.pop()!, this.members.length);
      const starting: Promise<Member>[] = [];
      for (let index = this.members.length; index < count; index++) starting.push(this.start(index));
      this.members.push(...(await Promise.all(starting)));
    });
    return this.resizing;
  }

  /** Sets worker `index`'s range [begin, end) for the next `run`. */
  setRange(index: number, begin: number, end: number): void {
    const slot = CONTROL.slots + CONTROL.slotWords * index;
    this.control[slot + CONTROL.begin] = begin;
    this.control[slot + CONTROL.end] = end;
  }

  /** Wakes workers 0..count-1 on their ranges, runs this thread's share [begin, end), then waits for them. */
  run(count: number, runTask: (task: number, begin: number, end: number) => void, begin: number, end: number): void {
    if (count > this.members.length) throw new Error(`kernels need ${count} workers, the pool has ${this.members.length}`);
    const control = this.control;
    const generation = (control[CONTROL.generation]! + 1) | 0;
    for (let index = 0; index < count; index++) Atomics.store(control, CONTROL.slots + CONTROL.slotWords * index + CONTROL.job, generation);
    Atomics.store(control, CONTROL.pending, count);
    Atomics.store(control, CONTROL.generation, generation);
    Atomics.notify(control, CONTROL.generation);
    let failure: string | undefined;
    try {
      runTask(this.task, begin, end);
    } finally {
      this.wait();
      if (Atomics.exchange(control, CONTROL.failed, 0) !== 0) failure = this.drainMessages();
    }
    if (failure !== undefined) throw new Error(`a kernels worker failed: ${failure}`);
  }

  /** Stops every worker (they exit their loop, then are terminated). */
  dispose(): void {
    while (this.members.length > 0) this.stop(this.members.pop()!, this.members.length);
  }

  private wait(): void {
    const control = this.control;
    let spins = 0;
    for (let pending = Atomics.load(control, CONTROL.pending); pending !== 0; pending = Atomics.load(control, CONTROL.pending)) {
      if (++spins > CALLER_SPINS) Atomics.wait(control, CONTROL.pending, pending, 10);
    }
  }

  private drainMessages(): string {
    const messages: string[] = [];
    for (const { port } of this.members) {
      for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) messages.push(String(message.message));
    }
    return messages.join("; ") || "no message";
  }

  private start(index: number): Promise<Member> {
    const slot = CONTROL.slots + CONTROL.slotWords * index;
    Atomics.store(this.control, slot + CONTROL.stop, 0);
    Atomics.store(this.control, slot + CONTROL.job, 0);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_URL, {
      workerData: { module: this.module, memory: this.memory, control: this.control.buffer, task: this.task, index, port: port2, layout: CONTROL, spinMs: WORKER_SPIN_MS },
      transferList: [port2],
    });
    return new Promise<Member>((resolve, reject) => {
      port1.once("message", () => {
        worker.removeAllListeners("error").removeAllListeners("exit");
        worker.on("error", () => {}); // a worker's failure inside a task is reported through `failed`
        worker.unref();
        port1.unref();
        resolve({ worker, port: port1 });
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`a kernels worker exited with code ${code} before it was ready`)));
    });
  }

  private stop(member: Member, index: number): void {
    const slot = CONTROL.slots + CONTROL.slotWords * index;
    Atomics.store(this.control, slot + CONTROL.stop, 1);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
    member.port.close();
    void member.worker.terminate();
  }
}
