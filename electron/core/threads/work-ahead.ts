import { existsSync } from 'node:fs';
import type { MessagePort, ResourceLimits } from 'node:worker_threads';
import { MessageChannel, Worker, receiveMessageOnPort, workerData } from 'node:worker_threads';

/**
 * Jobs run on a second thread ahead of a caller who takes each outcome, in order, inside its write
 * transaction and without awaiting (SQLite's transactions are synchronous). Each job runs once, on
 * whichever thread claims it first: a caller who catches up runs the next unclaimed jobs itself
 * instead of waiting, and runs everything when no thread can start (tests from the sources, a
 * packaged app whose archive holds no worker file) or when one stops answering. The outcome is the
 * same either way; only who computed it differs (docs/architecture.md, "Work on a second thread").
 */

/** What the two threads share: how many outcomes the thread has posted, and the next job nobody has claimed. */
const POSTED = 0;
const NEXT = 1;

/** Claims the next job below `available`, or -1. */
function claim(shared: Int32Array, available: number): number {
  for (;;) {
    const next = Atomics.load(shared, NEXT);
    if (next >= available) return -1;
    if (Atomics.compareExchange(shared, NEXT, next, next + 1) === next) return next;
  }
}

/**
 * What the thread is sent: jobs `from`, `from + 1`… in the order they were added, as JSON text (one
 * string crosses threads as a copy of its bytes; the same jobs as a structured clone cost several
 * times as much on both sides), with what it needs to run them that it was not sent yet.
 */
type ToThread = { from: number; jobs: string; context?: unknown } | { end: true };

/**
 * How a group of outcomes crosses back, `[ticket, outcome]` each: JSON text unless the jobs say
 * otherwise (sealing packs its bytes into one transferred buffer).
 */
export interface OutcomeCodec<Outcome> {
  pack(done: [number, Outcome][]): { message: unknown; transfer: ArrayBuffer[] };
  unpack(message: unknown): [number, Outcome][];
}

const jsonOutcomes: OutcomeCodec<unknown> = {
  pack: (done) => ({ message: JSON.stringify(done), transfer: [] }),
  unpack: (message) => JSON.parse(message as string) as [number, unknown][],
};

/** Outcomes the thread posts at once: a message has a fixed cost, and a caller waits for the group that holds its ticket. */
const GROUP = 32;

export interface WorkAheadOptions<Job, Outcome> {
  /** The compiled worker (beside the compiled caller); absent, every job runs on the caller's thread. */
  worker: string;
  /** Jobs queued before the thread starts: below, starting it costs more than it saves. */
  startFrom: number;
  /** Jobs sent to the thread per message: a structured clone has a fixed cost per message. */
  sendEvery: number;
  /** A thread silent this long while holding a claimed job is taken for dead: the rest runs here. */
  stallMs: number;
  /** Runs a job on the caller's thread, as the worker does. */
  run: (job: Job) => Outcome;
  /** What the thread needs for `jobs` beyond the jobs themselves and was not sent yet (keys); undefined when nothing. */
  context?: (jobs: readonly Job[]) => unknown;
  /** The same codec the worker serves with; JSON when absent. */
  outcomes?: OutcomeCodec<Outcome>;
  resourceLimits?: ResourceLimits;
}

export class WorkAhead<Job, Outcome> {
  /** Cleared once taken, so a large import does not hold every job to its end. */
  private readonly jobs: (Job | undefined)[] = [];
  private readonly outcomes: (Outcome | undefined)[] = [];
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private thread: { worker: Worker; port: MessagePort } | undefined;
  private sent = 0;
  private abandoned = false;

  constructor(private readonly opts: WorkAheadOptions<Job, Outcome>) {}

  /** Queues a job; returns its ticket for `take`. */
  add(job: Job): number {
    this.jobs.push(job);
    if (!this.thread && !this.abandoned && this.jobs.length >= this.opts.startFrom) this.start();
    if (this.jobs.length - this.sent >= this.opts.sendEvery) this.send();
    return this.jobs.length - 1;
  }

  /** The outcome of job `ticket`, run by the thread or here. */
  take(ticket: number): Outcome {
    this.send();
    while (this.outcomes[ticket] === undefined) {
      // Read before the port is: an outcome posted after this is counted after it too, so the
      // wait below returns at once instead of waiting for a post that may never come.
      const posted = Atomics.load(this.shared, POSTED);
      this.receive();
      if (this.outcomes[ticket] !== undefined) break;
      // Claimed here too, even with no thread: one that starts later begins after what ran here.
      const mine = claim(this.shared, this.jobs.length);
      if (mine >= 0) {
        this.outcomes[mine] = this.opts.run(this.jobs[mine]!);
        continue;
      }
      if (!this.thread) {
        // Claimed by a thread that was stopped before it posted the outcome.
        this.outcomes[ticket] = this.opts.run(this.jobs[ticket]!);
        break;
      }
      // The thread holds this one: wait for its next outcome.
      if (Atomics.wait(this.shared, POSTED, posted, this.opts.stallMs) === 'timed-out') this.stop();
    }
    const outcome = this.outcomes[ticket]!;
    this.outcomes[ticket] = undefined;
    this.jobs[ticket] = undefined;
    return outcome;
  }

  /** How many jobs the thread has run so far. */
  get doneByThread(): number {
    return Atomics.load(this.shared, POSTED);
  }

  /**
   * Ends the thread once it has finished what it claimed (it then drops what it was sent, keys
   * included: see the worker's `end`); what it had not posted is run here if asked for.
   */
  close(): void {
    if (!this.thread) return;
    this.receive();
    const end: ToThread = { end: true };
    this.thread.port.postMessage(end);
    this.thread.port.close();
    this.thread = undefined;
    this.abandoned = true;
  }

  /** A thread that stopped answering: ended at once. */
  private stop(): void {
    if (!this.thread) return;
    void this.thread.worker.terminate();
    this.close();
  }

  private send(): void {
    if (!this.thread || this.sent === this.jobs.length) return;
    const jobs = this.jobs.slice(this.sent) as Job[];
    const message: ToThread = { from: this.sent, jobs: JSON.stringify(jobs), context: this.opts.context?.(jobs) };
    this.thread.port.postMessage(message);
    this.sent = this.jobs.length;
  }

  private start(): void {
    if (!existsSync(this.opts.worker)) {
      this.abandoned = true;
      return;
    }
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.opts.worker, {
      workerData: { port: port2, shared: this.shared },
      transferList: [port2],
      resourceLimits: this.opts.resourceLimits,
    });
    // A thread that cannot start claims nothing: the caller runs everything.
    worker.on('error', () => undefined);
    worker.unref();
    // The first message carries every job queued and not yet claimed here.
    this.sent = Math.min(Atomics.load(this.shared, NEXT), this.jobs.length);
    this.thread = { worker, port: port1 };
  }

  private receive(): void {
    if (!this.thread) return;
    const codec = this.opts.outcomes ?? (jsonOutcomes as OutcomeCodec<Outcome>);
    for (let m = receiveMessageOnPort(this.thread.port); m; m = receiveMessageOnPort(this.thread.port)) {
      for (const [ticket, outcome] of codec.unpack(m.message)) this.outcomes[ticket] = outcome;
    }
  }
}

/** What a worker runs jobs with; `end` wipes what must be when the thread ends. */
export interface WorkerSide<Job, Outcome> {
  run: (job: Job) => Outcome;
  context?: (context: unknown) => void;
  outcomes?: OutcomeCodec<Outcome>;
  end?: () => void;
}

/** The worker's side of WorkAhead: runs every job it can claim, posting outcomes a group at a time. */
export function serveWork<Job, Outcome>(side: WorkerSide<Job, Outcome>): void {
  const { port, shared } = workerData as { port: MessagePort; shared: Int32Array };
  const codec = side.outcomes ?? (jsonOutcomes as OutcomeCodec<Outcome>);
  const jobs: (Job | undefined)[] = [];
  let done: [number, Outcome][] = [];
  const post = () => {
    if (done.length === 0) return;
    const { message, transfer } = codec.pack(done);
    // Posted before the count moves, so a caller woken by the count finds the outcomes on its port.
    port.postMessage(message, transfer);
    Atomics.add(shared, POSTED, done.length);
    Atomics.notify(shared, POSTED);
    done = [];
  };
  // The port closes when the caller says `end` or closes its own side (a thread it stopped).
  port.on('close', () => {
    jobs.length = 0;
    side.end?.();
  });
  port.on('message', (m: ToThread) => {
    if ('end' in m) return port.close();
    if (m.context !== undefined) side.context?.(m.context);
    (JSON.parse(m.jobs) as Job[]).forEach((job, i) => (jobs[m.from + i] = job));
    for (let ticket = claim(shared, jobs.length); ticket >= 0; ticket = claim(shared, jobs.length)) {
      done.push([ticket, side.run(jobs[ticket]!)]);
      jobs[ticket] = undefined;
      if (done.length === GROUP) post();
    }
    post();
  });
}
