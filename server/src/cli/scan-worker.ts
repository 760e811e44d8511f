// The --jobs worker thread: scans the projects the main thread hands it, one at a time, with the engine's scan().
// It runs in dist/cli.js itself (main.ts branches on isMainThread), so the package ships no second bundle.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { DiskStore, scan as engineScan, type ScanOptions } from '../engine';
import { releaseScanMemory } from '../engine/heap';
import type { AnalysisResult } from '../engine/model';

/** workerData of a scan worker: tells the bundle to run this loop instead of the command line. */
export const SCAN_WORKER_DATA = { healthDataLintScanWorker: 1 } as const;

/** What a worker needs to scan one project: the scan options that survive a structured clone (no callbacks). */
export type ScanTaskOptions = Pick<ScanOptions, 'paths' | 'config' | 'configDirectory' | 'discovered' | 'excludeFiles'> & {
  /** --cache: a store cannot cross the thread boundary, its directory can (each project has its own cache file). */
  cacheDirectory?: string;
};

/** The engine options of a task: the results cache rebuilt from its directory. */
export function scanOptionsOf(task: ScanTaskOptions): ScanOptions {
  const { cacheDirectory, ...options } = task;
  return { ...options, ...(cacheDirectory !== undefined && { cache: new DiskStore(cacheDirectory) }), releaseMemory: releaseScanMemory };
}

export interface ScanTask {
  id: number;
  options: ScanTaskOptions;
}

export type ScanWorkerMessage =
  | { kind: 'progress'; id: number; file?: string }
  | { kind: 'done'; id: number; result: AnalysisResult }
  | { kind: 'failed'; id: number; message: string };

export function isScanWorker(): boolean {
  return !isMainThread && (workerData as Partial<typeof SCAN_WORKER_DATA> | undefined)?.healthDataLintScanWorker === 1;
}

export function runScanWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runScanWorker runs on a worker thread');
  port.on('message', async (task: ScanTask) => {
    let message: ScanWorkerMessage;
    try {
      // await: the main thread sends one task at a time, and an engine that becomes asynchronous keeps working here.
      const result = await engineScan({ ...scanOptionsOf(task.options), onProgress: ({ file }) => port.postMessage({ kind: 'progress', id: task.id, file } satisfies ScanWorkerMessage) });
      message = { kind: 'done', id: task.id, result };
    } catch (error) {
      // A project the engine cannot analyse (a thrown error, not a crash): the main thread reports it and goes on.
      message = { kind: 'failed', id: task.id, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(message);
  });
}
