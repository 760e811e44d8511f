// The `health-data-lint` executable (dist/cli-main.js, loaded by dist/cli.js: loader.ts): hands argv and the process
// streams to runCli and exits with its code. Started as a worker thread by --jobs, the same bundle is a scan worker.
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isScanWorker, runScanWorker } from './scan-worker';
import { runCli } from './run';

/** The --jobs workers run the loader too (with the code cache), or this bundle when it is run without it. */
function workerScript(): string {
  const loader = path.join(__dirname, 'cli.js');
  return existsSync(loader) ? realpathSync(loader) : __filename;
}

if (isScanWorker()) {
  runScanWorker();
} else {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    workerScript: workerScript(),
  }).then(
    (exitCode) => {
      // exitCode, not exit(): a large report piped to another program must be flushed first.
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      process.stderr.write(`health-data-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
