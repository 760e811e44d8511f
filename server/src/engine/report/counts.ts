// Counts findings by severity the way every report and the exit code see them: suppressed and baselined findings apart.
import type { Finding } from '../model';

export interface FindingCounts {
  errors: number;
  warnings: number;
  information: number;
  suppressed: number;
  /** Accepted in the baseline (baselineState `unchanged`): not reported, not counted for the exit code. */
  baselined: number;
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { errors: 0, warnings: 0, information: 0, suppressed: 0, baselined: 0 };
  for (const finding of findings) {
    if (finding.suppressed) counts.suppressed++;
    else if (finding.baselineState === 'unchanged') counts.baselined++;
    else if (finding.severity === 'error') counts.errors++;
    else if (finding.severity === 'warning') counts.warnings++;
    else counts.information++;
  }
  return counts;
}

/** "1 error", "3 warnings". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
