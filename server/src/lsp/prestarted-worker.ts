// The analysis worker the loader (main.ts) starts before the language server's bundle is loaded, handed to the first
// AnalysisRunner that asks for a worker running the same script. It lives on `globalThis` because the loader and the
// language server are two bundles with a module of this name each.
import type { Worker } from 'node:worker_threads';

export const ANALYSIS_WORKER_ARGUMENT = '--analysis-worker';

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
