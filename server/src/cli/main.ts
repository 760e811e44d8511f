// The `health-data-lint` executable: hands argv and the process streams to runCli and exits with its code.
import { runCli } from './run';

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
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
