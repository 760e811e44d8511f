// The `health-data-lint` executable: hands argv and the process streams to runCli and exits with its code. Started as
// a worker thread by --jobs, the same bundle is a scan worker instead.
import { isScanWorker, runScanWorker } from './scan-worker';
import { runCli } from './run';

if (isScanWorker()) {
  runScanWorker();
} else {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    workerScript: __filename,
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
