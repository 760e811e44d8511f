// Runs Microsoft's SARIF multitool on a file and returns the errors and warnings it reports (empty when valid).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Sarif from 'sarif';

// The native binary, not node_modules/.bin/sarif-multitool: that wrapper runs through a shell, which splits `Error;Warning`.
export const multitoolPath = join(
  process.cwd(),
  'node_modules',
  '@microsoft',
  `sarif-multitool-${process.platform}`,
  process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool',
);

export interface ValidationOutcome {
  problems: string[];
  completed: boolean;
}

export function validateSarif(input: string, output: string): ValidationOutcome {
  try {
    execFileSync(multitoolPath, ['validate', input, '--output', output, '--log', 'ForceOverwrite', '--level', 'Error;Warning'], {
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (error) {
    // A non-zero exit code is expected when it reports problems; the output file says which.
    if (!existsSync(output)) throw error;
  }
  const validation = JSON.parse(readFileSync(output, 'utf8')) as Sarif.Log;
  const results = validation.runs
    .flatMap((run) => run.results ?? [])
    .filter((r) => r.level === 'error' || r.level === 'warning' || r.level === undefined)
    .map((r) => `${r.ruleId}: ${r.message.text ?? JSON.stringify(r.message)}`);
  const notifications = validation.runs
    .flatMap((run) => run.invocations ?? [])
    .flatMap((i) => [...(i.toolExecutionNotifications ?? []), ...(i.toolConfigurationNotifications ?? [])])
    .filter((n) => n.level === 'error' || n.level === 'warning')
    .map((n) => n.message.text ?? '');
  return { problems: [...results, ...notifications], completed: !!validation.runs[0]?.invocations?.[0]?.executionSuccessful };
}
