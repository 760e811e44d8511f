// Applies `health-data-lint-disable-next-line` comments to findings: suppressed ones are kept and marked, broken ones say why.
import * as fs from 'node:fs';
import type { Finding } from './model';
import { matchSuppression, parseSuppressions, type Suppression } from './suppressions';

export function applySuppressions(findings: Finding[], readFile: (file: string) => string | undefined = readFromDisk): Finding[] {
  const byFile = new Map<string, Suppression[]>();
  return findings.map((finding) => {
    const file = finding.location.file;
    let suppressions = byFile.get(file);
    if (!suppressions) {
      const text = readFile(file);
      suppressions = text && text.includes('health-data-lint-') ? parseSuppressions(text) : [];
      byFile.set(file, suppressions);
    }
    const match = matchSuppression(suppressions, finding.ruleId, finding.location.line);
    if (!match) return finding;
    if (match.status === 'suppressed') {
      const s = match.suppression;
      return {
        ...finding,
        suppressed: { justification: match.justification, location: { file, line: s.line, column: s.column, endLine: s.line, endColumn: s.column } },
      };
    }
    return { ...finding, suppressionProblem: match.problem, message: `${finding.message} (Not suppressed: ${match.problem}.)` };
  });
}

export function readFromDisk(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
