// Baselines: the findings a project accepted when it adopted the tool, recorded by fingerprint, and the comparison
// that tells new findings from accepted ones and accepted ones that are gone.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import baselineSchema from '../../../../schemas/baseline.schema.json';
import type { BaselineEntry, Finding } from '../model';
import { relativePosixPath } from '../report/paths';
import { sortFindings } from '../report/stylish';
import { TOOL_NAME, TOOL_VERSION } from '../report/tool';

export const BASELINE_FORMAT_VERSION = 1;

export interface Baseline {
  formatVersion: typeof BASELINE_FORMAT_VERSION;
  tool: { name: string; version: string };
  entries: BaselineEntry[];
}

/** A baseline file that cannot be used; the message names the file and the problem. */
export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

let baselineValidator: ValidateFunction<Baseline> | undefined;

/** Compiled on first use: most runs read no baseline, and compiling costs ~0.1 s of every start. */
function validateBaseline(): ValidateFunction<Baseline> {
  return (baselineValidator ??= new Ajv({ allErrors: true, strict: true }).compile<Baseline>(baselineSchema));
}
const MESSAGE_EXCERPT_LENGTH = 160;

/** Parses and validates a baseline; `name` is how the file is named in errors. */
export function parseBaseline(text: string, name: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new BaselineError(`baseline ${name}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof data === 'object' && data !== null && 'formatVersion' in data) {
    const version = (data as { formatVersion: unknown }).formatVersion;
    if (typeof version === 'number' && version !== BASELINE_FORMAT_VERSION) {
      throw new BaselineError(
        `baseline ${name}: formatVersion ${version} is not supported by health-data-lint ${TOOL_VERSION} (it reads version ${BASELINE_FORMAT_VERSION}); write it again with --write-baseline`,
      );
    }
  }
  const validate = validateBaseline();
  if (!validate(data)) {
    throw new BaselineError(`baseline ${name}: ${describeProblems(validate.errors ?? [])} (see schemas/baseline.schema.json)`);
  }
  return data;
}

function describeProblems(errors: ErrorObject[]): string {
  // The most specific problems first: one under an entry says more than "does not match the schema" at the root.
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  const problems = sorted.slice(0, 3).map((error) => {
    const where = error.instancePath === '' ? 'the top level' : error.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    if (error.keyword === 'additionalProperties') {
      return `${where}: unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    }
    if (error.keyword === 'required') return `${where}: missing "${(error.params as { missingProperty: string }).missingProperty}"`;
    if (error.keyword === 'pattern' && error.instancePath.endsWith('/fingerprint')) return `${where}: must be 32 lowercase hexadecimal digits`;
    return `${where}: ${error.message ?? 'is not valid'}`;
  });
  return problems.join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
}

/** The baseline of a scan: every finding not already suppressed in the source, sorted so that the file diffs well. */
export function createBaseline(findings: readonly Finding[], repositoryRoot: string): Baseline {
  const entries = findings
    .filter((finding) => !finding.suppressed)
    .map(
      (finding): BaselineEntry => ({
        fingerprint: finding.fingerprint,
        ruleId: finding.ruleId,
        file: relativePosixPath(repositoryRoot, finding.location.file) ?? finding.location.file,
        message: excerpt(finding.message),
      }),
    )
    .sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
  return { formatVersion: BASELINE_FORMAT_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, entries };
}

export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export interface BaselineComparison {
  /** The findings with `baselineState` set (suppressed ones unchanged: a justified comment already accepts them). */
  findings: Finding[];
  matched: number;
  /** Entries that no finding matches any more. */
  fixed: BaselineEntry[];
}

/**
 * Each entry accepts one finding with its fingerprint: a fingerprint listed twice accepts two findings, and a third
 * one like them is new. Findings are taken in report order, so which of several look-alikes is new is stable.
 */
export function compareWithBaseline(findings: readonly Finding[], baseline: Baseline): BaselineComparison {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.entries) {
    const list = remaining.get(entry.fingerprint) ?? [];
    list.push(entry);
    remaining.set(entry.fingerprint, list);
  }
  const states = new Map<Finding, 'new' | 'unchanged'>();
  let matched = 0;
  for (const finding of sortFindings(findings)) {
    if (finding.suppressed) continue;
    const entries = remaining.get(finding.fingerprint);
    if (entries && entries.length > 0) {
      entries.shift();
      states.set(finding, 'unchanged');
      matched++;
    } else {
      states.set(finding, 'new');
    }
  }
  const fixed = new Set([...remaining.values()].flat());
  return {
    findings: findings.map((finding) => {
      const baselineState = states.get(finding);
      return baselineState === undefined ? finding : { ...finding, baselineState };
    }),
    matched,
    fixed: baseline.entries.filter((entry) => fixed.has(entry)),
  };
}

function excerpt(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= MESSAGE_EXCERPT_LENGTH) return oneLine;
  const cut = oneLine.slice(0, MESSAGE_EXCERPT_LENGTH - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${atWord > MESSAGE_EXCERPT_LENGTH / 2 ? cut.slice(0, atWord) : cut}…`;
}

/** Code-unit order, not locale order: the file must not change with the machine that wrote it. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
