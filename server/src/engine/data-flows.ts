// Every flow of health data to a sink with what protects it (basis, anonymisation), for the data map and the draft register.
import type { ConcreteHit } from './flow/interpreter';
import type { Judgement } from './findings';
import { HEALTH_CATEGORIES } from './model';
import type { DataFlow, FlowStep, HealthCategory, HealthLabel } from './model';

/**
 * One DataFlow per path (hit), judged exactly as findingsFromHits judges it, so the map and the findings never
 * disagree; `anonymisedHits` are sinks reached only by the output of a declared anonymiser (no finding there).
 */
export function dataFlowsFromHits(hits: readonly ConcreteHit[], anonymisedHits: readonly ConcreteHit[], judgements: ReadonlyMap<ConcreteHit, Judgement>): DataFlow[] {
  const flows: DataFlow[] = [];
  for (const hit of hits) flows.push(flowOf(hit, judgements.get(hit)!));
  for (const hit of anonymisedHits) flows.push(flowOf(hit, ANONYMISED));
  return dedupe(flows);
}

/**
 * Flows are never mutated: the flow of a hit kept by the results cache (the editor, after an edit elsewhere) with the
 * same judgement (judgements are kept too, see `judgeHits`) is the same flow, with its key for `dedupe`.
 */
const built = new WeakMap<ConcreteHit, { judgement: Judgement | typeof ANONYMISED; flow: DataFlow }>();
const ANONYMISED = Symbol('anonymised');
const dedupeKeys = new WeakMap<DataFlow, string>();

function flowOf(hit: ConcreteHit, judgement: Judgement | typeof ANONYMISED): DataFlow {
  const earlier = built.get(hit);
  if (earlier && earlier.judgement === judgement) return earlier.flow;
  const flow = judgement === ANONYMISED ? toFlow(hit, 'anonymised', undefined, undefined) : toFlow(hit, statusOf(judgement), judgement.rule, judgement.verdict.by);
  built.set(hit, { judgement, flow });
  return flow;
}

function statusOf({ verdict, rule }: Judgement): DataFlow['status'] {
  return verdict.status === 'covered' && rule === undefined ? 'covered' : verdict.status === 'insufficient' ? 'insufficient' : 'uncovered';
}

function toFlow(hit: ConcreteHit, status: DataFlow['status'], ruleId: DataFlow['ruleId'], basis: DataFlow['basis']): DataFlow {
  return {
    sink: { kind: hit.sink.kind, label: hit.sink.label },
    ...(hit.sink.recipient !== undefined && { recipient: hit.sink.recipient }),
    location: hit.location,
    functions: functionsOf(hit),
    categories: orderedCategories(hit.labels),
    sources: uniqueSources(hit.labels),
    steps: protectionSteps(hit),
    status,
    pseudonymised: status !== 'anonymised' && hit.pseudonymised,
    ...(basis !== undefined && basis.length > 0 && { basis }),
    ...(ruleId !== undefined && { ruleId }),
  };
}

/** The chain is innermost first; people read a path from where the data entered. Statement-level tag entries have no name. */
function functionsOf(hit: ConcreteHit): DataFlow['functions'] {
  const functions: DataFlow['functions'] = [];
  for (const entry of [...hit.chain].reverse()) {
    if (entry.functionName === undefined && hit.chain.length > 1) continue;
    const last = functions[functions.length - 1];
    if (last && last.file === entry.file && last.name === entry.functionName) continue;
    functions.push({ file: entry.file, ...(entry.functionName !== undefined && { name: entry.functionName }) });
  }
  return functions;
}

function orderedCategories(labels: readonly HealthLabel[]): HealthCategory[] {
  const found = new Set(labels.flatMap((label) => label.categories));
  return HEALTH_CATEGORIES.filter((category) => found.has(category));
}

function uniqueSources(labels: readonly HealthLabel[]): DataFlow['sources'] {
  const seen = new Set<string>();
  const sources: DataFlow['sources'] = [];
  for (const label of labels) {
    const key = `${label.source.file}:${label.source.line}:${label.source.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push({ text: label.sourceText, location: label.source, categories: [...label.categories] });
  }
  return sources;
}

/** Pseudonymisation and anonymisation steps, on the labels or on the identifier that travels with them. */
function protectionSteps(hit: ConcreteHit): DataFlow['steps'] {
  const steps: FlowStep[] = [...hit.labels.flatMap((label) => label.steps), ...hit.value.pseudonyms];
  const seen = new Set<string>();
  const kept: DataFlow['steps'] = [];
  for (const step of steps) {
    if (step.kind !== 'pseudonymise' && step.kind !== 'anonymise') continue;
    const key = `${step.kind}:${step.description}:${step.location?.file}:${step.location?.line}`;
    if (seen.has(key) || !step.location) continue;
    seen.add(key);
    kept.push({ kind: step.kind, description: step.description, location: step.location });
  }
  return kept;
}

/** The interpreter can reach one sink along the same path from several entry frames: keep one flow per path and status. */
function dedupe(flows: DataFlow[]): DataFlow[] {
  const seen = new Set<string>();
  return flows.filter((flow) => {
    let key = dedupeKeys.get(flow);
    if (key === undefined) {
      const where = `${flow.location.file}:${flow.location.line}:${flow.location.column}:${flow.sink.kind}`;
      dedupeKeys.set(flow, (key = `${where}|${flow.functions.map((f) => `${f.file}#${f.name ?? ''}`).join('>')}|${flow.status}`));
    }
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
