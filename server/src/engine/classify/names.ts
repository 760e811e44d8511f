// Decides from names alone (a field, a record, a type) whether a value is health data, and explains why.
import type { ExtraTerm, HealthDataLintConfig } from '../config';
import { HEALTH_CATEGORIES, type Classification, type ClassificationReason, type HealthCategory } from '../model';
import { BoundedCache, memoised } from './bounded-cache';
import { isFhirModulePath, isFhirNamespace, lookupFhirResource } from './fhir';
import { tokenize } from './tokens';
import {
  findTermMatches,
  namesRecord,
  vocabularyIndexFor,
  type TermMatch,
  type VocabularyIndex,
  type VocabularyTerm,
} from './vocabulary';

export interface NameContext {
  /** Name of the enclosing type / interface / class / object / variable of the base expression
   *  ("Patient", "visit", "FeatureFlag", "experiment", "tsDiagnostics"), if known. */
  container?: string;
  /** Names of sibling fields of the same type/object, if known (helps: a `condition` next to `onsetDate`
   *  and `patientId` is clinical). */
  siblings?: string[];
  /** File path or URL path fragments around ("src/clinical/visits.ts", "/api/patients/:id"). */
  path?: string;
}

export interface ClassifierOptions {
  extraTerms?: ExtraTerm[];
  ignoreTerms?: string[];
}

export interface TypeClassifierOptions {
  /** Configured health types (`healthTypes` in configuration), matched on the full or the unqualified name. */
  healthTypes?: HealthDataLintConfig['healthTypes'];
  /** Module specifier or file that declares the type: tells `fhir4.Condition` from a rules engine's `Condition`. */
  declarationPath?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists that are about names rather than about health.

/** Words around a record's noun that do not change what it is: `selectedPatient`, `patientRecords`, `newPatientDto`. */
const FILLER_WORDS = new Set([
  'record', 'records', 'data', 'datum', 'info', 'infos', 'information', 'details', 'detail', 'list', 'lst', 'array',
  'arr', 'items', 'item', 'rows', 'row', 'entity', 'entities', 'dto', 'dtos', 'doc', 'docs', 'document', 'documents',
  'json', 'payload', 'raw', 'all', 'current', 'selected', 'active', 'new', 'updated', 'created', 'existing', 'my',
  'the', 'a', 'an', 'full', 'db', 'found', 'fetched', 'loaded', 'saved', 'single', 'one', 'first', 'last', 'other',
  'main', 'primary', 'linked', 'related', 'target', 'source', 'input', 'output', 'response', 'result', 'obj',
  'object', 'objects', 'profile', 'summary', 'file', 'files', 'de', 'du', 'des', 'la', 'le', 'les', 'un', 'une',
  'liste', 'nouveau', 'nouvelle', 'courant', 'courante', 'selectionne', 'complet', 'complete', 'existant', 'with',
  'and', 'et', 'avec', 'to', 'from', 'map', 'set', 'cache', 'cached', 'copy', 'clone', 'draft', 'pending',
]);

/** Extra filler for whole-record names: the table, collection or model that holds the records. */
const RECORD_HOLDER_WORDS = new Set(['table', 'tbl', 'collection', 'coll', 'model', 'models', 'repository', 'repo', 'store', 'dao', 'schema']);

/** Decoration of type names: `CreatePatientInput`, `PatientDto`, `IPatient`, `PatientResponseV2`. */
const TYPE_DECORATION_WORDS = new Set([
  'dto', 'dtos', 'input', 'inputs', 'output', 'entity', 'model', 'schema', 'type', 'types', 'props', 'properties',
  'payload', 'request', 'response', 'req', 'res', 'args', 'params', 'attributes', 'attrs', 'fields', 'view', 'create',
  'update', 'upsert', 'patch', 'delete', 'remove', 'get', 'new', 'base', 'abstract', 'raw', 'db', 'prisma', 'doc',
  'document', 'row', 'json', 'api', 'graphql', 'gql', 'data', 'interface', 'shape', 'form', 'values', 'state',
  'summary', 'details', 'info', 'resource', 'object', 'item', 'out', 'read', 'write', 'public', 'private', 'full',
  'partial', 'minimal', 'lite', 'light', 'with', 'and', 'record', 'records', 'body', 'command', 'event', 'message',
  'submission', 'draft', 'query', 'result', 'results', 'list', 'page',
]);

/** The name is a bare internal reference: `diagnosisId` points at a diagnosis, it is not one. */
const IDENTIFIER_WORDS = new Set(['id', 'ids', 'uuid', 'uuids', 'guid', 'pk', 'fk', 'ref', 'refs', 'identifiant', 'key', 'keys', 'slug', 'oid']);

/** The name is a piece of code or UI around the data, not the data: `allergyService`, `diagnosisUrl`, `labResultsPage`. */
const CODE_ARTIFACT_WORDS = new Set([
  'service', 'services', 'controller', 'controllers', 'repository', 'repo', 'handler', 'handlers', 'module', 'factory',
  'validator', 'validators', 'mapper', 'component', 'components', 'page', 'pages', 'screen', 'view', 'modal', 'dialog',
  'button', 'btn', 'icon', 'color', 'colour', 'style', 'styles', 'classname', 'css', 'url', 'uri', 'route', 'routes',
  'router', 'endpoint', 'endpoints', 'schema', 'enum', 'column', 'columns', 'selector', 'i18n', 'translation',
  'placeholder', 'tooltip', 'visible', 'visibility', 'enabled', 'disabled', 'loading', 'loaded', 'spinner', 'field',
  'fields', 'template', 'templates', 'regex', 'pattern', 'util', 'utils', 'helper', 'helpers', 'hook', 'reducer',
  'action', 'actions', 'slice', 'api', 'client', 'provider', 'context', 'config', 'options', 'settings', 'permission',
  'permissions', 'scope', 'scopes', 'role', 'roles', 'types', 'interface', 'table', 'collection', 'dao', 'query',
  'queries', 'mutation', 'resolver', 'resolvers', 'middleware', 'fixture', 'fixtures', 'mock', 'mocks', 'stub',
  'spec', 'tab', 'tabs', 'menu', 'widget', 'form', 'event', 'events', 'listener', 'emitter', 'topic', 'queue',
  'worker', 'job', 'cron', 'migration', 'seed', 'seeder', 'index', 'indexes',
]);

/** Numbers computed from health data are not health data (contract): counts, sums, averages, rates, distributions. */
const AGGREGATE_WORDS = new Set([
  'count', 'counts', 'total', 'totals', 'sum', 'sums', 'avg', 'average', 'averages', 'mean', 'means', 'median',
  'medians', 'nb', 'nbr', 'nombre', 'rate', 'rates', 'ratio', 'ratios', 'percent', 'percentage', 'percentages', 'pct',
  'pourcentage', 'proportion', 'proportions', 'histogram', 'histogramme', 'histo', 'stats', 'stat', 'statistics',
  'statistiques', 'distribution', 'distributions', 'frequency', 'frequencies', 'frequence', 'frequences', 'prevalence',
  'incidence', 'aggregate', 'aggregates', 'aggregated', 'aggregation', 'tally', 'moyenne', 'moyennes', 'somme',
  'mediane', 'breakdown', 'cumul', 'cumulative', 'effectif', 'effectifs', 'quantile', 'quantiles', 'variance', 'stddev',
]);

/** `/health`, `healthCheck`, `healthz`, `isHealthy`: the health of a service, never of a person. */
const SERVICE_HEALTH_WORDS = new Set([
  'check', 'checks', 'checker', 'status', 'endpoint', 'probe', 'probes', 'monitor', 'monitoring', 'indicator',
  'indicators', 'ping', 'state', 'score', 'metric', 'metrics', 'dashboard', 'service', 'url', 'route', 'api', 'report',
  'result', 'results', 'ok', 'live', 'liveness', 'ready', 'readiness', 'server', 'system', 'cluster', 'node', 'bar',
  'points', 'hp', 'regen', 'potion',
]);

/** Words in a name that make a weak term clinical: `medicalNotes`, `patientHistory`, `doctorObservations`. */
const CLINICAL_QUALIFIER_WORDS = new Set([
  'medical', 'medicale', 'medicales', 'medicaux', 'medico', 'clinical', 'clinique', 'cliniques', 'patient', 'patients',
  'patiente', 'doctor', 'physician', 'nurse', 'nursing', 'medecin', 'infirmier', 'infirmiere', 'clinician',
  'practitioner', 'praticien', 'therapist', 'soignant', 'health', 'sante', 'care', 'hospital', 'hopital', 'psy',
  'hospitalier', 'hospitaliere', 'ehr', 'emr', 'fhir',
]);

// Where a word names a clinical setting, and the neighbours that give it another sense.
const WEB_VISIT = ['page', 'site', 'web', 'website', 'node', 'ast', 'tree', 'visitor', 'url', 'store', 'shop', 'count', 'counter', 'analytics', 'museum', 'musee', 'hotel', 'tourism'];
const GAME_ENCOUNTER = ['game', 'enemy', 'monster', 'npc', 'battle', 'combat', 'random', 'wild', 'pokemon', 'boss', 'dungeon'];
const PUBLIC_CONSULTATION = ['public', 'publique', 'legal', 'juridique', 'avocat', 'lawyer', 'citizen', 'citoyenne', 'marche', 'appel', 'offres', 'tender'];
const FOLDER_DOSSIER = ['fichier', 'fichiers', 'file', 'files', 'upload', 'uploads', 'temp', 'tmp', 'racine', 'root', 'partage', 'image', 'images', 'photo', 'photos', 'export', 'exports', 'build', 'source', 'sources', 'projet', 'project', 'client', 'clients', 'candidature', 'inscription', 'pret', 'credit'];
const NON_MEDICAL_CARE = ['customer', 'skin', 'hair', 'pet', 'car', 'lawn', 'child', 'day', 'daycare', 'client', 'self', 'garden', 'plant', 'plants', 'shoe'];
const BEAUTY_CARE = ['beaute', 'beauty', 'visage', 'cheveux', 'hair', 'skin', 'corps', 'spa', 'salon', 'capillaire', 'auto', 'voiture'];

const NON_HEALTH_INSURANCE = ['car', 'vehicle', 'auto', 'automobile', 'voiture', 'home', 'habitation', 'house', 'travel', 'voyage', 'pet', 'animal', 'life', 'vie', 'loan', 'pret', 'credit'];

const CLINICAL_SETTING_WORDS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...['patient', 'patients', 'patiente', 'patientes', 'clinical', 'clinic', 'clinics', 'clinique', 'cliniques', 'medical',
    'medicale', 'medicales', 'medicaux', 'medico', 'healthcare', 'ehr', 'emr', 'dmp', 'fhir', 'hl7', 'hospital',
    'hospitals', 'hopital', 'hopitaux', 'hospitalier', 'hospitaliere', 'ehpad', 'careplan', 'telemedicine',
    'telemedecine', 'telehealth', 'teleconsultation', 'nursing', 'infirmier', 'infirmiere', 'sante', 'medicine',
    'medecine', 'dossiermedical', 'ordonnance', 'ordonnances', 'prescription', 'prescriptions'].map((word) => [word, []] as const),
  ...['consultation', 'consultations'].map((word) => [word, PUBLIC_CONSULTATION] as const),
  ...['encounter', 'encounters'].map((word) => [word, GAME_ENCOUNTER] as const),
  ...['visit', 'visits', 'visite', 'visites'].map((word) => [word, WEB_VISIT] as const),
  ...['dossier', 'dossiers'].map((word) => [word, FOLDER_DOSSIER] as const),
  ['care', NON_MEDICAL_CARE],
  ...['soin', 'soins'].map((word) => [word, BEAUTY_CARE] as const),
  ['triage', ['bug', 'bugs', 'issue', 'issues', 'ticket', 'tickets', 'incident', 'incidents', 'alert', 'alerts', 'inbox', 'email', 'support']],
  // Health insurance: the insured person's social security number is used to reimburse care.
  ...['policyholder', 'insured', 'insuree', 'assure', 'assures', 'assuree', 'mutuelle', 'mutuelles', 'cpam', 'ameli', 'beneficiaire'].map(
    (word) => [word, NON_HEALTH_INSURANCE] as const,
  ),
]);

// ---------------------------------------------------------------------------------------------------------------
// Public API.

/** For a field / property / variable / parameter name: is the value it holds health data? */
export function classifyName(name: string, context?: NameContext, options?: ClassifierOptions): Classification | undefined {
  const index = vocabularyIndexFor(options?.extraTerms, options?.ignoreTerms, 'field');
  const caches = nameCachesFor(index);
  // Most names are decided by their own words (no health term, or a strong one): cached by the name alone, so the
  // cache key is not built from the container, path and every sibling on each call.
  const alone = memoised(caches.byName, name, () => classifyWithoutContext(name, index));
  if (alone.decided) return alone.result;
  const key = `${name}\u0000${context?.container ?? ''}\u0000${context?.path ?? ''}\u0000${siblingsKey(context?.siblings)}`;
  return memoised(caches.inContext, key, () => classifyFieldName(name, new Surroundings(name, context ?? {}), index));
}

/** For the name of a whole record (a variable, an ORM model or table, a collection): which health record is it? */
export function classifyRecordName(name: string, options?: ClassifierOptions): Classification | undefined {
  const index = vocabularyIndexFor(options?.extraTerms, options?.ignoreTerms, 'record');
  return memoised(nameCachesFor(index).records, name, () => classifyWholeRecordName(name, index));
}

function classifyWholeRecordName(name: string, index: VocabularyIndex): Classification | undefined {
  const tokens = withoutQualifierTail(tokenize(name));
  const found = classifyRecordTokens(tokens, index, RECORD_HOLDER_WORDS);
  if (!found) return undefined;
  return {
    categories: found.categories,
    reason: {
      kind: found.fromConfig ? 'config' : 'term',
      matched: found.label,
      text: `record name \`${name}\` matches the ${found.fromConfig ? 'configured ' : ''}health term '${found.label}' (${found.categories.join(', ')})`,
    },
  };
}

/** For a type name (FHIR resource, app model, DTO, configured health type): does a value of this type hold health data? */
export function classifyTypeName(typeName: string, options?: TypeClassifierOptions): Classification | undefined {
  // Asked again for every property of a type (its container's name): memoised per configured health types.
  const key = `${typeName}\u0000${options?.declarationPath ?? ''}`;
  return memoised(typeNameCacheFor(options?.healthTypes), key, () => classifyTypeNameUncached(typeName, options));
}

function classifyTypeNameUncached(typeName: string, options?: TypeClassifierOptions): Classification | undefined {
  const written = unwrapTypeName(typeName);
  if (!written) return undefined;
  const segments = written.split('.');
  const unqualified = segments[segments.length - 1];
  const qualifiers = segments.slice(0, -1);

  const configured = options?.healthTypes?.[written] ?? options?.healthTypes?.[unqualified];
  if (configured && configured.length > 0) {
    const categories = sortCategories(configured);
    return {
      categories,
      reason: { kind: 'config', matched: unqualified, text: `type \`${typeName}\` is a configured health type (${categories.join(', ')})` },
    };
  }

  const fhir = lookupFhirResource(unqualified);
  if (fhir) {
    // The FHIR name decides alone: a rules engine's `Condition` must not come back in as an app type named "condition".
    if (!fhirNameCounts(fhir.trust, qualifiers, options?.declarationPath)) return undefined;
    const categories = sortCategories(fhir.categories);
    return {
      categories,
      reason: { kind: 'type', matched: unqualified, text: `type \`${typeName}\` is the FHIR resource ${unqualified} (${categories.join(', ')})` },
    };
  }

  if (qualifiers.some((qualifier) => !isFhirNamespace(qualifier) && isSoftwareNamespace(qualifier))) return undefined;
  // `IPatient`: the interface prefix is not a word (a copy: tokenize's arrays are shared).
  const nameTokens = tokenize(unqualified);
  const tokens = /^I[A-Z]/.test(unqualified) && nameTokens[0] === 'i' ? nameTokens.slice(1) : nameTokens;
  const declarationTokens = options?.declarationPath ? tokenize(withoutFileExtension(options.declarationPath)) : [];
  const found = classifyRecordTokens(
    tokens.filter((token) => !/^v\d+$/.test(token)),
    vocabularyIndexFor(undefined, undefined, 'record'),
    TYPE_DECORATION_WORDS,
    declarationTokens,
  );
  if (!found) return undefined;
  return {
    categories: found.categories,
    reason: {
      kind: 'type',
      matched: unqualified,
      text: `type \`${typeName}\` is named after the health record '${found.label}' (${found.categories.join(', ')})`,
    },
  };
}

/** Whether a container, path or neighbour name places a value in a clinical setting (what makes weak terms count). */
export function isClinicalContext(name: string): boolean {
  return memoised(clinicalContextCache, name, computeClinicalContext);
}

/** Whether a name denotes a number computed from values (a count, an average, a rate) rather than the values. */
export function isAggregateName(name: string): boolean {
  return memoised(aggregateNameCache, name, () => {
    const tokens = tokenize(name);
    const covered = coveredPositions(tokens, findTermMatches(tokens, vocabularyIndexFor()));
    return hasAggregateWord(tokens, covered);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Field names.

const RESULT_CACHE_LIMIT = 50_000;

/** A name's classification when its own words decide it, or `decided: false` when its context may change it. */
type ContextFree = { decided: true; result: Classification | undefined } | { decided: false };

/** Per vocabulary index (a configuration's terms): results are only valid for the terms they were computed with. */
interface NameCaches {
  byName: BoundedCache<string, ContextFree>;
  /** Names whose context matters, keyed by name, container, path and siblings. */
  inContext: BoundedCache<string, Classification | undefined>;
  records: BoundedCache<string, Classification | undefined>;
}

const nameCaches = new WeakMap<VocabularyIndex, NameCaches>();
const clinicalContextCache = new BoundedCache<string, boolean>(RESULT_CACHE_LIMIT);
const aggregateNameCache = new BoundedCache<string, boolean>(RESULT_CACHE_LIMIT);
/** Type names classified without configured health types, and per configuration's `healthTypes` object. */
const typeNameCache = new BoundedCache<string, Classification | undefined>(RESULT_CACHE_LIMIT);
const typeNameCachesByHealthTypes = new WeakMap<object, BoundedCache<string, Classification | undefined>>();

function typeNameCacheFor(healthTypes: object | undefined): BoundedCache<string, Classification | undefined> {
  if (!healthTypes) return typeNameCache;
  let cache = typeNameCachesByHealthTypes.get(healthTypes);
  if (!cache) typeNameCachesByHealthTypes.set(healthTypes, (cache = new BoundedCache(RESULT_CACHE_LIMIT)));
  return cache;
}

function nameCachesFor(index: VocabularyIndex): NameCaches {
  let caches = nameCaches.get(index);
  if (!caches) {
    caches = { byName: new BoundedCache(RESULT_CACHE_LIMIT), inContext: new BoundedCache(RESULT_CACHE_LIMIT), records: new BoundedCache(RESULT_CACHE_LIMIT) };
    nameCaches.set(index, caches);
  }
  return caches;
}

/** Sibling lists are built once per type and passed for each of its fields: joined once per list. */
const siblingKeys = new WeakMap<readonly string[], string>();

function siblingsKey(siblings: readonly string[] | undefined): string {
  if (!siblings) return '';
  let key = siblingKeys.get(siblings);
  if (key === undefined) siblingKeys.set(siblings, (key = siblings.join('\u0001')));
  return key;
}

/** Classifies a name with no context at all, noting whether the context was asked for (then it may matter). */
function classifyWithoutContext(name: string, index: VocabularyIndex): ContextFree {
  const surroundings = new Surroundings(name, {});
  const result = classifyFieldName(name, surroundings, index);
  return surroundings.consulted ? { decided: false } : { decided: true, result };
}

interface AcceptedMatch {
  match: TermMatch;
  /** Why a weak term counts here ("inside `Patient`"); absent for strong terms. */
  context?: string;
}

/** The context reaches the decision only through `surroundings`, which records whether it was consulted. */
function classifyFieldName(name: string, surroundings: Surroundings, index: VocabularyIndex): Classification | undefined {
  const tokens = tokenize(name);
  if (tokens.length === 0 || isServiceHealthName(tokens)) return undefined;
  const matches = findTermMatches(tokens, index);
  if (matches.length === 0) return undefined;
  const covered = coveredPositions(tokens, matches);
  const uncovered = tokens.filter((_, position) => !covered[position]);
  if (hasAggregateWord(tokens, covered)) return undefined;
  if (uncovered.some((token) => CODE_ARTIFACT_WORDS.has(token))) return undefined;
  const isBareReference = uncovered.some((token) => IDENTIFIER_WORDS.has(token));

  const accepted: AcceptedMatch[] = [];
  for (const match of matches) {
    const term = match.form.term;
    if (isBareReference && !term.categories.includes('health-identifier')) continue;
    const others = tokens.filter((_, position) => position < match.start || position >= match.end);
    if (term.headOnly && !others.every((token) => FILLER_WORDS.has(token))) continue;
    if (isVetoed(term, others, surroundings)) continue;
    if (term.strength === 'strong') {
      accepted.push({ match });
      continue;
    }
    const clinical = clinicalReasonInName(others, matches, match) ?? surroundings.clinicalReason();
    if (clinical) accepted.push({ match, context: clinical });
  }
  if (accepted.length === 0) return undefined;
  return explainField(name, accepted);
}

function isVetoed(term: VocabularyTerm, otherTokens: readonly string[], surroundings: Surroundings): boolean {
  if (term.nameVetoes && otherTokens.some((token) => term.nameVetoes!.includes(token))) return true;
  if (term.contextVetoes && surroundings.contextTokens().some((token) => term.contextVetoes!.includes(token))) return true;
  if (term.siblingVetoes && surroundings.siblingTokens().some((token) => term.siblingVetoes!.includes(token))) return true;
  return false;
}

/** A clinical word in the name itself, or another health term next to the weak one (`allergyNotes`). */
function clinicalReasonInName(others: readonly string[], matches: readonly TermMatch[], weakMatch: TermMatch): string | undefined {
  const qualifier = others.find((token) => CLINICAL_QUALIFIER_WORDS.has(token));
  if (qualifier) return `qualified by \`${qualifier}\` in the name`;
  const strongNeighbour = matches.find((other) => other !== weakMatch && other.form.term.strength === 'strong' && !other.form.term.headOnly);
  return strongNeighbour ? `next to the health term '${strongNeighbour.label}' in the name` : undefined;
}

/** The container, siblings and path of a name, tokenised lazily (most names never need them). */
class Surroundings {
  /** Whether the decision asked for the context: if not, the name alone decided. */
  consulted = false;
  private contextTokenList?: string[];
  private siblingTokenList?: string[];
  private clinical?: { reason: string | undefined };

  constructor(
    private readonly name: string,
    private readonly context: NameContext,
  ) {}

  contextTokens(): string[] {
    this.consulted = true;
    this.contextTokenList ??= [...tokenize(this.context.container ?? ''), ...tokenize(withoutFileExtension(this.context.path ?? ''))];
    return this.contextTokenList;
  }

  siblingTokens(): string[] {
    this.consulted = true;
    this.siblingTokenList ??= (this.context.siblings ?? []).filter((sibling) => sibling !== this.name).flatMap((sibling) => tokenize(sibling));
    return this.siblingTokenList;
  }

  clinicalReason(): string | undefined {
    this.consulted = true;
    this.clinical ??= { reason: this.findClinicalReason() };
    return this.clinical.reason;
  }

  private findClinicalReason(): string | undefined {
    const { container, siblings, path } = this.context;
    if (container && isClinicalContext(container)) return `inside \`${container}\``;
    const clinicalSibling = siblings?.find((sibling) => sibling !== this.name && isClinicalSibling(sibling));
    if (clinicalSibling) return `next to \`${clinicalSibling}\``;
    if (path && isClinicalContext(path)) return `in \`${path}\``;
    return undefined;
  }
}

const clinicalSiblingCache = new BoundedCache<string, boolean>(RESULT_CACHE_LIMIT);

/** A sibling makes its neighbours clinical when it names a clinical setting or is itself unambiguous health data. */
function isClinicalSibling(sibling: string): boolean {
  return memoised(clinicalSiblingCache, sibling, (s) => isClinicalContext(s) || namesUnambiguousHealthData(s));
}

function namesUnambiguousHealthData(sibling: string): boolean {
  const tokens = tokenize(sibling);
  if (isServiceHealthName(tokens)) return false;
  const matches = findTermMatches(tokens, vocabularyIndexFor());
  const covered = coveredPositions(tokens, matches);
  if (hasAggregateWord(tokens, covered)) return false;
  return matches.some((match) => {
    const term = match.form.term;
    if (term.strength !== 'strong' || term.headOnly) return false;
    const others = tokens.filter((_, position) => position < match.start || position >= match.end);
    return !term.nameVetoes || !others.some((token) => term.nameVetoes!.includes(token));
  });
}

function explainField(name: string, accepted: readonly AcceptedMatch[]): Classification {
  // The strong match explains best; among equals, the longest spelling.
  const ordered = [...accepted].sort(
    (a, b) =>
      Number(a.match.form.term.strength === 'weak') - Number(b.match.form.term.strength === 'weak') ||
      b.match.end - b.match.start - (a.match.end - a.match.start),
  );
  const primary = ordered[0];
  const categories = sortCategories(ordered.flatMap((entry) => entry.match.form.term.categories));
  const fromConfig = primary.match.form.term.fromConfig === true;
  const describe = (entry: AcceptedMatch) => `'${entry.match.label}' (${sortCategories(entry.match.form.term.categories).join(', ')})`;
  const terms = ordered.length === 1 ? `term ${describe(primary)}` : `terms ${ordered.map(describe).join(' and ')}`;
  const contexts = ordered.filter((entry) => entry.context);
  const because = contexts.length > 0 ? `, which counts here because it is ${contexts[0].context}` : '';
  const reason: ClassificationReason = {
    kind: fromConfig ? 'config' : 'term',
    matched: primary.match.label,
    text: `name \`${name}\` matches the ${fromConfig ? 'configured ' : ''}health ${terms}${because}`,
  };
  if (contexts.length > 0) reason.context = contexts[0].context;
  return { categories, reason };
}

// ---------------------------------------------------------------------------------------------------------------
// Record and type names.

interface RecordMatch {
  categories: HealthCategory[];
  label: string;
  fromConfig: boolean;
}

/**
 * Every word is part of a record-naming health term or is filler: `allPatientRecords`, `labResults`, `PatientDto`.
 * `surroundingTokens` (the declaring file's path) can give a term its software sense (`Prescription` in `src/policy/`).
 */
function classifyRecordTokens(
  tokens: readonly string[],
  index: VocabularyIndex,
  extraFiller: ReadonlySet<string>,
  surroundingTokens: readonly string[] = [],
): RecordMatch | undefined {
  if (tokens.length === 0 || isServiceHealthName(tokens)) return undefined;
  const matches = findTermMatches(tokens, index);
  if (matches.length === 0) return undefined;
  const covered = coveredPositions(tokens, matches);
  const isFiller = (token: string) => FILLER_WORDS.has(token) || extraFiller.has(token);
  if (tokens.some((token, position) => !covered[position] && !isFiller(token))) return undefined;
  if (!matches.every((match) => namesRecord(match.form.term))) return undefined;
  const vetoed = (term: VocabularyTerm) => term.contextVetoes !== undefined && surroundingTokens.some((token) => term.contextVetoes!.includes(token));
  if (matches.some((match) => vetoed(match.form.term))) return undefined;
  const primary = matches.reduce((best, match) => (match.end - match.start > best.end - best.start ? match : best));
  return {
    categories: sortCategories(matches.flatMap((match) => match.form.term.categories)),
    label: primary.label,
    fromConfig: primary.form.term.fromConfig === true,
  };
}

/** `patientsById`, `allergiesByPatient`, `consultationsParMedecin`: the record is what comes before "by". */
function withoutQualifierTail(tokens: readonly string[]): readonly string[] {
  const by = tokens.findIndex((token, position) => position > 0 && (token === 'by' || token === 'par' || token === 'per'));
  return by > 0 ? tokens.slice(0, by) : tokens;
}

const TYPE_WRAPPERS = /^(?:Array|ReadonlyArray|Promise|Partial|Readonly|Required|NonNullable|Pick|Omit|Set|ReadonlySet|Observable|Maybe|Nullable|Optional|WithId|Document|HydratedDocument)<(.*)>$/s;

/** `Patient[]`, `Promise<fhir4.Patient>`, `Patient | undefined` -> the type that names the data. */
function unwrapTypeName(typeName: string): string | undefined {
  let written = typeName.trim();
  for (let depth = 0; depth < 5; depth++) {
    const parts = splitTopLevel(written, '|').map((part) => part.trim()).filter((part) => !/^(null|undefined|void)$/.test(part));
    if (parts.length !== 1) return undefined;
    written = parts[0];
    if (written.endsWith('[]')) {
      written = written.slice(0, -2).trim();
      continue;
    }
    const wrapped = TYPE_WRAPPERS.exec(written);
    if (wrapped) {
      written = splitTopLevel(wrapped[1], ',')[0].trim();
      continue;
    }
    if (written.startsWith('(') && written.endsWith(')')) {
      written = written.slice(1, -1);
      continue;
    }
    break;
  }
  written = written.replace(/^import\(["'][^"']*["']\)\./, '');
  return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(written) ? written : undefined;
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let position = 0; position < text.length; position++) {
    const character = text[position];
    if (character === '<' || character === '(' || character === '[' || character === '{') depth++;
    else if (character === '>' || character === ')' || character === ']' || character === '}') depth--;
    else if (character === separator && depth === 0) {
      parts.push(text.slice(start, position));
      start = position + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function fhirNameCounts(trust: 'distinctive' | 'clinical-word' | 'generic', qualifiers: readonly string[], declarationPath?: string): boolean {
  const fhirQualified = qualifiers.some(isFhirNamespace) || (declarationPath !== undefined && isFhirModulePath(declarationPath));
  if (trust === 'distinctive' || fhirQualified) return true;
  if (trust === 'generic') return false;
  // A clinical word (`Condition`, `Procedure`): trusted unless something says it belongs to other software.
  if (qualifiers.length > 0 && !qualifiers.some((qualifier) => isClinicalContext(qualifier))) return false;
  if (declarationPath !== undefined && !isClinicalContext(declarationPath)) return false;
  return true;
}

/** Namespaces of developer tooling whose types are never about a person (`ts.Diagnostic`, `vscode.Diagnostic`). */
function isSoftwareNamespace(qualifier: string): boolean {
  return /^(ts|typescript|vscode|monaco|eslint|tslint|lsp|protocol|sarif|webpack|esbuild|rollup|babel|jest|vitest|mocha|node|nodejs|express|http|https|net|os|fs|process|child_process|stream|events|react|vue|angular)$/i.test(qualifier);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers.

function computeClinicalContext(name: string): boolean {
  const segments = name.split('.');
  const unqualified = segments[segments.length - 1];
  const fhir = lookupFhirResource(unqualified);
  if (fhir && (fhir.trust !== 'generic' || segments.slice(0, -1).some(isFhirNamespace))) return true;
  const tokens = tokenize(name);
  if (tokens.length === 0) return false;
  const settingWord = tokens.some((token) => {
    const vetoes = CLINICAL_SETTING_WORDS.get(token);
    return vetoes !== undefined && !tokens.some((other) => vetoes.includes(other));
  });
  if (settingWord) return true;
  return classifyRecordTokens(withoutQualifierTail(tokens), vocabularyIndexFor(undefined, undefined, 'record'), RECORD_HOLDER_WORDS) !== undefined;
}

/** `model.ts` must not read as the TypeScript tooling word "ts". */
function withoutFileExtension(path: string): string {
  return path.replace(/\.(d\.)?[cm]?[jt]sx?$|\.(json|vue|svelte|astro)$/i, '');
}

function isServiceHealthName(tokens: readonly string[]): boolean {
  if (tokens.some((token) => token === 'healthz' || token === 'healthy' || token === 'unhealthy' || token === 'healthcheck' || token === 'livez' || token === 'readyz')) return true;
  const health = tokens.indexOf('health');
  return health >= 0 && tokens.some((token, position) => position !== health && SERVICE_HEALTH_WORDS.has(token));
}

function coveredPositions(tokens: readonly string[], matches: readonly TermMatch[]): boolean[] {
  const covered = new Array<boolean>(tokens.length).fill(false);
  for (const match of matches) for (let position = match.start; position < match.end; position++) covered[position] = true;
  return covered;
}

/** An aggregate word that is not part of a health term (`heartRate` is a vital sign, `vaccinationRate` a statistic). */
function hasAggregateWord(tokens: readonly string[], covered: readonly boolean[]): boolean {
  return tokens.some((token, position) => {
    if (covered[position]) return false;
    if (AGGREGATE_WORDS.has(token)) return true;
    const next = tokens[position + 1];
    // "numberOfVisits", "numPatients": a count; "phoneNumber", "numSecu" are not.
    if ((token === 'number' || token === 'nombre') && (next === 'of' || next === 'de' || next === 'd')) return true;
    // "visitsPerDiagnosis" is a distribution; "mgPerDl" and "litresPerMinute" are units.
    if (token === 'per' && next !== undefined && covered[position + 1]) return true;
    return token === 'num' && next !== undefined && covered[position + 1] && next.endsWith('s');
  });
}

function sortCategories(categories: Iterable<HealthCategory>): HealthCategory[] {
  const present = new Set(categories);
  return HEALTH_CATEGORIES.filter((category) => present.has(category));
}
