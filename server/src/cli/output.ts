// Where a command's report goes: the --output-file (its folder created) or stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Writes `text` to `outputFile` (relative to `cwd`) or to stdout; returns why the file could not be written, if it could not. */
export function writeOutput(text: string, outputFile: string | undefined, io: { cwd: string; stdout: { write(text: string): unknown } }): string | undefined {
  if (outputFile === undefined) {
    io.stdout.write(text);
    return undefined;
  }
  const target = resolve(io.cwd, outputFile);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    return undefined;
  } catch (error) {
    return `cannot write ${outputFile}: ${(error as Error).message}`;
  }
}
