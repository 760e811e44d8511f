// Runs `health-data-lint merge <sarif...>`: reads and checks every file, merges them, writes the log, and exits like
// a scan (1 when an unsuppressed error remains), so the merge job of a CI matrix can be its gate.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeOutput } from './output';
import type * as Sarif from 'sarif';
import { mergeSarifLogs, type SarifInput } from './merge-sarif';
import { checkSarifLog, SarifMergeError } from './sarif-check';
import type { ProgressStream } from './progress';

export interface MergeIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  cwd: string;
}

export function runMerge(files: readonly string[], outputFile: string | undefined, io: MergeIo): number {
  const fail = (message: string) => {
    io.stderr.write(`health-data-lint merge: ${message}\n`);
    return 2;
  };
  const inputs: SarifInput[] = [];
  for (const name of files) {
    const file = resolve(io.cwd, name);
    if (!existsSync(file)) return fail(`${name}: file not found`);
    if (statSync(file).isDirectory()) return fail(`${name}: expected a SARIF file, got a directory`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return fail(`${name}: cannot read it (${(error as Error).message})`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return fail(`${name}: not a SARIF file: invalid JSON (${(error as Error).message})`);
    }
    try {
      inputs.push({ name, log: checkSarifLog(name, value) });
    } catch (error) {
      if (error instanceof SarifMergeError) return fail(error.message);
      throw error;
    }
  }
  let merged;
  try {
    merged = mergeSarifLogs(inputs);
  } catch (error) {
    if (error instanceof SarifMergeError) return fail(error.message);
    throw error;
  }
  const text = `${JSON.stringify(merged.log, null, 2)}\n`;
  const writeError = writeOutput(text, outputFile, io);
  if (writeError !== undefined) return fail(writeError);
  const results = merged.log.runs.flatMap((run) => run.results ?? []);
  const errors = results.filter(isOpenError).length;
  for (const warning of merged.warnings) io.stderr.write(`health-data-lint merge: ${warning}\n`);
  io.stderr.write(
    `Merged ${files.length} SARIF file${files.length === 1 ? '' : 's'} into ${merged.log.runs.length} run${merged.log.runs.length === 1 ? '' : 's'}: ` +
      `${results.length} result${results.length === 1 ? '' : 's'}, ${errors} unsuppressed error${errors === 1 ? '' : 's'}` +
      `${outputFile !== undefined ? `; written to ${outputFile}` : ''}.\n`,
  );
  return errors > 0 ? 1 : 0;
}

/** A failing result at error level that no suppression (in the source, or a baseline) covers. */
function isOpenError(result: Sarif.Result): boolean {
  if (result.level !== 'error' || (result.kind !== undefined && result.kind !== 'fail')) return false;
  return !(result.suppressions ?? []).some((suppression) => suppression.status === undefined || suppression.status === 'accepted');
}
