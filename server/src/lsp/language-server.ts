// dist/language-server.js, loaded by dist/server.js (main.ts): the language server on the main thread, the engine's
// analysis worker on a worker thread (the same bundle).
import { isMainThread } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { runAnalysisWorker } from './analysis-worker';
import { startServer } from './server';

if (isMainThread) {
  // The transport (--stdio, --node-ipc, --socket) comes from the command line.
  startServer(createConnection(ProposedFeatures.all), __filename);
} else {
  runAnalysisWorker();
}
