// Applies `health-data-lint-disable-next-line` comments to findings: suppressed ones are kept and marked, broken ones say why.
import * as fs from 'node:fs';
import type { Finding } from './model';
import { matchSuppression, parseSuppressions, type Suppression } from './suppressions';

export function applySuppressions(findings: Finding[], readFile: (file: string) => string | undefined = readFromDisk): Finding[] {
  const byFile = new Map<string, readonly Suppression[]>();
  return findings.map((finding) => {
    const file = finding.location.file;
    let suppressions = byFile.get(file);
    if (!suppressions) {
      suppressions = suppressionsIn(file, readFile(file));
      byFile.set(file, suppressions);
    }
    if (suppressions.length === 0) return finding;
    // The same finding under the same comments is the same object: the editor sends only the findings an edit changed.
    const earlier = applied.get(finding);
    if (earlier?.suppressions === suppressions) return earlier.result;
    const result = withSuppression(finding, suppressions);
    applied.set(finding, { suppressions, result });
    return result;
  });
}

function withSuppression(finding: Finding, suppressions: readonly Suppression[]): Finding {
  const match = matchSuppression(suppressions, finding.ruleId, finding.location.line);
  if (!match) return finding;
  if (match.status === 'suppressed') {
    const s = match.suppression;
    const file = finding.location.file;
    return {
      ...finding,
      suppressed: { justification: match.justification, location: { file, line: s.line, column: s.column, endLine: s.line, endColumn: s.column } },
    };
  }
  return { ...finding, suppressionProblem: match.problem, message: `${finding.message} (Not suppressed: ${match.problem}.)` };
}

/** What `applySuppressions` made of a finding, and under which comments. */
const applied = new WeakMap<Finding, { suppressions: readonly Suppression[]; result: Finding }>();

/**
 * The suppression comments of each file, with the text they were read from: the language server applies them to the
 * findings of about 1,000 files after every edit at 200k lines, and a file's text is the same string while it is
 * unchanged (`readFromDisk` keeps it), so the comparison below costs nothing then. Bounded like the texts.
 */
const parsed = new Map<string, { text: string; suppressions: readonly Suppression[] }>();
const NONE: readonly Suppression[] = [];

function suppressionsIn(file: string, text: string | undefined): readonly Suppression[] {
  if (!text) return NONE;
  const cached = parsed.get(file);
  if (cached && cached.text === text) return cached.suppressions;
  const suppressions = text.includes('health-data-lint-') ? parseSuppressions(text) : NONE;
  if (parsed.size >= MAX_DISK_TEXTS) parsed.clear();
  parsed.set(file, { text, suppressions });
  return suppressions;
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
