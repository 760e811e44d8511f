// Runs scan tasks on a pool of worker threads (--jobs): each worker takes the next task when it is free, and a worker
// that crashes fails only the task it was running; a fresh worker takes the rest.
import { Worker } from 'node:worker_threads';
import type { AnalysisResult } from '../engine/model';
import { SCAN_WORKER_DATA, type ScanTask, type ScanWorkerMessage } from './scan-worker';

export type TaskOutcome = { ok: true; result: AnalysisResult } | { ok: false; message: string };

export interface PoolOptions {
  /** How many workers at most (never more than there are tasks). */
  jobs: number;
  /** The script each worker runs: the CLI bundle, which becomes a scan worker when started with SCAN_WORKER_DATA. */
  workerScript: string;
  /** Called for every file a worker has analysed. */
  onFile?: (file: string | undefined) => void;
  /** Where the workers' own output goes (never stdout: it may carry the report). */
  log?: (text: string) => void;
}

/** Tasks run in the order given (put the largest first); outcomes come back by task id. */
export function runScanTasks(tasks: readonly ScanTask[], options: PoolOptions): Promise<Map<number, TaskOutcome>> {
  const outcomes = new Map<number, TaskOutcome>();
  const queue = [...tasks];
  const running = new Map<Worker, ScanTask | undefined>();
  return new Promise((resolve) => {
    const settle = (worker: Worker, task: ScanTask | undefined, outcome: TaskOutcome) => {
      if (task && !outcomes.has(task.id)) outcomes.set(task.id, outcome);
      running.set(worker, undefined);
    };
    const next = (worker: Worker) => {
      const task = queue.shift();
      if (!task) {
        running.delete(worker);
        void worker.terminate();
        if (running.size === 0) resolve(outcomes);
        return;
      }
      running.set(worker, task);
      worker.postMessage(task);
    };
    const start = () => {
      const worker = new Worker(options.workerScript, { workerData: SCAN_WORKER_DATA, stdout: true, stderr: true });
      running.set(worker, undefined);
      const forward = (chunk: Buffer) => options.log?.(chunk.toString('utf8'));
      worker.stdout.on('data', forward);
      worker.stderr.on('data', forward);
      worker.on('message', (message: ScanWorkerMessage) => {
        const task = running.get(worker);
        if (!task || message.id !== task.id) return;
        if (message.kind === 'progress') {
          options.onFile?.(message.file);
          return;
        }
        settle(worker, task, message.kind === 'done' ? { ok: true, result: message.result } : { ok: false, message: message.message });
        next(worker);
      });
      // A crash (an uncaught error, out of memory) ends the worker: its task fails, the others go on in a new worker
      // (a worker that cannot start at all fails each task once: bounded by the number of tasks).
      const lost = (reason: string) => {
        if (!running.has(worker)) return;
        const task = running.get(worker);
        settle(worker, task, { ok: false, message: reason });
        running.delete(worker);
        if (queue.length > 0) next(start());
        else if (running.size === 0) resolve(outcomes);
      };
      worker.on('error', (error) => lost(`the worker stopped: ${error.message}`));
      worker.on('exit', (code) => lost(`the worker exited with code ${code}`));
      return worker;
    };
    const count = Math.max(1, Math.min(options.jobs, queue.length));
    if (queue.length === 0) resolve(outcomes);
    else for (let i = 0; i < count; i++) next(start());
  });
}
