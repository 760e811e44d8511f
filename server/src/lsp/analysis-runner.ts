// Runs analyses one at a time on a worker thread: a newer request for the same unit supersedes an older one,
// and a worker that crashes or hangs is replaced instead of taking the server down.
import { Worker } from 'node:worker_threads';
import type { ConfigOverrides } from './settings';
import type { AnalysisOptions, AnalysisRequest, AnalysisResponse, AnalysisUnit, EarlyReply, WorkerReply, WorkerRequest } from './analysis-unit';
import type { HeapFigures } from './heap';
import { ANALYSIS_WORKER_OPTIONS, takePrestartedWorker } from './prestarted-worker';

export type RunOutcome = AnalysisResponse | { superseded: true };

interface Job {
  request: AnalysisRequest;
  resolve: (outcome: RunOutcome) => void;
  superseded: boolean;
  /** Where the open files' findings go when the worker sends them ahead of the response (see `EarlyReply`). */
  early?: (reply: EarlyReply) => void;
}

export interface AnalysisRunnerOptions {
  /** The script the worker runs: the loader (dist/server.js) or the server bundle, which branches on `isMainThread`. */
  workerScript: string;
  /** An analysis that takes longer is abandoned and its worker replaced. */
  timeoutMs: number;
  log: (message: string) => void;
}

export class AnalysisRunner {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private disposed = false;
  /** A start of the queue's first job is set for the next turn (see `run`). */
  private startScheduled = false;
  /** Memory queries waiting for the worker's answer (after the analysis it is running, if any). */
  private readonly memoryQueries = new Map<number, (heap: HeapFigures | undefined) => void>();
  private readonly flushes = new Map<number, () => void>();
  /** See `AnalysisRequest.resultsCache`: set once the client said where (its `initializationOptions`). */
  resultsCache: string | undefined;

  constructor(private readonly options: AnalysisRunnerOptions) {}

  /**
   * Queues an analysis of `unit` (a first look ahead of the whole analyses waiting); an earlier request for the same
   * unit that has not finished resolves as superseded.
   */
  run(
    unit: AnalysisUnit,
    overrides: ConfigOverrides,
    openDocuments: Record<string, string> = {},
    options: AnalysisOptions = {},
    early?: (reply: EarlyReply) => void,
  ): Promise<RunOutcome> {
    for (const job of [...this.queue, ...(this.running ? [this.running] : [])]) {
      if (job.request.unit.key === unit.key) job.superseded = true;
    }
    // Queued jobs that nobody will look at are dropped now; the running one finishes and is discarded.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].superseded) this.queue.splice(i, 1)[0].resolve({ superseded: true });
    }
    return new Promise((resolve) => {
      const request: AnalysisRequest = { id: this.nextId++, unit, overrides, openDocuments, ...options, ...(this.resultsCache !== undefined && { resultsCache: this.resultsCache }) };
      // A first look goes before the whole analyses waiting: its file is the one in front of the user (a monorepo
      // starts with a unit per package, and the opened file's would otherwise wait for the packages listed before it).
      const job: Job = { request, resolve, superseded: false, ...(early && { early }) };
      const before = request.focus ? this.queue.findIndex((queued) => !queued.request.focus) : -1;
      if (before === -1) this.queue.push(job);
      else this.queue.splice(before, 0, job);
      // Started at the next turn of the event loop: the analyses asked in the same turn (every unit of a workspace
      // just opened, whose debounces end together) are all queued by then, and a first look among them goes first.
      if (!this.running && !this.startScheduled) {
        this.startScheduled = true;
        setImmediate(() => {
          this.startScheduled = false;
          this.startNext();
        });
      }
    });
  }

  /** Starts the worker before the first analysis is asked for (its start-up overlaps the editor's handshake). */
  warmUp(): void {
    if (!this.disposed) this.ensureWorker();
  }

  /** Asks the worker to load what `unit`'s first analysis will need (see `PrepareRequest`). */
  prepare(unit: AnalysisUnit, layout: number): void {
    if (this.disposed) return;
    this.ensureWorker().postMessage({ kind: 'prepare', unit, layout, ...(this.resultsCache !== undefined && { resultsCache: this.resultsCache }) } satisfies WorkerRequest);
  }

  /** Asks the worker to take the stats of `unit`'s files now, while the debounce runs (see `StatRequest`). */
  takeStats(unit: AnalysisUnit, layout: number, disk: number): void {
    if (!this.disposed) this.ensureWorker().postMessage({ kind: 'stat', unit, layout, disk } satisfies WorkerRequest);
  }

  /** Nothing to analyse yet (no workspace folder): the worker the loader started in advance is not kept idle. */
  releasePrestartedWorker(): void {
    void takePrestartedWorker(this.options.workerScript)?.terminate();
  }

  /** The worker's heap figures, after a full collection when `collect`; undefined when there is no worker. */
  memoryUsage(collect: boolean): Promise<HeapFigures | undefined> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.memoryQueries.set(id, resolve);
      worker.postMessage({ kind: 'memory', id, collect } satisfies WorkerRequest);
    });
  }

  /**
   * Has the worker write its results cache now (at shutdown), once the analysis it runs is over; gives up after
   * `timeoutMs` (the cache then holds the previous state, which later sessions check like any other).
   */
  flush(timeoutMs: number): Promise<void> {
    const worker = this.worker;
    if (!worker || this.resultsCache === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(done, timeoutMs);
      const flushes = this.flushes;
      function done(): void {
        clearTimeout(timer);
        flushes.delete(id);
        resolve();
      }
      this.flushes.set(id, done);
      worker.postMessage({ kind: 'flush', id } satisfies WorkerRequest);
    });
  }

  get busy(): boolean {
    return this.running !== undefined || this.queue.length > 0;
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.resolve({ superseded: true });
    this.finish({ superseded: true });
    this.answerPendingQueries();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private startNext(): void {
    if (this.running || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.timer = setTimeout(() => {
      this.options.log(`analysis of ${job.request.unit.key} took more than ${this.options.timeoutMs} ms: abandoned`);
      this.replaceWorker();
      this.finish({ id: job.request.id, ok: false, message: `the analysis took more than ${Math.round(this.options.timeoutMs / 1000)} s and was stopped`, problems: [] });
    }, this.options.timeoutMs);
    this.ensureWorker().postMessage(job.request satisfies WorkerRequest);
  }

  private finish(outcome: RunOutcome): void {
    const job = this.running;
    if (!job) return;
    clearTimeout(this.timer);
    this.running = undefined;
    job.resolve(job.superseded && !('superseded' in outcome) ? { superseded: true } : outcome);
    this.startNext();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // stdout/stderr are piped to us, never inherited: in stdio mode the server's stdout is the protocol stream.
    const worker = takePrestartedWorker(this.options.workerScript) ?? new Worker(this.options.workerScript, ANALYSIS_WORKER_OPTIONS);
    worker.stdout.on('data', (chunk: Buffer) => this.options.log(chunk.toString('utf8').trimEnd()));
    worker.stderr.on('data', (chunk: Buffer) => this.options.log(chunk.toString('utf8').trimEnd()));
    worker.on('message', (reply: WorkerReply) => {
      if ('kind' in reply && reply.kind === 'flushed') this.flushes.get(reply.id)?.();
      else if ('kind' in reply && reply.kind === 'early') {
        // Findings of a superseded analysis describe texts the editor no longer shows.
        if (this.running?.request.id === reply.id && !this.running.superseded) this.running.early?.(reply);
      } else if ('kind' in reply) {
        this.memoryQueries.get(reply.id)?.(reply.heap);
        this.memoryQueries.delete(reply.id);
      } else if (this.running?.request.id === reply.id) this.finish(reply);
    });
    worker.on('error', (error) => {
      this.options.log(`analysis worker failed: ${error.stack ?? error.message}`);
      this.dropWorker(worker, error.message);
    });
    worker.on('exit', (code) => this.dropWorker(worker, `the analysis worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private dropWorker(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.answerPendingQueries();
    const job = this.running;
    if (job) this.finish({ id: job.request.id, ok: false, message: reason, problems: [] });
  }

  /** The worker is gone: memory queries get no figures, flushes have nothing more to wait for. */
  private answerPendingQueries(): void {
    for (const resolve of this.memoryQueries.values()) resolve(undefined);
    this.memoryQueries.clear();
    for (const done of [...this.flushes.values()]) done();
  }

  private replaceWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.answerPendingQueries();
    void worker?.terminate();
  }
}
