// An abstract interpretation of function bodies: each expression evaluates to a Value (which health data it
// carries, field by field); each function gets a summary (what flows from its parameters to its return value,
// its sinks and its throws), applied at every call site, across files.
import { ts } from '../program/compiler';
import type { HealthDataLintConfig } from '../config';
import type { CallChainEntry, FlowStep, HealthLabel, SinkDescription, SourceLocation } from '../model';
import { classifyName, classifyRecordName, isAggregateName, type ClassifierOptions } from '../classify/names';
import type { HealthClassification, TypeClassifier } from '../classify/types';
import { PSEUDONYMISER_NAME } from '../sinks/catalogue';
import { describeCallee, projectFunctionOfExpression, type Callee, type LibraryCallee } from './callee';
import { constantPrefix, matchAssignmentSink, matchCallSink, matchPseudonymiser, type SinkMatch } from './sinks';
import {
  anonymise, EMPTY, flatten, isEmpty, labelsAtRisk, objectValue, OPAQUE, pseudonymise, union, withStep,
  type MemberRead, type ParamRef, type Value,
} from './values';
import { chainOf, functionDisplayName, jsdocTagNames, statementChainEntry } from './chain';

/** An argument (or receiver, or returned value) that may carry data into a sink. */
export interface SinkCandidate {
  location: SourceLocation;
  value: Value;
}

export interface PendingHit {
  sink: SinkDescription;
  /** In argument order: the finding points at the first one that carries health data once callers are known. */
  candidates: SinkCandidate[];
  /** The whole text of the sink (not shortened: the finding's fingerprint is made from it). */
  sinkText: string;
  chain: CallChainEntry[];
  callPath: FlowStep[];
}

interface PendingThrow {
  location: SourceLocation;
  text: string;
  value: Value;
  chain: CallChainEntry[];
  callPath: FlowStep[];
}

export interface Summary {
  returns: Value;
  hits: PendingHit[];
  throws: PendingThrow[];
}

/** A sink hit with concrete health data, ready for the legal-basis stage and the rules. */
export interface ConcreteHit extends PendingHit {
  location: SourceLocation;
  value: Value;
  /** The labels at risk (not anonymised) and the pseudonyms that travel with them. */
  labels: HealthLabel[];
  pseudonymised: boolean;
}

export class BudgetExceeded extends Error {}

/** What computing a summary did besides making it: what the analysis of a file is told (see `DependencyListener`). */
export type SummaryEvent =
  | { kind: 'used'; fn: ts.FunctionLikeDeclaration; by: ts.FunctionLikeDeclaration | undefined }
  | { kind: 'called'; fn: ts.FunctionLikeDeclaration }
  | { kind: 'registered'; fn: ts.FunctionLikeDeclaration }
  | { kind: 'anonymiser'; fn: ts.FunctionLikeDeclaration };

/**
 * A summary kept from an earlier analysis of the same files (another Program, another checker): a summary holds no
 * type or symbol, only values, so it stands while nothing it was made from changed. Using it replays what computing
 * it did, so that the files analysed now record the same facts as if it had been computed again.
 */
export interface KeptSummary {
  summary: Summary;
  /** The files of the function and of every function whose summary it used, transitively. */
  support: ReadonlySet<string>;
  /** Whether the function was a response handler when the summary was made (it changes the summary). */
  responseHandler: boolean;
  /** The work it took (counted again against the budget). */
  steps: number;
  events: readonly SummaryEvent[];
}

/** Where summaries are kept between analyses, and which still hold (engine/incremental/kept-summaries.ts). */
export interface SummaryKeeper {
  /** `responseHandler`: whether the function is one now (a summary made otherwise does not hold). */
  reuse(fn: ts.FunctionLikeDeclaration, responseHandler: boolean): KeptSummary | undefined;
  keep(fn: ts.FunctionLikeDeclaration, kept: KeptSummary): void;
}

/** A summary being computed, for the keeper: what it did, what it rests on. */
interface Recording {
  events: SummaryEvent[];
  support: Set<string>;
  startSteps: number;
  /** False when it saw a cycle or the depth limit (its result depends on the order of analysis) or reported a hit. */
  complete: boolean;
}

const HANDLER_REGISTRATION = /^(get|post|put|patch|delete|del|all|use|options|head|route|handle|on|handler|query|mutation|subscription|procedure)$/;
const NUMERIC_RESULT = /^(length|size|count|indexOf|lastIndexOf|findIndex|findLastIndex|includes|has|some|every|startsWith|endsWith|test|localeCompare|getTime|valueOf|isArray|isNaN|isFinite|byteLength|charCodeAt|codePointAt|search)$/;
const PASS_THROUGH_METHODS = /^(filter|find|findLast|sort|with|toUpperCase|toLowerCase|toLocaleUpperCase|toLocaleLowerCase|trim|trimStart|trimEnd|slice|substring|substr|split|replace|replaceAll|padStart|padEnd|concat|join|toString|toJSON|normalize|at|charAt|repeat|flat|reverse|toReversed|toSorted|toSpliced|values|entries|get|pick|omit|clone|cloneDeep|toObject|lean|data|json|text|valueOf|getValue|unwrap|exec|match|matchAll)$/;
const SERIALISERS = /^(stringify|unparse|json_to_sheet|aoa_to_sheet|sheet_to_csv|sheet_to_json|book_new|format|render|renderFile|compile|encode|serialize|serialise|toCSV|toCsv|parse|from|of|assign|freeze|fromEntries|createReadStream|Readable|compress|gzip|gzipSync|deflate|deflateSync|escape|encodeURIComponent|encodeURI|btoa|structuredClone|renderToString|renderToStaticMarkup|sprintf|inspect)$/;
const MUTATORS = /^(push|unshift|set|add|append|addRow|addRows|write|text|book_append_sheet|sheet_add_json|sheet_add_aoa|splice|fill)$/;
const DATA_ACCESS = /^(find|get|fetch|load|query|select|read|list|search|retrieve|all|first|one|many|exec|execute|aggregate|findOne|findMany|findUnique|findFirst|findAll|findById|findByPk|findAndCountAll|where|raw|sql|from|collection|doc|getDocs|getDoc|findUniqueOrThrow|findFirstOrThrow|rows|maybeSingle|single|values|scan|getItem|getMany|getOne|getRawMany|getRawOne|fetchAll)/i;
const ERROR_CLASSES = /Error$|Exception$/;

/** Worth keeping at a sink: health data at risk, parameters callers may fill, or anonymised data (listed by the data map, never a finding). */
function reachesSink(value: Value): boolean {
  return value.params.length > 0 || value.labels.length > 0;
}

function locationOf(node: ts.Node): SourceLocation {
  const sf = node.getSourceFile();
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { file: sf.fileName, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function shortText(node: ts.Node, max = 80): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function isFunctionLikeExpression(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

class Env {
  private readonly vars = new Map<ts.Symbol, Value>();
  constructor(readonly parent?: Env) {}
  lookup(symbol: ts.Symbol): Value | undefined {
    return this.vars.get(symbol) ?? this.parent?.lookup(symbol);
  }
  owner(symbol: ts.Symbol): Env | undefined {
    return this.vars.has(symbol) ? this : this.parent?.owner(symbol);
  }
  define(symbol: ts.Symbol, value: Value): void {
    this.vars.set(symbol, value);
  }
  /** Flow-insensitive: a later assignment adds to what the variable may hold. */
  assign(symbol: ts.Symbol, value: Value): void {
    const owner = this.owner(symbol) ?? this;
    const old = owner.vars.get(symbol);
    owner.vars.set(symbol, old ? union(old, value) : value);
  }
}

/** How a function is being analysed: as a summary (parameters symbolic) or inline as an entry point. */
interface Frame {
  function: ts.FunctionLikeDeclaration | ts.SourceFile;
  env: Env;
  returns: Value[];
  summary: Summary;
  /** Returned values are HTTP responses (NestJS controller method, fastify/tRPC/Next handler...). */
  returnsAreResponses: boolean;
  /** The frame handles requests: an uncaught throw is logged by the framework. */
  isRequestHandler: boolean;
  tryDepth: number;
  /** Values thrown inside the enclosing try blocks (innermost last): what their catch clauses receive. */
  caught: Value[][];
  chain: CallChainEntry[];
  /** Summary frames collect parameter-dependent hits; inline frames forward them to this one. */
  owner?: Frame;
}

export interface InterpreterOptions {
  config: HealthDataLintConfig;
  workBudget: number;
  /** `origin`: the file of the entry point (module code or uncalled function) whose frame reported the hit. */
  onHit(hit: ConcreteHit, origin: string): void;
  onAnonymiser?(declaration: ts.FunctionLikeDeclaration): void;
  /** A sink reached only by anonymised health data: no finding, but the data map lists it (labels are the anonymised ones). */
  onAnonymisedHit?(hit: ConcreteHit, origin: string): void;
  /** What the results cache needs to know a file's results still hold: every summary used, call made, handler registered. */
  dependencies?: DependencyListener;
  /** Summaries of earlier analyses that may be used instead of computing them again. */
  keeper?: SummaryKeeper;
}

/** Told of the cross-file facts an analysis rests on (the incremental scan records them per file). */
export interface DependencyListener {
  /** `by`: the function whose summary is being computed when it uses `fn` (none: module code or an entry point). */
  summaryUsed(fn: ts.FunctionLikeDeclaration, by: ts.FunctionLikeDeclaration | undefined): void;
  called(fn: ts.FunctionLikeDeclaration): void;
  registeredHandler(fn: ts.FunctionLikeDeclaration): void;
}

export class Interpreter {
  private readonly summaries = new Map<ts.Node, Summary>();
  private readonly inProgress = new Set<ts.Node>();
  /** The functions whose summaries are being computed, innermost last. */
  private readonly summarising: ts.FunctionLikeDeclaration[] = [];
  private readonly declarationValues = new Map<ts.Node, Value>();
  private readonly memberReads = new Map<ts.Node, MemberRead>();
  readonly callSites = new Map<ts.Node, number>();
  /** Project functions registered by reference as handlers whose return value is the response (`.query(listTreatments)`). */
  private readonly responseHandlers = new Set<ts.Node>();
  private readonly numericSums = new WeakMap<ts.Node, boolean>();
  /** With a keeper: the summaries being computed, innermost last, and what each summary made or used rests on. */
  private readonly recordings: Recording[] = [];
  private readonly supports = new Map<ts.Node, ReadonlySet<string>>();
  private readonly incomplete = new Set<ts.Node>();
  /** The call of the expression statement being evaluated: its value is dropped. */
  private discarded: ts.Node | undefined;
  private steps = 0;
  private depth = 0;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly types: TypeClassifier,
    private readonly options: InterpreterOptions,
  ) {}

  /** A project function registered by reference as a handler whose return value is the response (`.query(listTreatments)`). */
  registerResponseHandler(fn: ts.FunctionLikeDeclaration): void {
    this.responseHandlers.add(fn);
    this.summaries.delete(fn); // a summary made before we knew must be made again
  }

  isResponseHandler(fn: ts.FunctionLikeDeclaration): boolean {
    return this.responseHandlers.has(fn);
  }

  /** A call made by code not analysed in this run (the results cache recorded it): the function is no entry point. */
  countCall(fn: ts.FunctionLikeDeclaration): void {
    this.callSites.set(fn, (this.callSites.get(fn) ?? 0) + 1);
  }

  resetBudget(): void {
    this.steps = 0;
  }

  private tick(): void {
    if (++this.steps > this.options.workBudget) throw new BudgetExceeded();
  }

  // ---- entry points -------------------------------------------------------------------------------------

  /** Module-level code runs once: it is an entry point (route registrations, top-level calls). */
  analyseModule(sourceFile: ts.SourceFile): void {
    const frame = this.newFrame(sourceFile, new Env(), undefined);
    for (const statement of sourceFile.statements) this.statement(statement, frame);
    this.flushEntryFrame(frame);
  }

  /** The summary of a function if one was computed (never computes one). */
  knownSummary(fn: ts.Node): Summary | undefined {
    return this.summaries.get(fn as ts.FunctionLikeDeclaration);
  }

  /** Summary of a project function, computed once (cycles see an empty summary while in progress). */
  summaryOf(fn: ts.FunctionLikeDeclaration): Summary {
    this.noteUse(fn, this.summarising[this.summarising.length - 1]);
    const cached = this.summaries.get(fn);
    if (cached) {
      this.supported(fn);
      return cached;
    }
    if (this.inProgress.has(fn) || this.depth > 60) {
      for (const recording of this.recordings) recording.complete = false;
      return { returns: EMPTY, hits: [], throws: [] };
    }
    const keeper = this.options.keeper;
    const kept = keeper?.reuse(fn, this.responseHandlers.has(fn));
    if (kept) return this.replay(fn, kept);
    this.inProgress.add(fn);
    this.summarising.push(fn);
    this.depth++;
    const recording: Recording | undefined = keeper && { events: [], support: new Set([fn.getSourceFile().fileName]), startSteps: this.steps, complete: true };
    if (recording) this.recordings.push(recording);
    const frame = this.newFrame(fn, new Env(), undefined);
    try {
      fn.parameters.forEach((p, index) => this.bindParameter(p, this.symbolicParameter(index), frame));
      this.functionBody(fn, frame);
      frame.summary.returns = union(...frame.returns);
      this.summaries.set(fn, frame.summary);
    } finally {
      this.inProgress.delete(fn);
      this.summarising.pop();
      this.depth--;
      if (recording) this.recordings.pop();
    }
    if (recording) this.recorded(fn, frame.summary, recording, keeper!);
    return frame.summary;
  }

  /** A summary computed under a keeper: kept if it is complete, and what it did and rests on told to the one using it. */
  private recorded(fn: ts.FunctionLikeDeclaration, summary: Summary, recording: Recording, keeper: SummaryKeeper): void {
    this.supports.set(fn, recording.support);
    if (!recording.complete) this.incomplete.add(fn);
    else keeper.keep(fn, { summary, support: recording.support, responseHandler: this.responseHandlers.has(fn), steps: this.steps - recording.startSteps, events: recording.events });
    const outer = this.recordings[this.recordings.length - 1];
    if (!outer) return;
    for (const event of recording.events) outer.events.push(event);
    for (const file of recording.support) outer.support.add(file);
    if (!recording.complete) outer.complete = false;
  }

  /** A kept summary used: its work counted, what computing it did done again (and recorded by the summary using it). */
  private replay(fn: ts.FunctionLikeDeclaration, kept: KeptSummary): Summary {
    this.steps += kept.steps;
    if (this.steps > this.options.workBudget) throw new BudgetExceeded();
    for (const event of kept.events) {
      if (event.kind === 'used') this.noteUse(event.fn, event.by);
      else if (event.kind === 'called') this.noteCall(event.fn);
      else if (event.kind === 'registered') this.noteRegistration(event.fn);
      else this.noteAnonymiser(event.fn);
    }
    this.summaries.set(fn, kept.summary);
    this.supports.set(fn, kept.support);
    const outer = this.recordings[this.recordings.length - 1];
    if (outer) for (const file of kept.support) outer.support.add(file);
    return kept.summary;
  }

  /** A summary already made in this analysis used by the one being computed: it rests on what that one rests on. */
  private supported(fn: ts.FunctionLikeDeclaration): void {
    const outer = this.recordings[this.recordings.length - 1];
    if (!outer) return;
    const support = this.supports.get(fn);
    if (support) for (const file of support) outer.support.add(file);
    else outer.support.add(fn.getSourceFile().fileName);
    if (!support || this.incomplete.has(fn)) outer.complete = false;
  }

  // What the results cache is told, and what a summary being recorded did (the event is only made for a recording).
  private noteUse(fn: ts.FunctionLikeDeclaration, by: ts.FunctionLikeDeclaration | undefined): void {
    this.options.dependencies?.summaryUsed(fn, by);
    this.recordings[this.recordings.length - 1]?.events.push({ kind: 'used', fn, by });
  }

  private noteCall(fn: ts.FunctionLikeDeclaration): void {
    this.countCall(fn);
    this.options.dependencies?.called(fn);
    this.recordings[this.recordings.length - 1]?.events.push({ kind: 'called', fn });
  }

  private noteRegistration(fn: ts.FunctionLikeDeclaration): void {
    this.options.dependencies?.registeredHandler(fn);
    if (!this.responseHandlers.has(fn)) this.registerResponseHandler(fn);
    this.recordings[this.recordings.length - 1]?.events.push({ kind: 'registered', fn });
  }

  private noteAnonymiser(fn: ts.FunctionLikeDeclaration): void {
    this.options.onAnonymiser?.(fn);
    this.recordings[this.recordings.length - 1]?.events.push({ kind: 'anonymiser', fn });
  }

  /**
   * Functions no project code calls are entry points (handlers, exported APIs): their parameters are
   * sources by type and name, and what reached their sinks through the parameters is instantiated.
   */
  instantiateEntry(fn: ts.FunctionLikeDeclaration): void {
    const summary = this.summaryOf(fn);
    if (summary.hits.length === 0 && summary.throws.length === 0) return;
    const args = fn.parameters.map((p) => this.entryParameterValue(p));
    const frame = this.newFrame(fn, new Env(), undefined);
    this.applyPending(summary, args, frame, undefined);
    this.flushEntryFrame(frame);
  }

  /** What a declared anonymiser returns, field by field, when it is given health data (for linkable-anonymisation). */
  anonymiserOutput(fn: ts.FunctionLikeDeclaration): Value {
    const frame = this.newFrame(fn, new Env(), undefined);
    frame.returnsAreResponses = false;
    fn.parameters.forEach((p) => this.bindParameter(p, this.entryParameterValue(p), frame));
    this.functionBody(fn, frame);
    return union(...frame.returns);
  }

  /** Functions declared as anonymisers (`@anonymises`, or listed in configuration). */
  isAnonymiser(fn: ts.FunctionLikeDeclaration): boolean {
    const tags = jsdocTagNames(fn);
    return tags.has('anonymises') || tags.has('anonymizes') || this.configured(this.options.config.anonymisers, fn, functionDisplayName(fn).split('.').pop() ?? '');
  }

  /** Every project function with a body, for the caller to instantiate the uncalled ones. */
  functionsOf(sourceFile: ts.SourceFile): ts.FunctionLikeDeclaration[] {
    const out: ts.FunctionLikeDeclaration[] = [];
    const visit = (node: ts.Node): void => {
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node)) && node.body) out.push(node);
      else if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && !this.isInlineCallback(node)) out.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return out;
  }

  /** Callbacks handed to a library call or an IIFE are analysed inline with their enclosing function. */
  private isInlineCallback(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
    const parent = skipUpParens(fn);
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(fn as never)) return true;
    if (ts.isCallExpression(parent) && skipParens(parent.expression) === fn) return true;
    return false;
  }

  // ---- frames -------------------------------------------------------------------------------------------

  private newFrame(fn: ts.FunctionLikeDeclaration | ts.SourceFile, env: Env, owner: Frame | undefined): Frame {
    const isFunction = !ts.isSourceFile(fn);
    const responses = isFunction && this.returnsAreResponses(fn as ts.FunctionLikeDeclaration);
    return {
      function: fn,
      env,
      returns: [],
      summary: { returns: EMPTY, hits: [], throws: [] },
      returnsAreResponses: responses,
      isRequestHandler: responses || (isFunction && this.isRequestHandler(fn as ts.FunctionLikeDeclaration)),
      tryDepth: 0,
      caught: [],
      chain: chainOf(fn),
      owner,
    };
  }

  /** An entry frame's pending hits have no caller left: those with concrete labels are reported. */
  private flushEntryFrame(frame: Frame): void {
    const origin = frame.function.getSourceFile().fileName;
    for (const hit of frame.summary.hits) this.emit(hit, origin);
    if (frame.isRequestHandler) for (const thrown of frame.summary.throws) this.emitThrow(thrown, origin);
  }

  private emit(hit: PendingHit, origin: string): void {
    // A summary that reports a hit itself (an inline handler's throw) is not kept: the hit would not be reported again.
    for (const recording of this.recordings) recording.complete = false;
    let anonymisedOnly: ConcreteHit | undefined;
    for (const candidate of hit.candidates) {
      const flat = flatten(candidate.value);
      const labels = labelsAtRisk(flat);
      if (labels.length === 0) {
        const anonymised = flat.labels.filter((l) => l.anonymised);
        if (!anonymisedOnly && anonymised.length > 0) anonymisedOnly = { ...hit, location: candidate.location, value: flat, labels: anonymised, pseudonymised: false };
        continue;
      }
      const pseudonymised = labels.some((l) => l.pseudonymised) || flat.pseudonyms.length > 0;
      this.options.onHit({ ...hit, location: candidate.location, value: flat, labels, pseudonymised }, origin);
      return;
    }
    if (anonymisedOnly) this.options.onAnonymisedHit?.(anonymisedOnly, origin);
  }

  private emitThrow(thrown: PendingThrow, origin: string): void {
    this.emit({
      sink: { kind: 'log', label: 'uncaught error (logged by the framework)', matchedBy: 'symbol' },
      candidates: [{ location: thrown.location, value: thrown.value }],
      sinkText: thrown.text,
      chain: thrown.chain,
      callPath: thrown.callPath,
    }, origin);
  }

  /** Records a sink reached by a value: concrete labels now, parameter-dependent parts in the summary. */
  private recordHit(frame: Frame, sink: SinkDescription, node: ts.Node, sinkText: string, value: Value): void {
    this.recordCandidates(frame, sink, node, sinkText, [{ node, value }]);
  }

  /** Records a sink with the values that may reach it: concrete labels now, parameter-dependent ones for callers. */
  private recordCandidates(frame: Frame, sink: SinkDescription, at: ts.Node, sinkText: string, values: { node: ts.Node; value: Value }[]): void {
    if (TRACE) trace(`sink ${sink.label} at ${locationText(at)}: ${values.map((v) => describeValue(flatten(v.value))).join(' | ')}`);
    const candidates = values
      .map(({ node, value }) => ({ location: locationOf(node), value: flatten(value) }))
      .filter((c) => reachesSink(c.value));
    if (candidates.length === 0) return;
    const target = frame.owner ?? frame;
    const statement = statementChainEntry(at);
    const chain = statement ? [statement, ...frame.chain] : frame.chain;
    target.summary.hits.push({ sink, candidates, sinkText, chain, callPath: [] });
  }

  private recordThrow(frame: Frame, node: ts.ThrowStatement, value: Value): void {
    if (frame.tryDepth > 0) {
      frame.caught[frame.caught.length - 1]?.push(value);
      return;
    }
    const flat = flatten(value);
    if (labelsAtRisk(flat).length === 0 && flat.params.length === 0) return;
    // An inline request handler reports its own uncaught throws; other frames hand them to their summary.
    const target = frame.isRequestHandler ? frame : frame.owner ?? frame;
    target.summary.throws.push({ location: locationOf(node.expression), text: node.getText(), value: flat, chain: frame.chain, callPath: [] });
  }

  // ---- parameters ---------------------------------------------------------------------------------------

  private symbolicParameter(index: number): Value {
    return { labels: [], opaque: false, params: [{ index, path: [], steps: [] }], pseudonyms: [] };
  }

  private bindParameter(parameter: ts.ParameterDeclaration, value: Value, frame: Frame): void {
    this.bindName(parameter.name, value, frame);
  }

  private bindName(name: ts.BindingName, value: Value, frame: Frame): void {
    if (ts.isIdentifier(name)) {
      const symbol = this.checker.getSymbolAtLocation(name);
      if (symbol) frame.env.define(symbol, this.withRecordHint(name.text, this.withRecordName(name.text, value, name), name));
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        if (element.dotDotDotToken) {
          this.bindName(element.name, value, frame);
          continue;
        }
        const key = element.propertyName ? propertyNameText(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
        if (!key) continue;
        const member = this.readMember(value, this.memberReadOf(element, key));
        this.bindName(element.name, member, frame);
      }
      return;
    }
    name.elements.forEach((element, index) => {
      if (ts.isBindingElement(element)) this.bindName(element.name, element.dotDotDotToken ? value : value.tuple?.[index] ?? value, frame);
    });
  }

  /** A parameter of an entry point: a source when its type or its name says health data. */
  private entryParameterValue(parameter: ts.ParameterDeclaration): Value {
    const labels: HealthLabel[] = [];
    const type = this.checker.getTypeAtLocation(parameter);
    const byType = this.types.classifyType(type);
    const name = ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
    // Untyped: the annotation names the type, or the handler's own type does (`EventBridgeHandler<'X', LabResult, void>`).
    const annotation = parameter.type ?? (parameter.parent.parameters[0] === parameter ? holderTypeNode(parameter.parent) : undefined);
    const byAnnotation = !byType && this.types.isUnknown(type) ? this.types.classifyTypeNode(annotation) : undefined;
    if (byType) labels.push(this.label(byType, parameter.name, false));
    else if (byAnnotation) labels.push(this.label(byAnnotation, parameter.name, true));
    else if (name && (this.types.isUnknown(type) || isPrimitive(type))) {
      const byName = classifyRecordName(name, this.classifierOptions()) ?? classifyName(name, {}, this.classifierOptions());
      if (byName) labels.push(this.label({ ...byName, record: !!classifyRecordName(name, this.classifierOptions()), nameOnly: this.types.isUnknown(type) }, parameter.name, this.types.isUnknown(type)));
    }
    return { labels, opaque: true, params: [], pseudonyms: [] };
  }

  private classifierOptions() {
    return { extraTerms: this.options.config.terms, ignoreTerms: this.options.config.ignoreTerms };
  }

  private label(c: HealthClassification, node: ts.Node, nameOnly: boolean): HealthLabel {
    return {
      categories: c.categories,
      reason: c.reason,
      source: locationOf(node),
      sourceText: shortText(node),
      steps: [],
      record: c.record,
      nameOnlyFallback: nameOnly || undefined,
    };
  }

  /**
   * A variable named like a whole record (`patient`, `dossierMedical`) holding a value we know nothing about
   * (types missing) is taken for that record.
   */
  private withRecordName(name: string, value: Value, node: ts.Node): Value {
    if (!value.opaque || value.labels.length > 0 || value.fields) return value;
    const type = this.checker.getTypeAtLocation(node);
    if (!this.types.isUnknown(type)) {
      // Narrowed or declared types say what an opaque value is (`resource is Immunization`).
      const byType = this.types.classifyType(type);
      return byType ? { ...value, labels: [this.label(byType, node, false)] } : value;
    }
    const record = classifyRecordName(name, this.classifierOptions());
    if (!record) return value;
    return { ...value, labels: [this.label({ ...record, record: true, nameOnly: true }, node, true)] };
  }

  /** A parameter-derived value bound to a record-like name while types are missing: resolved at the call site. */
  private withRecordHint(name: string, value: Value, node: ts.Node): Value {
    if (value.params.length === 0 || value.labels.length > 0 || value.fields) return value;
    // The name first: asking the checker for the type of every parameter-derived variable costs more.
    const record = classifyRecordName(name, this.classifierOptions());
    if (!record || !this.types.isUnknown(this.checker.getTypeAtLocation(node))) return value;
    const hint: MemberRead = { name, classification: { ...record, record: true, nameOnly: true }, typedClean: false, location: locationOf(node), text: name };
    return { ...value, params: value.params.map((p) => ({ ...p, recordHint: { read: hint, atDepth: p.path.length } })) };
  }

  // ---- statements ---------------------------------------------------------------------------------------

  private functionBody(fn: ts.FunctionLikeDeclaration, frame: Frame): void {
    if (!fn.body) return;
    if (ts.isBlock(fn.body)) this.statement(fn.body, frame);
    else this.returnValue(fn.body, this.expression(fn.body, frame), frame);
  }

  private returnValue(node: ts.Expression, value: Value, frame: Frame): void {
    frame.returns.push(value);
    if (frame.returnsAreResponses) {
      this.recordHit(frame, { kind: 'export', label: 'HTTP response (returned from a handler)', matchedBy: 'symbol' }, node, node.getText(), value);
    }
  }

  private statement(node: ts.Statement, frame: Frame): void {
    this.tick();
    switch (node.kind) {
      case ts.SyntaxKind.Block:
        for (const s of (node as ts.Block).statements) this.statement(s, frame);
        return;
      case ts.SyntaxKind.VariableStatement:
        for (const d of (node as ts.VariableStatement).declarationList.declarations) this.variableDeclaration(d, frame);
        return;
      case ts.SyntaxKind.ExpressionStatement: {
        // A library call whose value the statement drops: what it returns is not worked out (no type query); its
        // sinks, callbacks and mutations still are.
        const expression = (node as ts.ExpressionStatement).expression;
        const outer = this.discarded;
        this.discarded = droppedCall(expression);
        try {
          this.expression(expression, frame);
        } finally {
          this.discarded = outer;
        }
        return;
      }
      case ts.SyntaxKind.ReturnStatement: {
        const e = (node as ts.ReturnStatement).expression;
        if (e) this.returnValue(e, this.expression(e, frame), frame);
        return;
      }
      case ts.SyntaxKind.ThrowStatement: {
        const t = node as ts.ThrowStatement;
        this.recordThrow(frame, t, this.expression(t.expression, frame));
        return;
      }
      case ts.SyntaxKind.IfStatement: {
        const s = node as ts.IfStatement;
        this.expression(s.expression, frame);
        this.statement(s.thenStatement, frame);
        if (s.elseStatement) this.statement(s.elseStatement, frame);
        return;
      }
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement: {
        const s = node as ts.ForOfStatement | ts.ForInStatement;
        const iterated = this.expression(s.expression, frame);
        // for..in iterates keys: not the data.
        const element = node.kind === ts.SyntaxKind.ForOfStatement ? iterated : EMPTY;
        if (ts.isVariableDeclarationList(s.initializer)) {
          for (const d of s.initializer.declarations) this.bindName(d.name, element, frame);
        } else this.assignTo(s.initializer, element, frame);
        this.statement(s.statement, frame);
        return;
      }
      case ts.SyntaxKind.ForStatement: {
        const s = node as ts.ForStatement;
        if (s.initializer) {
          if (ts.isVariableDeclarationList(s.initializer)) for (const d of s.initializer.declarations) this.variableDeclaration(d, frame);
          else this.expression(s.initializer, frame);
        }
        if (s.condition) this.expression(s.condition, frame);
        if (s.incrementor) this.expression(s.incrementor, frame);
        this.statement(s.statement, frame);
        return;
      }
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement: {
        const s = node as ts.WhileStatement | ts.DoStatement;
        this.expression(s.expression, frame);
        this.statement(s.statement, frame);
        return;
      }
      case ts.SyntaxKind.TryStatement: {
        const s = node as ts.TryStatement;
        frame.tryDepth++;
        frame.caught.push([]);
        this.statement(s.tryBlock, frame);
        const thrown = frame.caught.pop()!;
        frame.tryDepth--;
        if (s.catchClause) {
          // The catch receives what the try block threw, here or in the project functions it called.
          const caught = thrown.length > 0 ? union(OPAQUE, ...thrown) : OPAQUE;
          if (s.catchClause.variableDeclaration) this.bindName(s.catchClause.variableDeclaration.name, caught, frame);
          this.statement(s.catchClause.block, frame);
        }
        if (s.finallyBlock) this.statement(s.finallyBlock, frame);
        return;
      }
      case ts.SyntaxKind.SwitchStatement: {
        const s = node as ts.SwitchStatement;
        this.expression(s.expression, frame);
        for (const clause of s.caseBlock.clauses) for (const st of clause.statements) this.statement(st, frame);
        return;
      }
      case ts.SyntaxKind.LabeledStatement:
        this.statement((node as ts.LabeledStatement).statement, frame);
        return;
      case ts.SyntaxKind.ExportAssignment:
        this.expression((node as ts.ExportAssignment).expression, frame);
        return;
      case ts.SyntaxKind.ClassDeclaration:
        // Static blocks and property initialisers run at module load.
        for (const m of (node as ts.ClassDeclaration).members) {
          if (ts.isPropertyDeclaration(m) && m.initializer && !isFunctionLikeExpression(m.initializer)) this.expression(m.initializer, frame);
        }
        return;
      default:
        return; // declarations (functions, types, imports) have their own summaries
    }
  }

  private variableDeclaration(d: ts.VariableDeclaration, frame: Frame): void {
    if (!d.initializer) {
      if (ts.isIdentifier(d.name)) {
        const symbol = this.checker.getSymbolAtLocation(d.name);
        if (symbol) frame.env.define(symbol, EMPTY);
      }
      return;
    }
    let value = isFunctionLikeExpression(skipParens(d.initializer)) ? EMPTY : this.expression(d.initializer, frame);
    // `const draft: ClinicalNoteDraft = {...}`: the declared type says what an unknown value, or a literal
    // built from values we cannot classify (`textarea.value`), holds.
    if (d.type && value.labels.length === 0 && value.params.length === 0 && (value.opaque || flatten(value).labels.length === 0)) {
      const declared = this.declaredHealthType(d.type);
      if (declared) value = { ...value, labels: [this.label(declared, d.name, declared.nameOnly)] };
    }
    this.bindName(d.name, value, frame);
  }

  // ---- expressions --------------------------------------------------------------------------------------

  expression(node: ts.Expression, frame: Frame): Value {
    this.tick();
    if (this.depth > 200) return EMPTY;
    this.depth++;
    try {
      return this.evaluate(node, frame);
    } finally {
      this.depth--;
    }
  }

  private evaluate(node: ts.Expression, frame: Frame): Value {
    switch (node.kind) {
      case ts.SyntaxKind.Identifier:
        return this.identifier(node as ts.Identifier, frame);
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.BigIntLiteral:
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
      case ts.SyntaxKind.NullKeyword:
      case ts.SyntaxKind.RegularExpressionLiteral:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ClassExpression:
      case ts.SyntaxKind.SuperKeyword:
      case ts.SyntaxKind.MetaProperty:
        return EMPTY;
      case ts.SyntaxKind.TypeOfExpression:
      case ts.SyntaxKind.VoidExpression:
      case ts.SyntaxKind.DeleteExpression:
        // `void router.push(...)`: the call still happens; the expression's own value is not data.
        this.expression((node as ts.VoidExpression).expression, frame);
        return EMPTY;
      case ts.SyntaxKind.ThisKeyword:
        return OPAQUE;
      case ts.SyntaxKind.TemplateExpression: {
        const t = node as ts.TemplateExpression;
        const parts = t.templateSpans.map((s) => this.expression(s.expression, frame));
        return withStep(flatten(union(...parts)), { kind: 'serialise', location: locationOf(node), description: 'put in a string' });
      }
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const t = node as ts.TaggedTemplateExpression;
        if (ts.isTemplateExpression(t.template)) return flatten(union(...t.template.templateSpans.map((s) => this.expression(s.expression, frame))));
        return EMPTY;
      }
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.SpreadElement:
        return this.expression((node as ts.ParenthesizedExpression).expression, frame);
      case ts.SyntaxKind.AwaitExpression: {
        // `await Patient.find()`: the query object's type says little, what it resolves to says what it is.
        const inner = this.expression((node as ts.AwaitExpression).expression, frame);
        if (!inner.opaque || inner.labels.length > 0 || inner.fields) return inner;
        const type = this.checker.getTypeAtLocation(node);
        const byType = this.types.isUnknown(type) ? undefined : this.types.classifyType(type);
        return byType ? { ...inner, labels: [this.label(byType, node, false)] } : inner;
      }
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.TypeAssertionExpression: {
        const e = node as ts.AsExpression;
        const inner = this.expression(e.expression, frame);
        if (inner.labels.length === 0 && !inner.fields && (inner.opaque || inner.params.length > 0)) {
          const declared = this.declaredHealthType(e.type);
          if (declared && inner.opaque) return { ...inner, labels: [this.label(declared, node, declared.nameOnly)] };
          // `event.entity as Consultation` on a parameter: the cast applies where an unknown object arrives.
          if (declared) {
            const hint: MemberRead = { name: 'as', classification: declared, typedClean: false, location: locationOf(node), text: shortText(node) };
            return { ...inner, params: inner.params.map((p) => ({ ...p, recordHint: { read: hint, atDepth: p.path.length } })) };
          }
        }
        return inner;
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const c = node as ts.ConditionalExpression;
        this.expression(c.condition, frame);
        return union(this.expression(c.whenTrue, frame), this.expression(c.whenFalse, frame));
      }
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression:
        this.expression((node as ts.PrefixUnaryExpression).operand, frame);
        return EMPTY;
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(node as ts.BinaryExpression, frame);
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.objectLiteral(node as ts.ObjectLiteralExpression, frame);
      case ts.SyntaxKind.ArrayLiteralExpression: {
        // Elements are kept apart too, for destructuring (`const [count, rows] = await Promise.all([...])`).
        const elements = (node as ts.ArrayLiteralExpression).elements.map((e) => this.expression(e, frame));
        const all = union(...elements);
        return elements.length > 1 && elements.length <= 16 && !elements.some((_, i) => ts.isSpreadElement((node as ts.ArrayLiteralExpression).elements[i])) ? { ...all, tuple: elements } : all;
      }
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        return this.memberAccess(node as ts.PropertyAccessExpression | ts.ElementAccessExpression, frame);
      case ts.SyntaxKind.CallExpression:
        return this.call(node as ts.CallExpression, frame);
      case ts.SyntaxKind.NewExpression:
        return this.newExpression(node as ts.NewExpression, frame);
      case ts.SyntaxKind.JsxElement:
      case ts.SyntaxKind.JsxSelfClosingElement:
      case ts.SyntaxKind.JsxFragment:
        this.jsx(node, frame);
        return EMPTY;
      default:
        ts.forEachChild(node, (child) => {
          if (ts.isExpression(child)) this.expression(child, frame);
        });
        return EMPTY;
    }
  }

  private identifier(node: ts.Identifier, frame: Frame): Value {
    if (node.text === 'undefined') return EMPTY;
    const symbol = this.symbolOf(node);
    if (!symbol) return OPAQUE;
    const known = frame.env.lookup(symbol);
    if (known) return known;
    return this.declarationValue(symbol, node);
  }

  private symbolOf(node: ts.Identifier): ts.Symbol | undefined {
    const parent = node.parent;
    if (parent && ts.isShorthandPropertyAssignment(parent) && parent.name === node) {
      return this.checker.getShorthandAssignmentValueSymbol(parent) ?? this.checker.getSymbolAtLocation(node);
    }
    return this.checker.getSymbolAtLocation(node);
  }

  /** A variable not bound in this frame: a module-level constant, a closure variable, an import. */
  private declarationValue(symbol: ts.Symbol, use: ts.Identifier): Value {
    let target = symbol;
    if (target.flags & ts.SymbolFlags.Alias) {
      try {
        target = this.checker.getAliasedSymbol(target);
      } catch {
        return OPAQUE;
      }
    }
    const declaration = target.valueDeclaration ?? target.declarations?.[0];
    if (!declaration) return OPAQUE; // unresolved import (dependencies missing)
    if (declaration.getSourceFile().isDeclarationFile) return OPAQUE;
    const cached = this.declarationValues.get(declaration);
    if (cached) return cached;
    this.declarationValues.set(declaration, EMPTY); // cycle guard
    let value: Value = EMPTY;
    const parameter = ts.isBindingElement(declaration) ? enclosingParameter(declaration) : undefined;
    if (parameter && ts.isBindingElement(declaration)) {
      // `function Screen({ profile }) { const open = () => use(profile) }`: a destructured parameter seen from a closure.
      value = this.entryParameterValue(parameter);
      for (const element of bindingPathOf(declaration)) value = this.readMember(value, this.memberReadOf(element, bindingKey(element) ?? ''));
    } else if (ts.isVariableDeclaration(declaration) || ts.isBindingElement(declaration)) {
      const frame = this.newFrame(declaration.getSourceFile(), new Env(), undefined);
      const root = rootDeclaration(declaration);
      if (root.initializer && !isFunctionLikeExpression(skipParens(root.initializer))) {
        this.variableDeclaration(root, frame);
        value = frame.env.lookup(target) ?? this.lookupBinding(declaration, frame) ?? EMPTY;
        // Sinks reached while evaluating a module-level initialiser are module code (an entry).
        this.flushEntryFrame(frame);
      }
    } else if (ts.isParameter(declaration)) {
      value = this.entryParameterValue(declaration);
    } else if (ts.isPropertyDeclaration(declaration) && declaration.initializer) {
      value = this.expression(declaration.initializer, this.newFrame(declaration.getSourceFile(), new Env(), undefined));
    }
    value = ts.isIdentifier(use) ? this.withRecordName(use.text, value, use) : value;
    this.declarationValues.set(declaration, value);
    return value;
  }

  private lookupBinding(declaration: ts.Declaration, frame: Frame): Value | undefined {
    const name = (declaration as ts.BindingElement).name;
    if (name && ts.isIdentifier(name)) {
      const symbol = this.checker.getSymbolAtLocation(name);
      return symbol ? frame.env.lookup(symbol) : undefined;
    }
    return undefined;
  }

  private binary(node: ts.BinaryExpression, frame: Frame): Value {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken) {
      const value = this.expression(node.right, frame);
      this.assignTo(node.left, value, frame);
      return value;
    }
    if (op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) {
      const value = union(this.expression(node.left, frame), this.expression(node.right, frame));
      if (op === ts.SyntaxKind.PlusEqualsToken && this.isNumeric(node)) return EMPTY;
      this.assignTo(node.left, value, frame);
      return value;
    }
    const left = this.expression(node.left, frame);
    const right = this.expression(node.right, frame);
    switch (op) {
      case ts.SyntaxKind.PlusToken:
        // Arithmetic on health values yields numbers (aggregates), string concatenation carries the data.
        if (this.isNumericSum(node) || ts.isNumericLiteral(node.left) || ts.isNumericLiteral(node.right)) return EMPTY;
        return withStep(flatten(union(left, right)), { kind: 'serialise', location: locationOf(node), description: 'concatenated into a string' });
      case ts.SyntaxKind.AmpersandAmpersandToken:
        return right;
      case ts.SyntaxKind.BarBarToken:
      case ts.SyntaxKind.QuestionQuestionToken:
        return union(left, right);
      case ts.SyntaxKind.CommaToken:
        return right;
      default:
        return EMPTY; // comparisons, arithmetic, bitwise, instanceof, in
    }
  }

  /**
   * Whether `left + right` is arithmetic, decided from its operands with nested sums remembered: asking the
   * checker for the type of each sum of a long chain (`a + b + c + ...`) re-checks the whole chain below it
   * every time, which made a 500-term concatenation take seconds and a 10,000-term one hang.
   */
  private isNumericSum(node: ts.BinaryExpression): boolean {
    const known = this.numericSums.get(node);
    if (known !== undefined) return known;
    const operand = (e: ts.Expression): boolean => {
      const inner = skipParens(e);
      return ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken ? this.isNumericSum(inner) : this.isNumeric(inner);
    };
    const numeric = operand(node.left) && operand(node.right);
    this.numericSums.set(node, numeric);
    return numeric;
  }

  private isNumeric(node: ts.Expression): boolean {
    const type = this.checker.getTypeAtLocation(node);
    return (type.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike)) !== 0;
  }

  private assignTo(target: ts.Expression, value: Value, frame: Frame): void {
    target = skipParens(target);
    const sink = matchAssignmentSink(target, this.checker);
    if (sink) this.recordHit(frame, sink, target.parent && ts.isBinaryExpression(target.parent) ? target.parent.right : target, (target.parent ?? target).getText(), value);
    if (ts.isIdentifier(target)) {
      const symbol = this.checker.getSymbolAtLocation(target);
      if (symbol) frame.env.assign(symbol, value);
      return;
    }
    if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) {
      for (const p of ts.isObjectLiteralExpression(target) ? target.properties : target.elements) {
        if (ts.isShorthandPropertyAssignment(p)) this.assignTo(p.name, this.readMember(value, this.memberReadOf(p, p.name.text)), frame);
        else if (ts.isPropertyAssignment(p) && ts.isExpression(p.initializer)) this.assignTo(p.initializer, this.readMember(value, this.memberReadOf(p, propertyNameText(p.name) ?? '')), frame);
        else if (ts.isExpression(p)) this.assignTo(p, value, frame);
      }
      return;
    }
    if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
      // obj.field = v: the object now holds v (computed keys such as counts[diagnosis] keep only the value).
      const root = skipParens(target.expression);
      if (ts.isIdentifier(root)) {
        const symbol = this.checker.getSymbolAtLocation(root);
        if (!symbol) return;
        const current = frame.env.lookup(symbol) ?? EMPTY;
        const key = ts.isPropertyAccessExpression(target) ? target.name.text : ts.isStringLiteralLike(target.argumentExpression) ? target.argumentExpression.text : undefined;
        if (key && (current.fields || isEmpty(current))) {
          const fields = new Map(current.fields ?? []);
          fields.set(key, fields.has(key) ? union(fields.get(key)!, value) : value);
          frame.env.assign(symbol, { ...current, fields });
        } else frame.env.assign(symbol, flatten(value));
      }
    }
  }

  private objectLiteral(node: ts.ObjectLiteralExpression, frame: Frame): Value {
    const fields = new Map<string, Value>();
    const spreads: Value[] = [];
    let computed = 0;
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p)) {
        const key = propertyNameText(p.name) ?? `[computed ${computed++}]`;
        if (ts.isComputedPropertyName(p.name)) this.expression(p.name.expression, frame);
        fields.set(key, isFunctionLikeExpression(p.initializer) ? EMPTY : this.expression(p.initializer, frame));
      } else if (ts.isShorthandPropertyAssignment(p)) {
        fields.set(p.name.text, this.identifier(p.name, frame));
      } else if (ts.isSpreadAssignment(p)) {
        spreads.push(this.expression(p.expression, frame));
      } else if (ts.isGetAccessorDeclaration(p) && p.body) {
        const key = propertyNameText(p.name);
        const inner = this.newFrame(p, new Env(frame.env), frame.owner ?? frame);
        this.statement(p.body, inner);
        if (key) fields.set(key, union(...inner.returns));
      }
    }
    return objectValue(fields, spreads);
  }

  // ---- member reads -------------------------------------------------------------------------------------

  private memberAccess(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, frame: Frame): Value {
    const base = this.expression(node.expression, frame);
    let name: string | undefined;
    if (ts.isPropertyAccessExpression(node)) name = node.name.text;
    else {
      const arg = node.argumentExpression;
      if (ts.isStringLiteralLike(arg)) name = arg.text;
      else if (ts.isNumericLiteral(arg)) return base.tuple?.[Number(arg.text)] ?? base; // an element carries what the array carries
      else {
        this.expression(arg, frame);
        return flatten(base); // any member
      }
    }
    // `.length`, `.size`, `.count`: numbers computed from the data are not health data.
    if (NUMERIC_RESULT.test(name) || PRISMA_AGGREGATE.test(name)) return EMPTY;
    return this.readMember(base, this.memberReadOf(node, name));
  }

  /** What the syntax site knows about `base.name`: classification by tag, type, or name in context. */
  private memberReadOf(node: ts.Node, name: string): MemberRead {
    const cached = this.memberReads.get(node);
    if (cached) return cached;
    const baseExpression = ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? node.expression : undefined;
    let baseType: ts.Type | undefined;
    if (baseExpression) baseType = this.checker.getTypeAtLocation(baseExpression);
    else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) baseType = this.checker.getTypeAtLocation(node.parent);
    else if ((ts.isShorthandPropertyAssignment(node) || ts.isPropertyAssignment(node)) && ts.isObjectLiteralExpression(node.parent)) baseType = this.checker.getTypeAtLocation(node.parent);
    const baseName = baseExpression ? nameOfExpression(baseExpression) : undefined;
    const classification = isAggregateName(name) ? undefined : this.types.classifyMember(baseType, name, baseName);
    // The member's own type only matters for a name that counts records (a type query per member read otherwise).
    const count = (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isCountOfRecords(name, this.classifierOptions()) && (this.checker.getTypeAtLocation(node).flags & ts.TypeFlags.NumberLike) !== 0;
    const read: MemberRead = {
      name,
      classification,
      count,
      typedClean: !classification && this.types.isTypedMember(baseType, name),
      location: locationOf(node),
      text: shortText(node),
    };
    this.memberReads.set(node, read);
    return read;
  }

  /**
   * A member read written against a loose type (`c: { reason: string }`) and resolved at a call site where the
   * value is a known record (a Prisma `Consultation`): the name is judged again inside that record.
   */
  private inRecordContext(read: MemberRead, record: HealthLabel): HealthLabel | undefined {
    if (read.name === CALL || BARE_ID.test(read.name) || DEMOGRAPHIC.test(read.name)) return undefined;
    const c = classifyName(read.name, { container: record.reason.matched }, this.classifierOptions());
    if (!c) return undefined;
    return { categories: c.categories, reason: c.reason, source: read.location, sourceText: read.text, steps: [], nameOnlyFallback: record.nameOnlyFallback };
  }

  /** Calling a function value at this site: what its declared return type says. */
  private callReadOf(node: ts.CallExpression): MemberRead {
    const cached = this.memberReads.get(node);
    if (cached) return cached;
    const type = this.checker.getTypeAtLocation(node);
    const byType = this.types.isUnknown(type) ? undefined : this.types.classifyType(type);
    const read: MemberRead = { name: CALL, classification: byType, typedClean: !byType, location: locationOf(node), text: shortText(node) };
    this.memberReads.set(node, read);
    return read;
  }

  /** Reads a member of a value (also used to resolve parameter paths at call sites). */
  readMember(base: Value, read: MemberRead): Value {
    if (read.count) return EMPTY;
    if (read.name === CALL) {
      // A function is not data: only what it returns, known where it was defined, through the parameter,
      // or, for a function we know nothing about, by its declared return type.
      const params = base.params.map((p) => ({ ...p, path: [...p.path, read] }));
      const c = read.classification;
      const labels: HealthLabel[] = base.opaque && !base.callResult && c ? [{ categories: c.categories, reason: c.reason, source: read.location, sourceText: read.text, steps: [], record: c.record, nameOnlyFallback: c.nameOnly || undefined }] : [];
      return union(base.callResult ?? EMPTY, { labels, opaque: base.opaque && !base.callResult, params, pseudonyms: [] });
    }
    if (base.fields?.has(read.name)) return base.fields.get(read.name)!;
    const params: ParamRef[] = base.params.map((p) => ({ ...p, path: [...p.path, read] }));
    const labels: HealthLabel[] = [];
    let fresh = false;
    for (const l of base.labels) {
      if (l.anonymised) labels.push(l);
      else if (!l.record) labels.push(l); // part of a health value is health data
      else if (read.classification) fresh = true;
      else if (this.inRecordContext(read, l)) labels.push(this.inRecordContext(read, l)!);
      else if (!read.typedClean && l.nameOnlyFallback && !DEMOGRAPHIC.test(read.name) && !BARE_ID.test(read.name)) labels.push(l); // untyped query result: `rows`, `data`
    }
    const anonymised = base.labels.length > 0 && base.labels.every((l) => l.anonymised);
    if (!anonymised && read.classification && (fresh || (base.opaque && !base.fields))) {
      const c = read.classification;
      labels.push({
        categories: c.categories,
        reason: c.reason,
        source: read.location,
        sourceText: read.text,
        steps: [],
        record: c.record,
        nameOnlyFallback: c.nameOnly || undefined,
        pseudonymised: base.labels.some((l) => l.pseudonymised) || undefined,
      });
    }
    return { labels, params, opaque: base.opaque && !base.fields, pseudonyms: read.name.match(/id$/i) ? base.pseudonyms : [] };
  }

  // ---- calls --------------------------------------------------------------------------------------------

  private call(node: ts.CallExpression, frame: Frame): Value {
    const callee = skipParens(node.expression);
    // IIFE
    if (isFunctionLikeExpression(callee)) return this.inlineCallback(callee, node.arguments.map((a) => this.expression(a, frame)), frame, false);
    if (callee.kind === ts.SyntaxKind.SuperKeyword || callee.kind === ts.SyntaxKind.ImportKeyword) {
      node.arguments.forEach((a) => this.expression(a, frame));
      return EMPTY;
    }
    const receiverExpression = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : undefined;
    const receiver = receiverExpression ? this.expression(receiverExpression, frame) : EMPTY;
    // Calling a function received as a parameter: what it returns is known at each call site.
    if (ts.isIdentifier(callee)) {
      const symbol = this.checker.getSymbolAtLocation(callee);
      const known = symbol && frame.env.lookup(symbol);
      if (known && (known.params.length > 0 || known.callResult)) {
        node.arguments.forEach((a) => this.expression(a, frame));
        return this.readMember(known, this.callReadOf(node));
      }
    }
    const target = describeCallee(node, this.checker);
    const args = node.arguments.map((a) => {
      if (!isFunctionLikeExpression(a)) return this.expression(a, frame);
      // Callbacks handed to project functions are analysed inline; the callee may call them.
      return target.kind === 'project' ? { ...EMPTY, callResult: this.inlineCallback(a, [], frame, false) } : EMPTY;
    });

    if (target.kind === 'project') return this.projectCall(node, target.declaration, target.name, args, frame);
    return this.libraryCall(node, target, receiver, args, frame);
  }

  private projectCall(node: ts.CallExpression | ts.NewExpression, fn: ts.FunctionLikeDeclaration, name: string, args: Value[], frame: Frame): Value {
    this.noteCall(fn);
    const tags = jsdocTagNames(fn);
    const step: FlowStep = { kind: 'call', location: locationOf(node), description: `passed to \`${name}\`` };
    if (this.isAnonymiser(fn) || this.configured(this.options.config.anonymisers, fn, name)) {
      this.noteAnonymiser(fn);
      return anonymise(union(...args), { kind: 'anonymise', location: locationOf(node), description: `anonymised by \`${name}\`` });
    }
    if (tags.has('pseudonymises') || tags.has('pseudonymizes') || this.configured(this.options.config.pseudonymisers, fn, name) || PSEUDONYMISER_NAME.test(name)) {
      // Its own sinks still count; its result is a pseudonym of its inputs.
      this.applySummary(node, fn, args, frame);
      return pseudonymise(union(...args), { kind: 'pseudonymise', location: locationOf(node), description: `pseudonymised by \`${name}\`` });
    }
    const result = this.applySummary(node, fn, args, frame);
    return withStep(result, { ...step, kind: 'return', description: `returned by \`${name}\`` });
  }

  private configured(list: string[] | undefined, fn: ts.FunctionLikeDeclaration, name: string): boolean {
    if (!list || list.length === 0) return false;
    const file = fn.getSourceFile().fileName;
    return list.some((entry) => {
      const [module, fnName] = entry.includes('#') ? entry.split('#') : [undefined, entry];
      return fnName === name && (!module || file.includes(module.replace(/^\.\//, '')));
    });
  }

  private applySummary(node: ts.CallExpression | ts.NewExpression, fn: ts.FunctionLikeDeclaration, args: Value[], frame: Frame): Value {
    const summary = this.summaryOf(fn);
    const callStep: FlowStep = { kind: 'call', location: locationOf(node), description: `passed to \`${functionDisplayName(fn)}\`` };
    this.applyPending(summary, args, frame, callStep);
    return this.substitute(summary.returns, args);
  }

  /** Instantiates a callee's parameter-dependent hits and throws with the actual arguments. */
  private applyPending(summary: Summary, args: Value[], frame: Frame, callStep: FlowStep | undefined): void {
    const target = frame.owner ?? frame;
    for (const hit of summary.hits) {
      const candidates = hit.candidates
        .map((c) => ({ location: c.location, value: flatten(this.substitute(c.value, args)) }))
        .filter((c) => reachesSink(c.value));
      if (candidates.length === 0) continue;
      target.summary.hits.push({
        ...hit,
        candidates,
        callPath: callStep ? [callStep, ...hit.callPath] : hit.callPath,
        chain: [...hit.chain, ...frame.chain.filter((c) => !hit.chain.some((h) => h.file === c.file && h.functionName === c.functionName))],
      });
    }
    for (const thrown of summary.throws) {
      const value = this.substitute(thrown.value, args);
      if (frame.tryDepth > 0) {
        frame.caught[frame.caught.length - 1]?.push(value);
        continue;
      }
      if (labelsAtRisk(flatten(value)).length === 0 && value.params.length === 0) continue;
      (frame.isRequestHandler ? frame : target).summary.throws.push({ ...thrown, value, callPath: callStep ? [callStep, ...thrown.callPath] : thrown.callPath });
    }
  }

  private applyRecordHint(v: Value, hint: MemberRead): Value {
    if (!v.opaque || v.labels.length > 0 || v.fields) return v;
    const c = hint.classification!;
    return { ...v, labels: [{ categories: c.categories, reason: c.reason, source: hint.location, sourceText: hint.text, steps: [], record: true, nameOnlyFallback: c.nameOnly || undefined }] };
  }

  /** Replaces parameter references by what the arguments carry. */
  private substitute(value: Value, args: Value[]): Value {
    if (!hasParams(value)) return value;
    const resolved = value.params.map((ref) => {
      let v = args[ref.index] ?? EMPTY;
      ref.path.forEach((read, depth) => {
        if (ref.recordHint?.atDepth === depth) v = this.applyRecordHint(v, ref.recordHint.read);
        v = this.readMember(v, read);
      });
      if (ref.recordHint?.atDepth === ref.path.length) v = this.applyRecordHint(v, ref.recordHint.read);
      for (const step of ref.steps) v = withStep(v, step);
      if (ref.anonymised) v = anonymise(v, ref.steps[ref.steps.length - 1] ?? { kind: 'anonymise', location: ref.path[0]?.location, description: 'anonymised' } as FlowStep);
      if (ref.pseudonymised) v = pseudonymise(v, ref.steps[ref.steps.length - 1]);
      return v;
    });
    const fields = value.fields ? new Map([...value.fields].map(([k, f]) => [k, this.substitute(f, args)])) : undefined;
    const own: Value = { labels: value.labels, opaque: value.opaque, params: [], pseudonyms: value.pseudonyms, fields };
    return union(own, ...resolved);
  }

  private libraryCall(node: ts.CallExpression, callee: LibraryCallee, receiver: Value, args: Value[], frame: Frame): Value {
    const name = callee.name;
    const location = locationOf(node);

    const pseudonymiser = matchPseudonymiser(callee, receiver);
    if (pseudonymiser) {
      return pseudonymise(union(receiver, ...args), { kind: 'pseudonymise', location, description: pseudonymiser });
    }
    const sink = matchCallSink(node, callee, this.checker, this.options.config, frame.function.getSourceFile());
    if (sink) this.sinkCall(node, sink, receiver, args, frame);

    // Callbacks: array methods and promises bind their parameters to the elements; other callbacks are entries.
    const callbackResult = this.libraryCallbacks(node, callee, receiver, args, frame);
    if (callbackResult) return callbackResult;

    if (sink) return sink.description.kind === 'export' && /fetch|request|post|get|put|patch/.test(name) ? OPAQUE : EMPTY;

    // Mutations: the receiver (or first argument for helpers like book_append_sheet) now holds the data.
    if (MUTATORS.test(name) && receiverExpressionOf(node)) {
      const added = union(...args.slice(name === 'set' ? 1 : 0));
      this.mutate(receiverExpressionOf(node)!, added, frame);
      if (name === 'book_append_sheet' || name === 'sheet_add_json') this.mutate(node.arguments[0], args[1] ?? EMPTY, frame);
      return receiver;
    }
    if (name === 'assign' && callee.path[0] === 'Object' && node.arguments[0]) {
      const merged = union(...args);
      this.mutate(node.arguments[0], merged, frame);
      return merged;
    }
    // Mapping tables: `studyIds.get(patient.id)` replaces an identifier by another stable one.
    if (name === 'get' && node.arguments.length === 1 && IDENTIFIER_TEXT.test(node.arguments[0].getText()) && /map|mapping|lookup|table|ids|alias|pseudonym|study|registry|index/i.test(callee.receiverName ?? '')) {
      return pseudonymise(args[0], { kind: 'pseudonymise', location, description: `mapped through \`${callee.receiverName}\` (a lookup table)` });
    }
    if (callee.path[0] === 'JSON' && name === 'stringify') {
      return withStep(flatten(args[0] ?? EMPTY), { kind: 'serialise', location, description: 'serialised with JSON.stringify' });
    }
    if (callee.path[0] === 'JSON' && name === 'parse') return { ...flatten(args[0] ?? EMPTY), opaque: true };
    if (callee.path[0] === 'Object' && name === 'keys') return EMPTY;
    if (callee.path[0] === 'Object' && /^(values|entries|fromEntries|freeze)$/.test(name)) return flatten(args[0] ?? EMPTY);
    // React state: `const [draft, setDraft] = useState(initial)` holds what it was initialised with.
    if (/^(useState|useRef|useMemo|useDeferredValue)$/.test(name) && node.arguments[0]) {
      const first = skipParens(node.arguments[0]);
      const initial = isFunctionLikeExpression(first) ? this.inlineCallback(first, [], frame, false) : args[0];
      if (name === 'useRef') return objectValue(new Map([['current', initial]]));
      // What the state holds is also what its declared type says (a draft restored from storage, set later).
      const state = union(initial, this.libraryOrigin(node, callee));
      return { ...state, tuple: [state, EMPTY] };
    }
    // `form.get('diagnosis')`, `params.get('allergy')`: a lookup by a literal key reads that field.
    if (/^(get|getAll)$/.test(name) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]) && receiverExpressionOf(node)) {
      return this.readMember(receiver.opaque || isEmpty(receiver) ? { ...receiver, opaque: true } : receiver, this.memberReadOf(node, node.arguments[0].text));
    }
    if (/^(Number|parseInt|parseFloat|Boolean|isNaN|isFinite)$/.test(name) || callee.path[0] === 'Math' || callee.path[0] === 'Date') return EMPTY;
    if (callee.path[0] === 'Promise' && /^(all|allSettled)$/.test(name) && args.length === 1) return args[0];
    if (callee.path[0] === 'Promise' || SERIALISERS.test(name) || /^(String|Array|structuredClone|Buffer)$/.test(callee.path[0] ?? '')) {
      const passed = union(receiver.params.length || receiver.labels.length ? receiver : EMPTY, ...args);
      return SERIALISERS.test(name) ? withStep(flatten(passed), { kind: 'serialise', location, description: `passed through \`${name}\`` }) : passed;
    }
    if (node === this.discarded) return EMPTY;
    if (NUMERIC_RESULT.test(name) || this.isNumeric(node)) return EMPTY;

    // Methods of a value carrying health data return (part of) that data.
    const fromReceiver = !isEmpty(receiver) && (PASS_THROUGH_METHODS.test(name) || !callee.resolved || this.types.isUnknown(this.checker.getTypeAtLocation(node))) ? receiver : EMPTY;
    return union(fromReceiver, this.libraryOrigin(node, callee));
  }

  private sinkCall(node: ts.CallExpression, sink: SinkMatch, receiver: Value, args: Value[], frame: Frame): void {
    const indexes = sink.dataArgs ?? args.map((_, i) => i);
    const values = indexes
      .filter((i) => node.arguments[i] && !isFunctionLikeExpression(node.arguments[i]))
      .map((i) => ({ node: node.arguments[i] as ts.Node, value: args[i] }));
    if (sink.receiverIsData) values.push({ node, value: receiver });
    this.recordCandidates(frame, sink.description, node, node.getText(), values);
  }

  /** Results of library calls we know nothing about: data access by type, or by names when types are missing. */
  private libraryOrigin(node: ts.CallExpression, callee: LibraryCallee): Value {
    // Grouped counts (`... COUNT(*) ... GROUP BY allergy`): rows of categories and numbers, whatever their type says.
    // Only data-access calls carry query text: the check stays off the hot path of every other library call.
    const dataAccess = DATA_ACCESS.test(callee.name) || callee.path.some((p) => DATA_ACCESS.test(p));
    if (dataAccess && node.arguments.some((arg) => isAggregateQuery((ts.isTemplateExpression(arg) ? arg.getText() : constantPrefix(arg, this.checker)) ?? ''))) return EMPTY;
    const type = this.checker.getTypeAtLocation(node);
    if (!this.types.isUnknown(type)) {
      const byType = this.types.classifyType(type);
      if (byType) return { labels: [this.label(byType, node, false)], opaque: true, params: [], pseudonyms: [] };
      // Typed, but generic over untyped rows (`pool.query(sql)` is a `QueryResult<any>`): the names still speak.
      if (!this.types.hasAnyTypeArgument(type)) return OPAQUE;
    }
    // Types missing, but the call says what it returns: `query<ResourceRow<Observation>>(...)`, `useState<Note>()`.
    for (const argument of node.typeArguments ?? []) {
      const byArgument = this.types.classifyTypeNode(argument);
      if (byArgument) return { labels: [this.label(byArgument, node, true)], opaque: true, params: [], pseudonyms: [] };
    }
    // Types missing: a data-access call names its model or table (`prisma.patient.findMany`, `FROM consultations`).
    if (!dataAccess) return OPAQUE;
    // ...unless it computes aggregates (`Patient.countDocuments()`, a `$group` pipeline): numbers, not records.
    if (AGGREGATING_CALL.test(callee.name) || (callee.name === 'aggregate' && /\$(group|count|bucket|sortByCount)\b/.test(node.arguments.map((a) => a.getText()).join(' ')))) return OPAQUE;
    const options = this.classifierOptions();
    for (const part of [...callee.path].reverse()) {
      const record = classifyRecordName(part, options);
      if (record) return { labels: [this.label({ ...record, record: true, nameOnly: true }, node, true)], opaque: true, params: [], pseudonyms: [] };
    }
    for (const arg of node.arguments) {
      // The query text, written there or in a constant (`pool.query(RESULTS_SINCE, [since])`).
      const text = ts.isTemplateExpression(arg) ? arg.getText() : constantPrefix(arg, this.checker);
      const fromSql = text ? this.classifySql(text, arg) : undefined;
      if (fromSql) return { labels: [fromSql], opaque: true, params: [], pseudonyms: [] };
    }
    // Query builders name the table in an inner call: `knex('patients').where(...)`, `db.collection('consultations')`.
    for (const inner of innerCalls(node.expression)) {
      for (const arg of inner.arguments) {
        if (!ts.isStringLiteralLike(arg)) continue;
        const record = classifyRecordName(arg.text, options);
        if (record) return { labels: [this.label({ ...record, record: true, nameOnly: true }, node, true)], opaque: true, params: [], pseudonyms: [] };
      }
    }
    return OPAQUE;
  }

  private classifySql(text: string, node: ts.Node): HealthLabel | undefined {
    const options = this.classifierOptions();
    const table = /\b(?:from|join|into|update)\s+["'`]?([A-Za-z_][\w.]*)/gi;
    for (const m of text.matchAll(table)) {
      const record = classifyRecordName(m[1].split('.').pop()!, options);
      if (record) return { ...this.label({ ...record, record: true, nameOnly: true }, node, true), reason: { ...record.reason, kind: 'query', text: `the query reads table \`${m[1]}\` (${record.categories.join(', ')})` } };
    }
    const select = /\bselect\s+([\s\S]+?)\s+from\b/i.exec(text);
    if (select) {
      for (const column of select[1].split(',')) {
        const name = column.trim().split(/\s+as\s+|\s+/i).pop()!.replace(/["'`]/g, '').split('.').pop()!;
        const c = classifyName(name, {}, options);
        if (c) return { ...this.label({ ...c, record: false, nameOnly: true }, node, true), reason: { ...c.reason, kind: 'query', text: `the query selects column \`${name}\` (${c.categories.join(', ')})` } };
      }
    }
    return undefined;
  }

  private mutate(target: ts.Expression, value: Value, frame: Frame): void {
    if (isEmpty(value)) return;
    let root = skipParens(target);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = skipParens(root.expression);
    if (!ts.isIdentifier(root)) return;
    const symbol = this.checker.getSymbolAtLocation(root);
    if (!symbol) return;
    // `bucket.weights.push(w)`: the field grows, the rest of the object keeps its shape.
    const direct = skipParens(target);
    const current = frame.env.lookup(symbol);
    if (ts.isPropertyAccessExpression(direct) && skipParens(direct.expression) === root && current?.fields) {
      const fields = new Map(current.fields);
      const field = direct.name.text;
      fields.set(field, fields.has(field) ? union(fields.get(field)!, flatten(value)) : flatten(value));
      frame.env.define(symbol, { ...current, fields });
      return;
    }
    frame.env.assign(symbol, flatten(value));
    // `const sheet = workbook.addWorksheet()`: writing to the sheet writes to the workbook.
    const declaration = symbol.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      let init = skipParens(declaration.initializer);
      if (ts.isAwaitExpression(init)) init = init.expression;
      if (ts.isCallExpression(init) && (ts.isPropertyAccessExpression(init.expression))) {
        let owner = skipParens(init.expression.expression);
        while (ts.isPropertyAccessExpression(owner)) owner = skipParens(owner.expression);
        if (ts.isIdentifier(owner) && owner.text !== root.text) {
          const ownerSymbol = this.checker.getSymbolAtLocation(owner);
          if (ownerSymbol && ownerSymbol.valueDeclaration?.getSourceFile() === declaration.getSourceFile()) frame.env.assign(ownerSymbol, flatten(value));
        }
      }
    }
  }

  private libraryCallbacks(node: ts.CallExpression, callee: LibraryCallee, receiver: Value, args: Value[], frame: Frame): Value | undefined {
    const name = callee.name;
    const callbacks = node.arguments.map((a) => ({ a: skipParens(a) }));
    const hasCallback = callbacks.some(({ a }) => isFunctionLikeExpression(a) || (ts.isIdentifier(a) && projectFunctionOfExpression(a, this.checker)));
    if (!hasCallback) return undefined;
    const element = receiver;
    const results: Value[] = [];
    for (const { a } of callbacks) {
      let parameters: Value[];
      let isHandler = false;
      if (/^(map|flatMap|filter|find|findLast|forEach|some|every|findIndex|findLastIndex|sort|toSorted|groupBy)$/.test(name)) parameters = [element, EMPTY, element];
      else if (/^(reduce|reduceRight)$/.test(name)) parameters = [args[1] ?? EMPTY, element];
      else if (/^(then|catch|finally)$/.test(name)) parameters = [receiver];
      else if (name === 'all' || name === 'race') parameters = [];
      else {
        // A callback registered with a framework or a library (route handler, event listener, job processor).
        parameters = [];
        isHandler = HANDLER_REGISTRATION.test(name);
      }
      if (isFunctionLikeExpression(a)) {
        results.push(this.inlineCallback(a, parameters, frame, isHandler, callee));
      } else if (ts.isIdentifier(a) && parameters.length === 0 && returnsResponse(callee)) {
        const fn = projectFunctionOfExpression(a, this.checker);
        if (fn) this.noteRegistration(fn);
      } else if (ts.isIdentifier(a) && parameters.length > 0) {
        const fn = projectFunctionOfExpression(a, this.checker);
        // `rows.map(toDto)`, `rows.map(pseudonymise)`: the same as calling it (anonymisers and pseudonymisers included).
        if (fn) results.push(this.projectCall(node, fn, a.text, parameters.slice(0, fn.parameters.length || 1), frame));
      }
    }
    if (/^(map|flatMap|then)$/.test(name)) return union(...results);
    if (/^(filter|find|findLast)$/.test(name)) return this.narrowedByTypeGuard(node, receiver);
    if (/^(sort|toSorted|catch|finally)$/.test(name)) return union(receiver, ...(name === 'catch' ? results : []));
    // A reduction that starts from a number (`reduce((sum, g) => sum + g.n, 0)`) computes a number.
    if (/^(reduce|reduceRight)$/.test(name)) return this.isNumeric(node) || (node.arguments[1] && ts.isNumericLiteral(skipParens(node.arguments[1]))) ? EMPTY : union(args[1] ?? EMPTY, ...results);
    if (/^(forEach|some|every|findIndex|findLastIndex)$/.test(name)) return EMPTY;
    return undefined;
  }

  /** What a type annotation or assertion says, through the checker or, when it cannot resolve it, by its name. */
  private declaredHealthType(node: ts.TypeNode): HealthClassification | undefined {
    const type = this.checker.getTypeFromTypeNode(node);
    return this.types.isUnknown(type) ? this.types.classifyTypeNode(node) : this.types.classifyType(type);
  }

  /** `.filter((r): r is Immunization => ...)`: a type guard says what the kept elements are. */
  private narrowedByTypeGuard(node: ts.CallExpression, receiver: Value): Value {
    const guard = node.arguments[0] && skipParens(node.arguments[0]);
    if (!guard || !isFunctionLikeExpression(guard) || !guard.type || !ts.isTypePredicateNode(guard.type) || !guard.type.type) return receiver;
    if (receiver.labels.length > 0) return receiver;
    const byType = this.declaredHealthType(guard.type.type);
    return byType ? { ...receiver, labels: [this.label(byType, node, false)] } : receiver;
  }

  /** Analyses a callback in its enclosing frame: closures see the enclosing variables. */
  private inlineCallback(fn: ts.ArrowFunction | ts.FunctionExpression, parameters: Value[], frame: Frame, isHandler: boolean, callee?: LibraryCallee): Value {
    const inner = this.newFrame(fn, new Env(frame.env), frame.owner ?? frame);
    if (isHandler && callee) {
      inner.isRequestHandler = isRequestRegistration(callee);
      inner.returnsAreResponses = returnsResponse(callee);
    }
    fn.parameters.forEach((p, i) => this.bindParameter(p, i < parameters.length ? parameters[i] : this.entryParameterValue(p), inner));
    this.functionBody(fn, inner);
    if (inner.isRequestHandler) for (const thrown of inner.summary.throws) this.emitThrow(thrown, fn.getSourceFile().fileName);
    return union(...inner.returns);
  }

  private inlineCallbackArguments(node: ts.CallExpression | ts.NewExpression, frame: Frame): void {
    for (const a of node.arguments ?? []) {
      const e = skipParens(a);
      if (isFunctionLikeExpression(e)) this.inlineCallback(e, [], frame, false);
    }
  }

  private newExpression(node: ts.NewExpression, frame: Frame): Value {
    const args = (node.arguments ?? []).map((a) => (isFunctionLikeExpression(a) ? EMPTY : this.expression(a, frame)));
    const className = ts.isIdentifier(node.expression) ? node.expression.text : ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : '';
    const callee = describeCallee(node, this.checker);
    if (callee.kind === 'project') {
      this.inlineCallbackArguments(node, frame);
      this.projectCall(node, callee.declaration, className, args, frame);
      return flatten(union(...args));
    }
    this.inlineCallbackArguments(node, frame);
    if (/^(Response|NextResponse)$/.test(className) && node.arguments?.[0]) {
      this.recordHit(frame, { kind: 'export', label: `HTTP response (new ${className})`, matchedBy: callee.resolved ? 'symbol' : 'name' }, node.arguments[0], node.getText(), args[0]);
    }
    if (/^(Date|Intl|RegExp|AbortController|EventEmitter|Worker|PDFDocument)$/.test(className)) return EMPTY;
    if (ERROR_CLASSES.test(className)) return withStep(flatten(union(...args)), { kind: 'assign', location: locationOf(node), description: `put in a \`${className}\`` });
    return flatten(union(...args));
  }

  private jsx(node: ts.Node, frame: Frame): void {
    const visit = (n: ts.Node): void => {
      if (ts.isJsxAttribute(n) && n.initializer && ts.isJsxExpression(n.initializer) && n.initializer.expression) {
        const value = this.expression(n.initializer.expression, frame);
        const attribute = n.name.getText();
        if (/^(href|to|action|formAction)$/.test(attribute)) {
          this.recordHit(frame, { kind: 'browser', label: `URL (link ${attribute})`, matchedBy: 'symbol' }, n.initializer.expression, n.getText(), value);
        }
        return;
      }
      if (ts.isJsxExpression(n) && n.expression) {
        this.expression(n.expression, frame);
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
  }

  // ---- framework knowledge ------------------------------------------------------------------------------

  /** NestJS controller methods, Next.js route handlers, GraphQL resolvers: what they return is the response. */
  private returnsAreResponses(fn: ts.FunctionLikeDeclaration): boolean {
    if (this.responseHandlers.has(fn)) return true;
    // Apollo's error and response formatters: what they return is sent to the GraphQL client.
    const name = functionDisplayName(fn);
    if (/^format(Error|Response)$/.test(name) && /@apollo\/server|apollo-server|graphql/.test(fn.getSourceFile().text.slice(0, 4000))) return true;
    if (ts.isMethodDeclaration(fn) && ts.isClassDeclaration(fn.parent)) {
      const classDecorators = ts.getDecorators(fn.parent) ?? [];
      const methodDecorators = ts.getDecorators(fn) ?? [];
      const decoratorName = (d: ts.Decorator) => (ts.isCallExpression(d.expression) ? d.expression.expression.getText() : d.expression.getText());
      if (classDecorators.some((d) => /^(Controller|Resolver)$/.test(decoratorName(d))) && methodDecorators.some((d) => /^(Get|Post|Put|Patch|Delete|All|Query|Mutation|ResolveField|MessagePattern|EventPattern|Head|Options)$/.test(decoratorName(d)))) {
        return !methodDecorators.some((d) => decoratorName(d) === 'Res') && !fn.parameters.some((p) => (ts.getDecorators(p) ?? []).some((d) => /^Res(ponse)?$/.test(decoratorName(d))));
      }
    }
    if (ts.isFunctionDeclaration(fn) && fn.name && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(fn.name.text) && /[\\/]route\.[jt]sx?$/.test(fn.getSourceFile().fileName)) return true;
    // AWS Lambda behind API Gateway / a function URL: the returned `{ statusCode, body }` is the HTTP response.
    const holderType = holderTypeText(fn);
    if (holderType && /APIGateway|ALBHandler|LambdaFunctionURL|Handler<APIGateway/.test(holderType)) return true;
    // GraphQL resolver maps: const resolvers = { Query: { patient: (...) => ... } }
    const parent = fn.parent;
    if (parent && (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(fn)) ) {
      const object = ts.isPropertyAssignment(parent) ? parent.parent : fn.parent;
      const owner = object?.parent;
      if (owner && ts.isPropertyAssignment(owner) && /^(Query|Mutation|Subscription)$/.test(propertyNameText(owner.name) ?? '')) return true;
    }
    return false;
  }

  /** Handlers whose returns are not the response but which serve requests (`(req, res) => ...`); newFrame checks returns first. */
  private isRequestHandler(fn: ts.FunctionLikeDeclaration): boolean {
    if (ts.isFunctionDeclaration(fn) && fn.name && /^(GET|POST|PUT|PATCH|DELETE)$/.test(fn.name.text)) return true;
    // (req, res) / (req, res, next) handlers declared as named functions and registered elsewhere.
    const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
    return names.length >= 2 && /^req(uest)?$/.test(names[0]) && /^(res|response|reply)$/.test(names[1]);
  }
}

/** HEALTH_DATA_LINT_TRACE=1 prints every sink the interpreter reaches and what the values carry (for rule authors). */
const TRACE = !!process.env.HEALTH_DATA_LINT_TRACE;

function trace(message: string): void {
  process.stderr.write(`[health-data-lint] ${message}\n`);
}

function locationText(node: ts.Node): string {
  const sf = node.getSourceFile();
  return `${sf.fileName.split(/[\\/]/).slice(-2).join('/')}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
}

function describeValue(v: Value): string {
  const labels = v.labels.map((l) => `${l.anonymised ? 'anon:' : ''}${l.pseudonymised ? 'pseudo:' : ''}${l.sourceText}`);
  const params = v.params.map((p) => `param${p.index}${p.path.map((m) => '.' + m.name).join('')}`);
  return `[${[...labels, ...params].join(', ')}]${v.opaque ? ' opaque' : ''}${v.pseudonyms.length ? ' pseudonym' : ''}`;
}

/** The member name that stands for calling a function value. */
const CALL = '()';

/** Database calls that return numbers computed from the rows. */
const AGGREGATING_CALL = /^(count|countDocuments|estimatedDocumentCount|groupBy|sum|avg|average|min|max|distinct|countBy)$/;

/** The call an expression statement makes (`await` and parentheses aside), whose value nothing reads. */
function droppedCall(expression: ts.Expression): ts.Node | undefined {
  let inner = skipParens(expression);
  if (ts.isAwaitExpression(inner)) inner = skipParens(inner.expression);
  return ts.isCallExpression(inner) ? inner : undefined;
}

/** `SELECT allergy, COUNT(*) ... GROUP BY allergy`: counts per category are not health data (contract). */
function isAggregateQuery(text: string): boolean {
  return /\bgroup\s+by\b/i.test(text) && /\b(count|sum|avg)\s*\(/i.test(text);
}

/** `consultations`, `patients`, `nbConsultations` as a number: how many records, not what they hold. */
function isCountOfRecords(name: string, options: ClassifierOptions): boolean {
  return /s$/.test(name) && !!classifyRecordName(name, options);
}

/** Prisma aggregate results (`_count`, `_avg`...) are numbers computed from the data. */
const PRISMA_AGGREGATE = /^_(count|sum|avg|min|max)$/;

/** `patientId`, `encounter_id`, `userIds`: bare internal ids are not health data (contract). */
const BARE_ID = /(Id|_id|ID|Ids|_ids|IDs|Uuid|_uuid)$/;

const DEMOGRAPHIC = /^(id|_id|uuid|name|firstName|lastName|first_name|last_name|fullName|email|phone|address|city|birthDate|dateOfBirth|dob|gender|sex|createdAt|updatedAt|status|nom|prenom)$/i;
const IDENTIFIER_TEXT = /(\bid|Id|ID|_id|nir|Nir|ssn|Ssn|mrn|Mrn|ipp|Ipp|ins\b)\)?$/;

function hasParams(value: Value, depth = 0): boolean {
  if (value.params.length > 0) return true;
  if (!value.fields || depth > 6) return false;
  for (const f of value.fields.values()) if (hasParams(f, depth + 1)) return true;
  return !!value.tuple?.some((t) => hasParams(t, depth + 1));
}

function isPrimitive(type: ts.Type): boolean {
  return (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) !== 0;
}

function isRequestRegistration(callee: LibraryCallee): boolean {
  return /^(get|post|put|patch|delete|del|all|use|options|head|route|handler)$/.test(callee.name);
}

function returnsResponse(callee: LibraryCallee): boolean {
  // fastify and hono handlers, tRPC procedures: the returned value is sent to the client.
  // (`pool.query(sql, callback)` is a database call: only a procedure builder's query/mutation counts.)
  if (/^(query|mutation|subscription)$/.test(callee.name)) return /^@trpc\//.test(callee.module ?? '') || callee.path.some((p) => /procedure/i.test(p));
  return /^(fastify|hono|@trpc\/server|h3|elysia)$/.test(callee.module ?? '') || /^(fastify|server|app)$/.test(callee.receiverName ?? '') && /fastify/.test(callee.module ?? '');
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function nameOfExpression(e: ts.Expression): string | undefined {
  e = skipParens(e);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isCallExpression(e)) return nameOfExpression(e.expression);
  if (ts.isElementAccessExpression(e)) return nameOfExpression(e.expression);
  if (ts.isAwaitExpression(e)) return nameOfExpression(e.expression);
  return undefined;
}

/** The type annotation of the variable a function is assigned to (`export const handler: APIGatewayProxyHandler = ...`). */
function holderTypeNode(fn: ts.SignatureDeclaration): ts.TypeNode | undefined {
  let holder: ts.Node | undefined = fn.parent;
  while (holder && (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder))) holder = holder.parent;
  return holder && ts.isVariableDeclaration(holder) ? holder.type : undefined;
}

function holderTypeText(fn: ts.FunctionLikeDeclaration): string | undefined {
  return holderTypeNode(fn)?.getText();
}

function enclosingParameter(element: ts.BindingElement): ts.ParameterDeclaration | undefined {
  let n: ts.Node = element;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return ts.isParameter(n) ? n : undefined;
}

/** The binding elements from a parameter down to `element` (`{ a: { b } }` -> [a, b]). */
function bindingPathOf(element: ts.BindingElement): ts.BindingElement[] {
  const path: ts.BindingElement[] = [];
  for (let n: ts.Node = element; ts.isBindingElement(n); n = n.parent.parent) {
    if (ts.isObjectBindingPattern(n.parent)) path.unshift(n);
  }
  return path;
}

function bindingKey(element: ts.BindingElement): string | undefined {
  if (element.propertyName) return propertyNameText(element.propertyName);
  return ts.isIdentifier(element.name) ? element.name.text : undefined;
}

function rootDeclaration(d: ts.VariableDeclaration | ts.BindingElement): ts.VariableDeclaration {
  let n: ts.Node = d;
  while (!ts.isVariableDeclaration(n) && n.parent) n = n.parent;
  return n as ts.VariableDeclaration;
}

function skipUpParens(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent))) parent = parent.parent;
  return parent;
}

/** The calls a callee chain is built on: `knex('patients').where(x).first` -> [knex('patients'), ....where(x)]. */
function innerCalls(expression: ts.Expression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  for (let e = skipParens(expression); ; ) {
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = skipParens(e.expression);
    else if (ts.isCallExpression(e)) {
      calls.push(e);
      e = skipParens(e.expression);
    } else if (ts.isAwaitExpression(e)) e = skipParens(e.expression);
    else return calls.slice(0, 8);
  }
}

function receiverExpressionOf(node: ts.CallExpression): ts.Expression | undefined {
  const callee = skipParens(node.expression);
  return ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : undefined;
}

