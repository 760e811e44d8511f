// Entry of dist/server.js: a loader, on the main thread and on the analysis worker's. The language server's bundle
// (dist/language-server.js) takes about a second to load (compiling 11 MB of JavaScript, most of it TypeScript's
// compiler), and its analysis worker loads the same bundle. Started here, before this thread loads it, the worker
// loads it at the same time on another core, and both load it with the bytecode V8 kept from an earlier start
// (code-cache.ts), so a file opened at once gets its first findings that much earlier. No engine code runs here.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import { codeCacheDirectory, loadWithCodeCache } from '../code-cache';
import { ANALYSIS_WORKER_OPTIONS, offerPrestartedWorker } from './prestarted-worker';

// As `require` names them (symbolic links resolved), so the language server asks for the same scripts.
const loader = realpathSync(__filename);
const bundle = realpathSync(path.join(__dirname, 'language-server.js'));
if (isMainThread) offerPrestartedWorker(loader, new Worker(loader, ANALYSIS_WORKER_OPTIONS));
const loaded = loadWithCodeCache(bundle, codeCacheDirectory());
// At once, with only the bundle's top level compiled: V8 rejected, at the next start, the bytecode saved after an
// analysis (5.5 MB against 3.5 MB). Only the first start (or the first after an update) pays for it (about 0.1 s).
loaded.save();
