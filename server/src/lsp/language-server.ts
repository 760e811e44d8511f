// dist/language-server.js, loaded by dist/server.js (main.ts): the language server on the main thread, the engine's
// analysis worker on a worker thread (the same bundle).
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { runAnalysisWorker } from './analysis-worker';
import { startServer } from './server';

/** A worker started again runs the loader too (dist/server.js, with the code cache), or this bundle without it. */
function workerScript(): string {
  const loader = path.join(__dirname, 'server.js');
  return existsSync(loader) ? realpathSync(loader) : __filename;
}

if (isMainThread) {
  // The transport (--stdio, --node-ipc, --socket) comes from the command line.
  startServer(createConnection(ProposedFeatures.all), workerScript());
} else {
  runAnalysisWorker();
}
