// Abstract values of the flow analysis: what health data a JavaScript value carries, field by field.
import type { FlowStep, HealthCategory, HealthLabel } from '../model';

/** A reference to (a field path of) a parameter of the function being summarised, resolved at each call. */
export interface ParamRef {
  index: number;
  /** Member reads applied to the parameter, with what the callee knew about each member. */
  path: MemberRead[];
  steps: FlowStep[];
  pseudonymised?: boolean;
  anonymised?: boolean;
  /** The callee names the value like a whole record (`for (const immunization of ...)`), types missing:
   *  applies at the call site if what arrives is an unknown object. */
  recordHint?: { read: MemberRead; atDepth: number };
}

/** What is known about a member read at the place it is written (`visit.diagnosis`). */
export interface MemberRead {
  name: string;
  /** Health classification of the member itself (its name in context, its declared type, a tag). */
  classification?: { categories: HealthCategory[]; reason: HealthLabel['reason']; record: boolean; nameOnly: boolean };
  /** The member's declared type is known and says it is not health data (a typed demographic field). */
  typedClean: boolean;
  /** A number named after records (`consultations: number`): a count, never health data. */
  count?: boolean;
  location: HealthLabel['source'];
  text: string;
}

export interface Value {
  labels: HealthLabel[];
  /** Known own fields (object literals, anonymiser output): reads of other fields yield nothing new. */
  fields?: Map<string, Value>;
  /** We know nothing about the object (a library result, a request): its members may reveal health data. */
  opaque: boolean;
  params: ParamRef[];
  /** A pseudonym (hashed/encrypted/mapped identifier) travels in this value. */
  pseudonyms: FlowStep[];
  /** An array literal's elements, kept apart for destructuring and constant indexes. */
  tuple?: Value[];
  /** A function passed as an argument: what calling it returns (`timed('x', () => load(id))`). */
  callResult?: Value;
}

export const EMPTY: Value = Object.freeze({ labels: [], opaque: false, params: [], pseudonyms: [] }) as Value;
export const OPAQUE: Value = Object.freeze({ labels: [], opaque: true, params: [], pseudonyms: [] }) as Value;

export function isEmpty(v: Value): boolean {
  return v.labels.length === 0 && v.params.length === 0 && v.pseudonyms.length === 0 && !hasTaintedField(v);
}

function hasTaintedField(v: Value, depth = 0): boolean {
  if (!v.fields || depth > 6) return false;
  for (const f of v.fields.values()) {
    if (f.labels.length > 0 || f.params.length > 0 || f.pseudonyms.length > 0 || hasTaintedField(f, depth + 1)) return true;
  }
  return false;
}

const MAX_LABELS = 24;

function uniqueLabels(labels: HealthLabel[]): HealthLabel[] {
  const seen = new Set<string>();
  const out: HealthLabel[] = [];
  for (const l of labels) {
    const key = `${l.source.file}:${l.source.line}:${l.source.column}:${l.pseudonymised ? 'p' : ''}${l.anonymised ? 'a' : ''}:${l.record ? 'r' : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(l);
    if (out.length >= MAX_LABELS) break;
  }
  return out;
}

function uniqueParams(params: ParamRef[]): ParamRef[] {
  const seen = new Set<string>();
  const out: ParamRef[] = [];
  for (const p of params) {
    const key = `${p.index}:${p.path.map((m) => m.name).join('.')}:${p.pseudonymised ? 'p' : ''}${p.anonymised ? 'a' : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
    if (out.length >= MAX_LABELS) break;
  }
  return out;
}

/** Everything the values carry as a whole (fields flattened): what a sink receiving the union sees. */
export function union(...values: Value[]): Value {
  const present = values.filter((v) => v !== EMPTY);
  if (present.length === 0) return EMPTY;
  if (present.length === 1) return present[0];
  const fields = mergeFields(present);
  // When the alternatives' fields cannot be kept apart, what they hold is carried by the value as a whole.
  const parts = fields ? present : present.map((v) => flatten(v));
  return {
    labels: uniqueLabels(parts.flatMap((v) => v.labels)),
    opaque: present.some((v) => v.opaque),
    params: uniqueParams(parts.flatMap((v) => v.params)),
    pseudonyms: parts.flatMap((v) => v.pseudonyms).slice(0, 8),
    fields,
  };
}

function mergeFields(values: Value[]): Map<string, Value> | undefined {
  // Fields stay known only when every alternative knows them (an opaque branch could hold anything).
  if (!values.every((v) => v.fields || isEmpty(v))) return undefined;
  const merged = new Map<string, Value>();
  for (const v of values) {
    for (const [k, f] of v.fields ?? []) merged.set(k, merged.has(k) ? union(merged.get(k)!, f) : f);
  }
  return merged;
}

/** Collapses a value's fields into its labels: what a sink sees when it receives the whole object. */
export function flatten(v: Value, depth = 0): Value {
  if (!v.fields || depth > 6) return v;
  const parts = [{ ...v, fields: undefined }, ...[...v.fields.values()].map((f) => flatten(f, depth + 1))];
  return {
    labels: uniqueLabels(parts.flatMap((p) => p.labels)),
    opaque: v.opaque,
    params: uniqueParams(parts.flatMap((p) => p.params)),
    pseudonyms: parts.flatMap((p) => p.pseudonyms).slice(0, 8),
  };
}

export function objectValue(fields: Map<string, Value>, spreads: Value[] = []): Value {
  const base: Value = { labels: [], opaque: false, params: [], pseudonyms: [], fields };
  if (spreads.length === 0) return base;
  // A spread copies the source's fields; an opaque or label-carrying spread keeps its labels on the object.
  const copied = new Map<string, Value>();
  for (const s of spreads) for (const [k, f] of s.fields ?? []) copied.set(k, f);
  for (const [k, f] of fields) copied.set(k, f);
  const rest = spreads.map((s) => ({ ...s, fields: undefined }));
  const merged = union(...rest);
  return { ...merged, fields: copied, opaque: spreads.some((s) => s.opaque) };
}

export function mapLabels(v: Value, fn: (l: HealthLabel) => HealthLabel, paramFn: (p: ParamRef) => ParamRef): Value {
  if (isEmpty(v)) return v;
  return {
    labels: v.labels.map(fn),
    params: v.params.map(paramFn),
    opaque: v.opaque,
    pseudonyms: v.pseudonyms,
    fields: v.fields ? new Map([...v.fields].map(([k, f]) => [k, mapLabels(f, fn, paramFn)])) : undefined,
  };
}

export function withStep(v: Value, step: FlowStep): Value {
  return mapLabels(
    v,
    (l) => ({ ...l, steps: [...l.steps, step].slice(-12) }),
    (p) => ({ ...p, steps: [...p.steps, step].slice(-12) }),
  );
}

/** The value after a pseudonymiser: labels marked, and the result itself is a pseudonym. */
export function pseudonymise(v: Value, step: FlowStep): Value {
  const flat = flatten(v);
  const marked = mapLabels(
    flat,
    (l) => ({ ...l, pseudonymised: true, steps: [...l.steps, step] }),
    (p) => ({ ...p, pseudonymised: true, steps: [...p.steps, step] }),
  );
  return { ...marked, opaque: false, pseudonyms: [step] };
}

/** The value after a declared anonymiser: nothing downstream is health data (the anonymiser is checked itself). */
export function anonymise(v: Value, step: FlowStep): Value {
  const flat = flatten(v);
  const marked = mapLabels(
    flat,
    (l) => ({ ...l, anonymised: true, steps: [...l.steps, step] }),
    (p) => ({ ...p, anonymised: true, steps: [...p.steps, step] }),
  );
  return { ...marked, opaque: false, pseudonyms: [], fields: new Map() };
}

export function labelsAtRisk(v: Value): HealthLabel[] {
  return flatten(v).labels.filter((l) => !l.anonymised);
}
