// From sink hits to findings: judges legal coverage, picks the one rule per sink, writes messages and related locations.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ConcreteHit } from './flow/interpreter';
import { judgeCoverage, type CoverageVerdict, type JSDocBasis } from './legal/coverage';
import { parseBasisTags } from './legal/jsdoc';
import { findRegisterEntriesForChain, resolveProcessingIds, type Register } from './legal/register';
import type { Finding, FlowStep, HealthCategory, HealthLabel, LegalBasisRecord, RelatedLocation, RuleId, Severity, SourceLocation } from './model';
import * as unprotectedExport from '../../../rules/unprotected-export';
import * as pseudonymisedExport from '../../../rules/pseudonymised-export';
import * as thirdPartyDisclosure from '../../../rules/third-party-disclosure';
import * as logExposure from '../../../rules/log-exposure';
import * as clientSideStorage from '../../../rules/client-side-storage';
import * as insufficientLegalBasis from '../../../rules/insufficient-legal-basis';
import { categoriesOf, type FlowMessageInput } from '../../../rules/messages';
import { normaliseCodeText } from './review/fingerprint';
import { BoundedCache, memoised } from './classify/bounded-cache';

export interface FindingContext {
  register?: Register;
  jurisdictions: string[];
  severities: Record<RuleId, Severity>;
  /** Directory fingerprints are relative to (stable whatever the checkout path). */
  root: string;
  /** The analysed text at a location: sources' whole text for fingerprints (labels keep a shortened one for messages). */
  textAt?: (location: SourceLocation) => string | undefined;
}

/** All hits at one sink expression, whatever path brought the data there. */
function groupBySink(hits: ConcreteHit[]): ConcreteHit[][] {
  const groups = new Map<string, ConcreteHit[]>();
  for (const hit of hits) {
    let key = sinkKeys.get(hit);
    if (key === undefined) sinkKeys.set(hit, (key = `${hit.location.file}:${hit.location.line}:${hit.location.column}:${hit.sink.kind}`));
    const list = groups.get(key);
    if (list) list.push(hit);
    else groups.set(key, [hit]);
  }
  return [...groups.values()];
}

/** Hits are never mutated (the results cache keeps them from one analysis to the next): each one's sink key, once. */
const sinkKeys = new WeakMap<ConcreteHit, string>();

/** The legal-basis verdict of one path. */
function judge(hit: ConcreteHit, context: FindingContext): CoverageVerdict {
  const jsdoc: JSDocBasis[] = [];
  const processingIds: string[] = [];
  for (const entry of hit.chain) {
    if (entry.tags.length === 0) continue;
    const parsed = parseBasisTags(entry.tags);
    if (parsed.bases.length === 0 && parsed.processing.length === 0 && parsed.unknownIds.length === 0) continue;
    jsdoc.push({ bases: parsed.bases, processing: parsed.processing, recipients: parsed.recipients, unknownIds: parsed.unknownIds, functionName: entry.functionName, location: entry.tagLocation });
    processingIds.push(...parsed.processing);
  }
  const named = resolveProcessingIds(context.register, processingIds);
  const byAppliesTo = context.register ? findRegisterEntriesForChain(context.register, hit.chain) : [];
  const registerEntries = [...new Set([...named.entries, ...byAppliesTo])];
  const categories: HealthCategory[][] = hit.labels.map((l) => l.categories);
  return judgeCoverage({
    sinkKind: hit.sink.kind,
    recipient: hit.sink.recipient,
    categories,
    pseudonymised: hit.pseudonymised,
    jsdoc,
    registerEntries,
    unknownProcessingIds: named.unknown,
    jurisdictions: context.jurisdictions,
    registerFile: context.register ? path.basename(context.register.file) : undefined,
  });
}

/** The contract's precedence: insufficient-legal-basis > pseudonymised-export > third-party-disclosure > unprotected-export. */
function ruleFor(hit: ConcreteHit, verdict: CoverageVerdict): RuleId | undefined {
  if (hit.sink.kind === 'log') return 'log-exposure';
  if (hit.sink.kind === 'browser') return 'client-side-storage';
  if (verdict.status === 'covered') return undefined;
  if (verdict.status === 'insufficient') return 'insufficient-legal-basis';
  if (hit.pseudonymised) return 'pseudonymised-export';
  if (hit.sink.kind === 'third-party') return 'third-party-disclosure';
  return 'unprotected-export';
}

/** A path's verdict and the rule it fires (undefined: covered), computed once per hit for the findings and the map. */
export interface Judgement {
  verdict: CoverageVerdict;
  rule: RuleId | undefined;
}

export function judgeHits(hits: readonly ConcreteHit[], context: FindingContext): Map<ConcreteHit, Judgement> {
  const judged = new Map<ConcreteHit, Judgement>();
  // A verdict rests on the hit, the register's content and the jurisdictions only: a hit the results cache kept (the
  // editor, after an edit elsewhere) judged against the same register is not judged again.
  const key = JSON.stringify([context.jurisdictions, context.register ?? null]);
  for (const hit of hits) {
    const earlier = judgedBefore.get(hit);
    if (earlier && earlier.key === key) {
      judged.set(hit, earlier.judgement);
      continue;
    }
    const verdict = judge(hit, context);
    const judgement = { verdict, rule: ruleFor(hit, verdict) };
    judgedBefore.set(hit, { key, judgement });
    judged.set(hit, judgement);
  }
  return judged;
}

const judgedBefore = new WeakMap<ConcreteHit, { key: string; judgement: Judgement }>();

const PRECEDENCE: RuleId[] = ['insufficient-legal-basis', 'pseudonymised-export', 'third-party-disclosure', 'unprotected-export', 'log-exposure', 'client-side-storage'];

export function findingsFromHits(hits: ConcreteHit[], context: FindingContext, judgements = judgeHits(hits, context)): Finding[] {
  const findings: Finding[] = [];
  // What else a finding rests on: the same for every group.
  const contextKey = JSON.stringify([context.jurisdictions, context.root, context.register?.file]);
  const fingerprint = fingerprinter(context);
  for (const group of groupBySink(hits)) {
    // A sink reached by several paths fires if any of them is uncovered; the most specific rule wins.
    const judged = group.map((hit) => ({ hit, ...judgements.get(hit)! }));
    const firing = judged.filter((j) => j.rule !== undefined);
    if (firing.length === 0) continue;
    firing.sort((a, b) => PRECEDENCE.indexOf(a.rule!) - PRECEDENCE.indexOf(b.rule!));
    const chosen = firing[0];
    const ruleId = chosen.rule!;
    const severity = context.severities[ruleId];
    if (severity === 'off') continue;
    const hits = firing.map((f) => f.hit);
    // Hits from the results cache are the same objects from one analysis to the next (the editor after an edit): a
    // finding built from the same hits, verdict and context is the same finding (findings are never mutated).
    // The verdict is the same object while the register's content is the same (see judgeHits).
    const key = `${ruleId}|${severity}|${contextKey}`;
    const cached = built.get(chosen.hit);
    if (cached && cached.key === key && cached.verdict === chosen.verdict && sameObjects(cached.hits, hits)) {
      findings.push(cached.finding);
      continue;
    }
    const labels = dedupeLabels(firing.flatMap((f) => f.hit.labels));
    const finding = buildFinding(ruleId, severity, chosen.hit, chosen.verdict, labels, hits, fingerprint);
    built.set(chosen.hit, { key, verdict: chosen.verdict, hits, finding });
    findings.push(finding);
  }
  return findings;
}

/** The finding last built for a group of hits, by the hit it reports (see findingsFromHits). */
const built = new WeakMap<ConcreteHit, { key: string; verdict: CoverageVerdict; hits: ConcreteHit[]; finding: Finding }>();

/** The same objects in the same order; `equal` may accept two different objects (the same content). */
export function sameObjects<T>(a: readonly T[], b: readonly T[], equal?: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i] || (equal !== undefined && equal(x, b[i]!)));
}

function dedupeLabels(labels: HealthLabel[]): HealthLabel[] {
  const seen = new Set<string>();
  return labels.filter((l) => {
    const key = `${l.source.file}:${l.source.line}:${l.source.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function buildFinding(
  ruleId: RuleId,
  severity: Exclude<Severity, 'off'>,
  hit: ConcreteHit,
  verdict: CoverageVerdict,
  labels: HealthLabel[],
  paths: ConcreteHit[],
  fingerprint: Fingerprinter,
): Finding {
  const functionName = hit.chain.find((c) => c.functionName)?.functionName;
  const input: FlowMessageInput = {
    labels,
    sinkLabel: hit.sink.label,
    recipient: hit.sink.recipient,
    functionName,
    problems: verdict.status === 'insufficient' ? verdict.problems : undefined,
    notes: verdict.status === 'uncovered' ? verdict.notes : undefined,
  };
  let message: string;
  switch (ruleId) {
    case 'insufficient-legal-basis':
      message = insufficientLegalBasis.message(input);
      break;
    case 'pseudonymised-export':
      message = pseudonymisedExport.message(input, pseudonymisationStep(paths));
      break;
    case 'third-party-disclosure':
      message = thirdPartyDisclosure.message(input);
      break;
    case 'log-exposure':
      message = logExposure.message(input);
      break;
    case 'client-side-storage':
      message = clientSideStorage.message(input);
      break;
    default:
      message = unprotectedExport.message(input);
  }
  const flows = paths.flatMap((p) => flowsOf(p));
  const basis: LegalBasisRecord[] | undefined = verdict.by;
  return {
    ruleId,
    severity,
    message,
    location: hit.location,
    flows: flows.slice(0, 10),
    related: relatedOf(labels, paths),
    categories: categoriesOf(labels),
    recipient: hit.sink.recipient,
    sink: { kind: hit.sink.kind, label: hit.sink.label },
    sources: labels.map((label) => ({ text: label.sourceText, location: label.source, reason: label.reason, categories: label.categories })),
    fingerprint: fingerprint(ruleId, hit, labels),
    sinkMatchedBy: hit.sink.matchedBy,
    basis: basis && basis.length > 0 ? basis : undefined,
  };
}

function pseudonymisationStep(paths: ConcreteHit[]): string {
  for (const p of paths) {
    for (const l of p.labels) {
      const step = l.steps.find((s) => s.kind === 'pseudonymise');
      if (step) return step.description;
    }
    if (p.value.pseudonyms.length > 0) return `the identifier was ${p.value.pseudonyms[0].description}`;
  }
  return 'pseudonymised';
}

/** One path per source label: source, steps, call sites through wrappers, sink. */
function flowsOf(hit: ConcreteHit): RelatedLocation[][] {
  return hit.labels.slice(0, 5).map((label) => {
    const flow: RelatedLocation[] = [{ location: label.source, message: `source: ${label.sourceText} (${label.categories.join(', ')}): ${label.reason.text}` }];
    for (const step of label.steps) flow.push(stepLocation(step));
    for (const step of hit.callPath) if (!flow.some((f) => sameLocation(f.location, step.location))) flow.push(stepLocation(step));
    flow.push({ location: hit.location, message: `sink: ${hit.sink.label}${hit.sink.recipient ? ` → ${hit.sink.recipient}` : ''}` });
    return dedupeFlow(flow);
  });
}

function dedupeFlow(flow: RelatedLocation[]): RelatedLocation[] {
  return flow.filter((f, i) => i === 0 || !sameLocation(f.location, flow[i - 1].location) || f.message !== flow[i - 1].message);
}

function stepLocation(step: FlowStep): RelatedLocation {
  return { location: step.location, message: step.description };
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

function relatedOf(labels: HealthLabel[], paths: ConcreteHit[]): RelatedLocation[] {
  const related: RelatedLocation[] = labels.slice(0, 5).map((l) => ({ location: l.source, message: `health data: ${l.sourceText}: ${l.reason.text}` }));
  for (const p of paths) {
    for (const step of p.callPath.slice(0, 1)) related.push({ location: step.location, message: `call site that brings the data: ${step.description}` });
  }
  return related.slice(0, 12);
}

/**
 * Stable across unrelated edits, line moves and reformatting (baselines and code scanning match on it): rule,
 * file, sink text and the sources' texts, the texts in a canonical form (no whitespace, comments, quote style...).
 * One per call of `findingsFromHits`: its findings share their files' relative paths.
 */
function fingerprinter(context: FindingContext): Fingerprinter {
  const files = new Map<string, string>();
  const fileOf = (file: string) => {
    let relative = files.get(file);
    if (relative === undefined) files.set(file, (relative = path.relative(context.root, file).split(path.sep).join('/')));
    return relative;
  };
  const canonical = (text: string) => memoised(canonicalTexts, text, normaliseCodeText);
  return (ruleId, hit, labels) => {
    const sources = [...new Set(labels.map((l) => canonical(context.textAt?.(l.source) ?? l.sourceText)))].sort().join('|');
    return createHash('sha256').update(`${ruleId}\0${fileOf(hit.location.file)}\0${canonical(hit.sinkText)}\0${sources}`).digest('hex').slice(0, 32);
  };
}

type Fingerprinter = (ruleId: RuleId, hit: ConcreteHit, labels: HealthLabel[]) => string;

/**
 * Code texts in their canonical form. The same sink and source texts recur across findings (`patient.diagnosis` read
 * in every exporter): the bench project's 2,132 findings have 5,232 texts, 36 of them distinct.
 */
const canonicalTexts = new BoundedCache<string, string>(20_000);
