// The one-line account of a baseline comparison, shared by the stylish and Markdown reports and the CLI summary.
import type { AnalysisResult } from '../model';
import { plural } from './counts';

/** "3 findings matched the baseline; 1 baseline entry is fixed (remove it with --write-baseline)". */
export function baselineSummary(baseline: NonNullable<AnalysisResult['baseline']>): string {
  const fixed = baseline.fixed.length;
  return (
    `${plural(baseline.matched, 'finding')} matched the baseline; ` +
    `${fixed === 1 ? '1 baseline entry is' : `${fixed} baseline entries are`} fixed` +
    (fixed > 0 ? ` (remove ${fixed === 1 ? 'it' : 'them'} with --write-baseline)` : '')
  );
}
