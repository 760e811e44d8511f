// --changed-since, --baseline and --write-baseline: checked before the scan (a bad ref or baseline fails fast),
// applied to its result after (baseline states, a written baseline, only the findings on changed lines).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AnalysisResult } from '../engine/model';
import {
  type Baseline,
  BaselineError,
  compareWithBaseline,
  createBaseline,
  formatBaseline,
  parseBaseline,
} from '../engine/review/baseline';
import { createChangeMatcher, findChangedLines, type ChangedLines, touchesChangedLines } from '../engine/review/changed-lines';
import { createGitRunner, GitError } from '../engine/review/git';
import { findRepositoryRoot } from '../engine/report';
import type { CliOptions } from './arguments';

/** What the review options ask for, read and checked before the (long) scan. */
export interface ReviewPlan {
  /** Baseline paths and fingerprints' files are relative to it. */
  repositoryRoot: string;
  changed?: ChangedLines;
  baseline?: { name: string; baseline: Baseline };
  writeBaseline?: { name: string; file: string };
}

/** A review option that cannot be honoured (not a git repository, unknown ref, malformed baseline): exit 2. */
export class ReviewError extends Error {
  override readonly name = 'ReviewError';
}

export function prepareReview(options: CliOptions, cwd: string, scanRoot: string, environment: Record<string, string | undefined>): ReviewPlan {
  const repositoryRoot = findRepositoryRoot(scanRoot);
  const plan: ReviewPlan = { repositoryRoot };
  if (options.baseline !== undefined) {
    const file = resolve(cwd, options.baseline);
    if (!existsSync(file)) {
      throw new ReviewError(`baseline ${options.baseline}: file not found (create it with --write-baseline ${options.baseline})`);
    }
    if (statSync(file).isDirectory()) throw new ReviewError(`baseline ${options.baseline}: expected a file, got a directory`);
    try {
      plan.baseline = { name: options.baseline, baseline: parseBaseline(readFileSync(file, 'utf8'), options.baseline) };
    } catch (error) {
      if (error instanceof BaselineError) throw new ReviewError(error.message);
      throw error;
    }
  }
  if (options.writeBaseline !== undefined) {
    const file = resolve(cwd, options.writeBaseline);
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new ReviewError(`--write-baseline ${options.writeBaseline}: expected a file, got a directory`);
    }
    plan.writeBaseline = { name: options.writeBaseline, file };
  }
  if (options.changedSince !== undefined) {
    try {
      plan.changed = findChangedLines(options.changedSince, scanRoot, createGitRunner(repositoryRoot, environment));
    } catch (error) {
      if (error instanceof GitError) throw new ReviewError(`--changed-since ${options.changedSince}: ${error.message}`);
      throw error;
    }
  }
  return plan;
}

export interface ReviewOutcome {
  result: AnalysisResult;
  /** Lines for the stderr summary. */
  messages: string[];
}

/**
 * The baseline is compared with every finding before --changed-since narrows them: an accepted finding outside the
 * changed lines is still there, not fixed. A written baseline becomes the one the report is compared with.
 */
export function applyReview(result: AnalysisResult, plan: ReviewPlan): ReviewOutcome {
  const messages: string[] = [];
  let baseline = plan.baseline;
  if (plan.writeBaseline) {
    const written = createBaseline(result.findings, plan.repositoryRoot);
    try {
      mkdirSync(dirname(plan.writeBaseline.file), { recursive: true });
      writeFileSync(plan.writeBaseline.file, formatBaseline(written));
    } catch (error) {
      throw new ReviewError(`--write-baseline: cannot write ${plan.writeBaseline.name}: ${(error as Error).message}`);
    }
    let change = '';
    if (plan.baseline) {
      const before = compareWithBaseline(result.findings, plan.baseline.baseline);
      const added = before.findings.filter((finding) => finding.baselineState === 'new').length;
      change = ` (${added} added, ${before.fixed.length} fixed ${before.fixed.length === 1 ? 'entry' : 'entries'} removed)`;
    }
    messages.push(`Baseline written to ${plan.writeBaseline.name}: ${plural(written.entries.length, 'finding')} recorded${change}.`);
    baseline = { name: plan.writeBaseline.name, baseline: written };
  }

  let reviewed = result;
  if (baseline) {
    const comparison = compareWithBaseline(result.findings, baseline.baseline);
    reviewed = { ...reviewed, findings: comparison.findings, baseline: { file: baseline.name, matched: comparison.matched, fixed: comparison.fixed } };
  }
  if (plan.changed) {
    const isChanged = createChangeMatcher(plan.changed);
    const kept = reviewed.findings.filter((finding) => touchesChangedLines(finding, isChanged));
    const left = reviewed.findings.length - kept.length;
    reviewed = {
      ...reviewed,
      findings: kept,
      notices: [
        ...reviewed.notices,
        `Only findings on lines changed since ${describeRef(plan.changed)} are reported: ` +
          `${plural(left, 'finding')} elsewhere left out.`,
      ],
    };
  }
  return { result: reviewed, messages };
}

/** "origin/main (1a2b3c4d5e6f)", or the commit alone when that is what was given. */
function describeRef(changed: ChangedLines): string {
  return changed.commit.startsWith(changed.ref) ? changed.commit.slice(0, 12) : `${changed.ref} (${changed.commit.slice(0, 12)})`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
