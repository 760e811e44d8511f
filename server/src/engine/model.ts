// The engine's shared vocabulary: categories, reasons, flow labels, sinks and findings (pure data types).

export const HEALTH_CATEGORIES = [
  'diagnosis',
  'condition',
  'medication',
  'allergy',
  'lab-result',
  'vital-sign',
  'procedure',
  'immunization',
  'encounter',
  'clinical-note',
  'genetic',
  'mental-health',
  'sexual-reproductive-health',
  'disability',
  'health-insurance',
  'health-identifier',
  'patient-record',
] as const;
export type HealthCategory = (typeof HEALTH_CATEGORIES)[number];

export const RULE_IDS = [
  'unprotected-export',
  'pseudonymised-export',
  'third-party-disclosure',
  'log-exposure',
  'client-side-storage',
  'insufficient-legal-basis',
  'linkable-anonymisation',
  'exported-health-field',
  'hardcoded-health-identifier',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** The data-flow rules: their findings sit at a sink, with a source and a path (the others are about declarations). */
export const FLOW_RULE_IDS: ReadonlySet<RuleId> = new Set<RuleId>([
  'unprotected-export',
  'pseudonymised-export',
  'third-party-disclosure',
  'log-exposure',
  'client-side-storage',
  'insufficient-legal-basis',
]);
export type Severity = 'error' | 'warning' | 'information' | 'off';

/** A position in a source file; line and column are 1-based (as shown to people and in SARIF). */
export interface SourceLocation {
  file: string; // absolute path
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Why a value was classified as health data: every positive classification keeps one. */
export interface ClassificationReason {
  kind: 'term' | 'type' | 'tag' | 'config' | 'schema' | 'query';
  /** What matched: the term ("diagnosis"), the type name ("Condition"), the tag ("@healthData"). */
  matched: string;
  /** Context that made an ambiguous term count ("inside Patient"), if any. */
  context?: string;
  /** Human sentence: "field name `diagnosis` matches the term 'diagnosis' (diagnosis)". */
  text: string;
}

export interface Classification {
  categories: HealthCategory[];
  reason: ClassificationReason;
}

/** Something that happened to the data between its source and the sink. */
export type StepKind =
  | 'assign' // stored in a variable or field
  | 'call' // passed into a project function
  | 'return' // returned from a project function
  | 'serialise' // JSON.stringify, template string, string building
  | 'collection' // array / Map / Promise operation
  | 'pseudonymise' // hashed, encrypted, tokenised, mapped
  | 'anonymise'; // passed through a declared anonymiser

export interface FlowStep {
  kind: StepKind;
  location: SourceLocation;
  /** "passed to `logPatient` (src/log.ts)", "hashed with createHash('sha256')". */
  description: string;
}

/** One piece of health data inside a value: where it came from, why it is health data, what happened to it. */
export interface HealthLabel {
  categories: HealthCategory[];
  reason: ClassificationReason;
  source: SourceLocation;
  /** The expression text at the source, e.g. `patient.diagnosis`. */
  sourceText: string;
  steps: FlowStep[];
  /** The label stands for a whole record (a Patient, a Consultation): its non-health fields are not health data. */
  record?: boolean;
  pseudonymised?: boolean;
  anonymised?: boolean;
  /** True when the classification relied on names only although the project had types (for the harness). */
  nameOnlyFallback?: boolean;
}

export type SinkKind = 'export' | 'third-party' | 'log' | 'browser';

export interface SinkDescription {
  kind: SinkKind;
  /** Short description for messages: "HTTP response (express res.json)", "outbound request (axios.post)". */
  label: string;
  /** Recipient id for third parties / hosts for outbound requests ("sentry", "partner.example.com"). */
  recipient?: string;
  /** How the sink was recognised: by the resolved symbol, or by name only (types missing). */
  matchedBy: 'symbol' | 'name';
}

/** A recorded legal basis found on the call chain (JSDoc tag or register entry); filled by the legal stage. */
export interface LegalBasisRecord {
  origin: 'jsdoc' | 'register';
  ids: string[]; // gdpr-6-1-e, gdpr-9-2-h, mr-004 ...
  processingId?: string;
  recipient?: string;
  location?: SourceLocation;
}

/** A sink reached by health data: the raw material of the data-flow rules. */
export interface SinkHit {
  sink: SinkDescription;
  /** The primary location: the tainted argument, the call, or the returned expression. */
  location: SourceLocation;
  /** The whole text of the sink call (`res.json(patient)`), for fingerprints. */
  sinkText: string;
  labels: HealthLabel[];
  /** Call sites through project wrappers that brought the data to this sink (outermost first). */
  callPaths: FlowStep[][];
  /** Function names (declarations) on the call chain, innermost first: used for legal-basis coverage. */
  chain: CallChainEntry[];
}

export interface CallChainEntry {
  file: string;
  functionName?: string;
  /** JSDoc tags on this function, its holder declaration and its class (parsed by the legal stage). */
  tags: { name: string; text: string }[];
  /** Where the tags are, for messages and related locations. */
  tagLocation?: SourceLocation;
}

export interface RelatedLocation {
  location: SourceLocation;
  message: string;
}

export interface Finding {
  ruleId: RuleId;
  severity: Exclude<Severity, 'off'>;
  message: string;
  location: SourceLocation;
  /** Path from the source(s) to the sink, in order (SARIF codeFlows, LSP relatedInformation). */
  flows: RelatedLocation[][];
  related: RelatedLocation[];
  categories: HealthCategory[];
  recipient?: string;
  /** The sink the data reached (kind and label), for grouping findings by recipient (editor view, reports). */
  sink?: { kind: SinkKind; label: string };
  /** The health-data sources that reach the sink: their text (`patient.diagnosis`), location and why each is health data. */
  sources?: { text: string; location: SourceLocation; reason: ClassificationReason; categories: HealthCategory[] }[];
  /** Stable across unrelated edits: rule + file + sink text + source text, no line numbers. */
  fingerprint: string;
  /** How the sink was recognised (the rule harness rejects name-only matches where types were available). */
  sinkMatchedBy?: 'symbol' | 'name';
  /** Coverage that was found and judged (legal basis, register entry), for reports. */
  basis?: LegalBasisRecord[];
  suppressed?: { justification: string; location: SourceLocation };
  /** Set when a suppression comment exists but lacks a justification. */
  suppressionProblem?: string;
  /** Set when the run compared findings with a baseline: `unchanged` ones are accepted there and not reported. */
  baselineState?: 'new' | 'unchanged';
}

/** A finding accepted in a baseline (schemas/baseline.schema.json); `file` and `message` are for people. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** Relative to the repository root, forward slashes. */
  file: string;
  /** The beginning of the finding's message. */
  message: string;
}

/** A file the engine could not analyse (contract: analysis-skipped). */
export interface SkippedFile {
  file: string;
  reason: 'parse-error' | 'too-large' | 'binary' | 'budget' | 'internal-error';
  message: string;
}

/**
 * One way health data leaves the code: a sink reached along one call path, and what protects it. Findings only
 * report the gaps; the data map and the draft register need every flow, covered and anonymised ones included.
 */
export interface DataFlow {
  sink: { kind: SinkKind; label: string };
  recipient?: string;
  /** Where the data leaves (the primary location of the finding, when this flow has one). */
  location: SourceLocation;
  /** The project functions the data goes through, outermost (where it entered the chain) first. */
  functions: { file: string; name?: string }[];
  /** The contract's order, health identifiers included. */
  categories: HealthCategory[];
  sources: { text: string; location: SourceLocation; categories: HealthCategory[] }[];
  /** What happened to the data that matters to its protection (pseudonymised, anonymised), in order. */
  steps: { kind: StepKind; description: string; location: SourceLocation }[];
  /**
   * `covered`: a recorded basis is valid for it; `insufficient`: a basis is recorded but not valid; `uncovered`: no basis
   * (logs and the browser always); `anonymised`: only the output of a declared anonymiser reaches the sink.
   */
  status: 'covered' | 'insufficient' | 'uncovered' | 'anonymised';
  /** Only pseudonymised on the way: still personal data. */
  pseudonymised: boolean;
  /** The bases that cover it, or that were found and judged insufficient. */
  basis?: LegalBasisRecord[];
  /** The rule of the finding this flow gives at its sink (before severities and suppressions), if any. */
  ruleId?: RuleId;
}

/** A register entry that matches no analysed code: no appliesTo file or function, no @processing tag, no flow. */
export interface StaleRegisterEntry {
  id: string;
  /** The register file and the entry's `id` position in it. */
  location: SourceLocation;
  message: string;
}

/** Where a health-data field is declared: a TypeScript member, a Zod or ORM schema key, or a schema file beside the code. */
export type FieldOrigin = 'typescript' | 'zod' | 'orm' | 'prisma' | 'openapi' | 'graphql' | 'sql';

export interface FieldDeclaration {
  origin: FieldOrigin;
  /** The type, model, schema or table that holds the field, as written there (`MoodEntry`, `mood_entries`). */
  container: string;
  /** The field's name as written there (`journalText`, `journal_text`). */
  field: string;
  /** The field's name in its declaration. */
  location: SourceLocation;
  /** The holding type is exported from its module (TypeScript); schema files are shared by definition. */
  exported: boolean;
}

/** One way a field's data leaves: a data flow whose sources read the field (or a whole record that holds it). */
export interface FieldRoute {
  sink: { kind: SinkKind; label: string };
  recipient?: string;
  /** Where the data leaves (the data flow's location). */
  location: SourceLocation;
  status: DataFlow['status'];
  pseudonymised: boolean;
  /** Basis ids and processing ids that cover it (or were judged insufficient). */
  basis?: string[];
  /** The rule that fires at the sink for this path, if any. */
  ruleId?: RuleId;
}

/**
 * A health-data field of the project (the field view and the inventory): one entry per field, declarations found in
 * TypeScript and in schema files (Prisma, OpenAPI, GraphQL, SQL) under the same type and field name merged into one.
 */
export interface HealthField {
  /** The holding type as TypeScript names it when it is declared there, else the first schema's name. */
  container: string;
  field: string;
  categories: HealthCategory[];
  /** Why it is health data (term, context, type, tag, configuration, schema). */
  reason: ClassificationReason;
  /** The first declaration (TypeScript first): where the editor shows the field diagnostic and the lens. */
  location: SourceLocation;
  exported: boolean;
  declarations: FieldDeclaration[];
  /** Every flow that carries the field's data to a sink, covered or not, one per sink location, path status and rule. */
  routes: FieldRoute[];
}

export interface AnalysisResult {
  findings: Finding[];
  skipped: SkippedFile[];
  projects: { configFile?: string; root: string; files: number; typesMissing: boolean }[];
  notices: string[];
  /** Present when findings were compared with a baseline (--baseline, --write-baseline). */
  baseline?: {
    /** The baseline file as the user named it. */
    file: string;
    /** Findings accepted in the baseline (baselineState `unchanged`). */
    matched: number;
    /** Entries no finding matches any more. */
    fixed: BaselineEntry[];
  };
  /** Every flow of health data to a sink, covered or not (for the data map and the draft register). */
  flows?: DataFlow[];
  /** Health-data fields, where they are declared and where their data goes (field view, inventory, CodeLens). */
  fields?: HealthField[];
  /** Register entries that no analysed code uses: a warning for the CLI and the editor. */
  staleRegisterEntries?: StaleRegisterEntry[];
  /** The processing register the analysis used, if one was found (its file and entries). */
  register?: { file: string; jurisdictions?: string[]; entries: { id: string; purpose: string; location: SourceLocation }[] };
  /** Files analysed by this scan, files whose results came from the results cache (unchanged, nothing they depend on
   *  changed), and function summaries of unchanged files taken from an earlier analysis instead of computed again. */
  incremental?: { analysed: number; reused: number; summaries?: number };
}
