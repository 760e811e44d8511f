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

/**
 * Texts read for messages, fingerprints and suppressions, kept while the file's size and modification time stay the
 * same: the language server re-reads the files that have findings after every edit otherwise. Bounded by count.
 */
const diskTexts = new Map<string, { size: number; mtime: number; text: string }>();
const MAX_DISK_TEXTS = 100_000;

/** What tells whether a file changed on disk: its size and modification time. */
export interface FileStat {
  size: number;
  mtimeMs: number;
}

export function readFromDisk(file: string, known?: FileStat): string | undefined {
  try {
    const stat = known ?? fs.statSync(file);
    const cached = diskTexts.get(file);
    if (cached && cached.size === stat.size && cached.mtime === stat.mtimeMs) return cached.text;
    const text = fs.readFileSync(file, 'utf8');
    if (diskTexts.size >= MAX_DISK_TEXTS) diskTexts.clear();
    diskTexts.set(file, { size: stat.size, mtime: stat.mtimeMs, text });
    return text;
  } catch {
    return undefined;
  }
}
