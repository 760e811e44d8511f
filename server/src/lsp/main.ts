// Entry of dist/server.js: a loader. The language server's bundle (dist/language-server.js) takes about a second to
// load (compiling 11 MB of JavaScript, most of it TypeScript's compiler), and its analysis worker loads the same
// bundle. Started here, before this thread loads it, the worker loads it at the same time on another core, and a
// file opened at once gets its first findings that much earlier. Nothing else happens here: no engine code runs.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ANALYSIS_WORKER_OPTIONS, offerPrestartedWorker } from './prestarted-worker';

// As `require` names it (symbolic links resolved), so the language server asks for the same script.
const bundle = realpathSync(path.join(__dirname, 'language-server.js'));
offerPrestartedWorker(bundle, new Worker(bundle, ANALYSIS_WORKER_OPTIONS));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time, after the worker started
require(bundle);
