// The analysis worker the loader (main.ts) starts before the language server's bundle is loaded, handed to the first
// AnalysisRunner that asks for a worker running the same script. It lives on `globalThis` because the loader and the
// language server are two bundles with a module of this name each.
import type { Worker, WorkerOptions } from 'node:worker_threads';

export const ANALYSIS_WORKER_ARGUMENT = '--analysis-worker';

/**
 * How the analysis worker is started (by the loader, or by the runner when it replaces one). Its young generation may
 * grow to 128 MB (V8 gives a thread about 48 MB unless told): an edit's analysis makes a Program and checker that live
 * until it ends, and in a smaller young generation they are copied into the old generation, which then fills with
 * garbage and makes V8 stop for a full collection of the whole project's heap (about a second at 200k lines) in the
 * middle of a later edit. Driven by hand at 200k lines, 30 edits of each kind: the cross-file edit went from a
 * median of 168 ms and a p95 of 1,014 ms to 110 and 195 ms, the local edit from 343 / 1,004 to 249 / 977 ms. V8
 * grows the young generation only for a thread that allocates that much, so a small project does not pay for it.
 */
export const ANALYSIS_WORKER_OPTIONS: WorkerOptions = {
  stdout: true,
  stderr: true,
  argv: [ANALYSIS_WORKER_ARGUMENT],
  resourceLimits: { maxYoungGenerationSizeMb: 128 },
};

const KEY = Symbol.for('health-data-lint.prestarted-worker');

interface Offer {
  script: string;
  worker: Worker;
  /** Why it is gone, if it failed or exited before it was taken. */
  gone?: string;
}

export function offerPrestartedWorker(script: string, worker: Worker): void {
  const offer: Offer = { script, worker };
  // Until it is taken nobody listens: an error would otherwise be an uncaught 'error' event.
  worker.once('error', (error) => (offer.gone = error.message));
  worker.once('exit', (code) => (offer.gone ??= `exited with code ${code}`));
  (globalThis as Record<symbol, unknown>)[KEY] = offer;
}

/** The worker started for `script`, once, if it is still running; its output is buffered until the caller reads it. */
export function takePrestartedWorker(script: string): Worker | undefined {
  const slot = globalThis as Record<symbol, unknown>;
  const offer = slot[KEY] as Offer | undefined;
  if (!offer || offer.script !== script) return undefined;
  delete slot[KEY];
  if (offer.gone !== undefined) return undefined;
  return offer.worker;
}
