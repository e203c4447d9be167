// Worker threads that run chunks of a task on the one shared memory. Dispatch posts no message: the
// caller writes the chunk bounds into a shared control block, publishes a claim word and bumps a
// generation counter; workers spin briefly on the counter, then sleep in Atomics.wait. The caller
// runs chunk 0 itself, then claims chunks like any worker, and returns when every chunk is done.
// A chunk is claimed by exactly one thread and computes the same bytes whichever thread runs it, so
// a worker the OS has descheduled costs the caller its share of the work, never a wait for it.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";

export const MAX_WORKERS = 63;
/** Most chunks per task (the claim word holds the count and the next index in 16 bits each). */
export const MAX_CHUNKS = 1024;
/**
 * Control block layout (Int32 words); the worker reads it from workerData. `helpers`: workers
 * below this index take part in the current task; `claim`: the claim word (see claimWord);
 * `stops`: one stop flag per worker; `bounds`: chunk c covers [bounds[c], bounds[c + 1]).
 */
export const CONTROL = { generation: 0, done: 1, failed: 2, helpers: 3, claim: 4, stops: 8, bounds: 8 + MAX_WORKERS } as const;
export type ControlLayout = typeof CONTROL;
/** How long an idle worker keeps spinning before it sleeps (a training step's calls come faster). */
export const WORKER_SPIN_MS = 0.25;
/** Spins of the caller before it sleeps while waiting for chunks other threads hold. */
const CALLER_SPINS = 1 << 20;

const WORKER_URL = new URL("./worker.mjs", import.meta.url);

interface Member {
  worker: Worker;
  port: MessagePort;
}

/**
 * The claim word: the task's chunk count in the high 16 bits, the next unclaimed chunk in the low
 * 16. A claim is a compare-exchange of the whole word, so whichever task a thread last looked at,
 * a successful claim takes an unclaimed chunk of the task published now, whose bounds and task
 * block were written before the word (no tag is needed, and no BigInt on the hot path).
 */
export function claimWord(chunks: number, next: number): number {
  return (chunks << 16) | next;
}

export class WorkerPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (CONTROL.bounds + MAX_CHUNKS + 1)));
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

  /**
   * Runs chunks [bounds[c], bounds[c + 1]) for c < chunks (bounds ascending, chunks + 1 of them) on
   * this thread and the first `helpers` workers: this thread starts with chunk 0, then all claim the
   * rest. Returns when every chunk is done; throws if one failed.
   */
  run(bounds: ArrayLike<number>, chunks: number, helpers: number, runTask: (task: number, begin: number, end: number) => void): void {
    if (helpers > this.members.length) throw new Error(`kernels need ${helpers} workers, the pool has ${this.members.length}`);
    if (!(chunks >= 1 && chunks <= MAX_CHUNKS)) throw new Error(`a task has 1..${MAX_CHUNKS} chunks, got ${chunks}`);
    const { control } = this;
    for (let c = 0; c <= chunks; c++) control[CONTROL.bounds + c] = bounds[c]!;
    Atomics.store(control, CONTROL.done, 0);
    Atomics.store(control, CONTROL.helpers, helpers);
    // Chunk 0 is this thread's: workers claim from 1.
    Atomics.store(control, CONTROL.claim, claimWord(chunks, 1));
    Atomics.add(control, CONTROL.generation, 1);
    if (chunks > 1 && helpers > 0) Atomics.notify(control, CONTROL.generation, helpers);
    let failure: string | undefined;
    let mine = 0;
    try {
      mine++;
      runTask(this.task, bounds[0]!, bounds[1]!);
      for (let next = this.claimNext(chunks); next >= 0; next = this.claimNext(chunks)) {
        mine++;
        runTask(this.task, bounds[next]!, bounds[next + 1]!);
      }
    } finally {
      // After a trap here, the unclaimed chunks are dropped (counted done) and the claimed ones awaited.
      mine += this.claimRest(chunks);
      if (Atomics.add(control, CONTROL.done, mine) + mine < chunks) this.wait(chunks);
      if (Atomics.exchange(control, CONTROL.failed, 0) !== 0) failure = this.drainMessages();
    }
    if (failure !== undefined) throw new Error(`a kernels worker failed: ${failure}`);
  }

  /** Stops every worker (they exit their loop, then are terminated). */
  dispose(): void {
    while (this.members.length > 0) this.stop(this.members.pop()!, this.members.length);
  }

  /** The next chunk of the current task, claimed for this thread, or -1 when none is left. */
  private claimNext(chunks: number): number {
    for (;;) {
      const word = Atomics.load(this.control, CONTROL.claim);
      const next = word & 0xffff;
      if (next >= chunks) return -1;
      if (Atomics.compareExchange(this.control, CONTROL.claim, word, claimWord(chunks, next + 1)) === word) return next;
    }
  }

  /** Claims every chunk left (so no worker starts one); returns how many. */
  private claimRest(chunks: number): number {
    for (;;) {
      const word = Atomics.load(this.control, CONTROL.claim);
      const next = word & 0xffff;
      if (next >= chunks) return 0;
      if (Atomics.compareExchange(this.control, CONTROL.claim, word, claimWord(chunks, chunks)) === word) return chunks - next;
    }
  }

  /** Waits until `count` chunks are done (the thread finishing the last one notifies). */
  private wait(count: number): void {
    const control = this.control;
    let spins = 0;
    for (let done = Atomics.load(control, CONTROL.done); done < count; done = Atomics.load(control, CONTROL.done)) {
      if (++spins > CALLER_SPINS) Atomics.wait(control, CONTROL.done, done, 10);
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
    Atomics.store(this.control, CONTROL.stops + index, 0);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_URL, {
      workerData: {
        module: this.module, memory: this.memory, control: this.control.buffer,
        task: this.task, index, port: port2, layout: CONTROL, spinMs: WORKER_SPIN_MS,
      },
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
    Atomics.store(this.control, CONTROL.stops + index, 1);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
    member.port.close();
    void member.worker.terminate();
  }
}
