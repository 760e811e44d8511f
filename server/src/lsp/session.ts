// The server's state for one workspace: its folders, their analysis units, the last result of each unit, and
// what was published. Analyses are debounced per unit and superseded by newer ones; diagnostics of files that
// no longer have findings are cleared.
import * as path from 'node:path';
import type { Diagnostic, Position } from 'vscode-languageserver';
import type { Finding, HealthField, SkippedFile } from '../engine/model';
import { sameObjects } from '../engine/findings';
import type { AnalysisOptions, AnalysisUnit, EarlyReply } from './analysis-unit';
import type { RunOutcome } from './analysis-runner';
import {
  ANALYSIS_BLOCKED_CODE,
  ANALYSIS_SKIPPED_CODE,
  diagnosticFromBlockingProblem,
  diagnosticFromFinding,
  diagnosticFromSkippedFile,
  diagnosticFromStaleEntry,
  diagnosticKey,
  rangeOf,
  STALE_REGISTER_ENTRY_CODE,
  ruleDocumentationUrl,
} from './diagnostics';
import type { StatusParams } from './protocol';
import { overridesOf, type ConfigOverrides, type Settings } from './settings';
import { findingKey } from './analysis-unit';
import type { FirstLookHints } from './unit-listing';
import { changeScopeOf, discoverAnalysisUnits, unitsContaining } from './workspace-projects';

export const ANALYSIS_DEBOUNCE_MS = 300;
/** Files the engine analyses (a first look is only worth it for them). */
const SCRIPT_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** What the session needs from the outside world (the connection, the worker): injected, so it can be tested. */
export interface SessionHost {
  publish(file: string, diagnostics: Diagnostic[]): void;
  sendStatus(status: StatusParams): void;
  log(message: string): void;
  settingsFor(folder: string): Promise<Settings>;
  /** With `focus`: a first look at those files only (see `ScanOptions.focus`); `knownVersion`: the findings held. */
  /** `early`: the open files' findings of an edit's analysis, ahead of its outcome (see `EarlyReply`). */
  analyse(unit: AnalysisUnit, overrides: ConfigOverrides, options: AnalysisOptions, early?: (reply: EarlyReply) => void): Promise<RunOutcome>;
  /** Loads what the unit's first analysis will need, ahead of it (see `PrepareRequest`). */
  prepare?(unit: AnalysisUnit, layout: number): void;
  /** Lists the unit and finds its files that declare globals, on this thread meanwhile (see `AnalysisRequest.hints`). */
  firstLookHints?(unit: AnalysisUnit): Promise<FirstLookHints | undefined>;
  /** Takes the stats of the unit's files while its analysis waits for the debounce (see `StatRequest`). */
  takeStats?(unit: AnalysisUnit, layout: number, disk: number): void;
  /** Files open in the editor under a directory. */
  openFilesUnder?(directory: string): string[];
  /** The set of findings changed (a unit's result was replaced): views built from findings refresh. */
  findingsChanged?(): void;
}

/** The findings and diagnostics one unit produced for one file. */
interface FileEntry {
  findings: { finding: Finding; diagnostic: Diagnostic }[];
  other: Diagnostic[];
}

interface UnitResult {
  files: Map<string, FileEntry>;
  /** The findings by key and their version (a full analysis): the worker's next answer may be a difference from them. */
  findings?: Map<string, Finding>;
  version?: string;
  /** The health-data fields the unit's analysis found, with their routes (CodeLens, flows filter). */
  fields: HealthField[];
  /** The register this unit's analysis read (it judges the register's entries only from this unit's files). */
  registerFile?: string;
  documentationBaseUrl?: string;
  failure?: string;
}

interface Folder {
  directory: string;
  units: AnalysisUnit[];
  results: Map<string, UnitResult>;
}

export class Session {
  private folders = new Map<string, Folder>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  /** What was last sent for each file: an analysis that changes nothing in a closed file sends nothing for it. */
  private readonly published = new Map<string, Diagnostic[]>();
  /** Diagnostics of open register/configuration documents, validated as typed (they replace `analysis-blocked`). */
  private readonly live = new Map<string, Diagnostic[]>();
  private lastInternalError: string | undefined;
  /** Counts the changes to which files exist and how folders are laid out (see `AnalysisRequest.layout`). */
  private layout = 0;
  /** Counts the changes on disk heard of (saves, watched files, closed documents): see `StatRequest`. */
  private disk = 0;
  /** Each unit's source files outside its folder, as its last analysis told (see `AnalysisResponse.outsideSources`). */
  private readonly outsideSources = new Map<string, ReadonlySet<string>>();
  /** Hints being found for a unit's first analysis, for the layout they were asked in (see `AnalysisRequest.hints`). */
  private readonly hints = new Map<string, { layout: number; hints: Promise<FirstLookHints | undefined> }>();

  constructor(private readonly host: SessionHost) {}

  /** Replaces the workspace folders (directories) and analyses what is new. */
  setFolders(directories: readonly string[]): void {
    const wanted = new Set(directories.map((d) => path.normalize(d)));
    for (const directory of [...this.folders.keys()]) if (!wanted.has(directory)) this.removeFolder(directory);
    for (const directory of wanted) if (!this.folders.has(directory)) this.addFolder(directory);
  }

  /** Rediscovers every folder's projects and analyses them all (settings or layout changed, or asked for). */
  analyseAll(): void {
    for (const folder of this.folders.values()) this.rediscover(folder);
  }

  /**
   * A file was saved in the editor or changed on disk. `created` or `deleted` (also a rename, or a watcher that cannot
   * tell): the folders' lists of files may have changed, and the worker must list them again.
   */
  fileChanged(file: string, change: 'changed' | 'created' | 'deleted' = 'changed'): void {
    this.disk++;
    this.scheduleFor(file, change, true);
  }

  /** An open document was edited: its buffer changed, not the disk. */
  documentChanged(file: string): void {
    this.scheduleFor(file, 'changed', false);
  }

  /**
   * Schedules the units the change concerns: those whose folder holds the file and, for a change on disk, those whose
   * Programs read it from outside their folder (a monorepo's package importing another's sources). An unsaved edit
   * is left to the file's own units: the others judge files outside their folder by the disk, and would analyse
   * again for nothing at every keystroke.
   */
  private scheduleFor(file: string, change: 'changed' | 'created' | 'deleted', onDisk: boolean): void {
    const normalised = path.normalize(file);
    const scope = changeScopeOf(normalised);
    if (scope === 'none') return;
    if (change !== 'changed') this.layout++;
    for (const folder of this.folders.values()) {
      if (scope === 'folder') {
        if (isInside(normalised, folder.directory)) this.rediscover(folder);
        continue;
      }
      const own = isInside(normalised, folder.directory) ? unitsContaining(folder.units, normalised) : [];
      const readers = onDisk ? folder.units.filter((unit) => !own.includes(unit) && this.outsideSources.get(unit.key)?.has(normalised)) : [];
      for (const unit of [...own, ...readers]) this.schedule(folder, unit);
    }
  }

  /** Sets (or clears, with undefined) the as-you-type diagnostics of a register or configuration document. */
  setLiveDiagnostics(file: string, diagnostics: Diagnostic[] | undefined): void {
    const normalised = path.normalize(file);
    if (diagnostics) this.live.set(normalised, diagnostics);
    else this.live.delete(normalised);
    this.publishFile(normalised);
  }

  /** The findings whose range contains `position` in `file`. */
  findingsAt(file: string, position: Position): Finding[] {
    return this.entriesOf(file)
      .flatMap((entry) => entry.findings)
      .filter(({ diagnostic }) => contains(diagnostic.range, position))
      .map(({ finding }) => finding);
  }

  /** Findings whose health-data source (not the sink) lies at `position` in `file`: the hover of a source field. */
  findingsFromSourceAt(file: string, position: Position): Finding[] {
    const normalised = path.normalize(file);
    return this.allFindings().filter((finding) =>
      (finding.sources ?? []).some((source) => path.normalize(source.location.file) === normalised && contains(rangeOf(source.location), position)),
    );
  }

  /** Every health-data field of the workspace, once each (units may overlap). */
  allFields(): HealthField[] {
    const seen = new Set<string>();
    return [...this.folders.values()]
      .flatMap((folder) => [...folder.results.values()].flatMap((result) => result.fields))
      .filter((field) => {
        const key = `${field.container}.${field.field}@${field.location.file}:${field.location.line}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }

  /** Every finding shown as a diagnostic, once each (units may overlap), in file order. */
  allFindings(): Finding[] {
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const folder of this.folders.values()) {
      for (const result of folder.results.values()) {
        for (const [file, entry] of result.files) {
          for (const { finding, diagnostic } of entry.findings) {
            const key = `${file}#${diagnosticKey(diagnostic.code, diagnostic.range)}`;
            if (seen.has(key)) continue;
            seen.add(key);
            findings.push(finding);
          }
        }
      }
    }
    return findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  }

  /** The finding behind a diagnostic the client sends back with a code action request. */
  findingOf(file: string, diagnostic: Diagnostic): Finding | undefined {
    const key = diagnosticKey(diagnostic.code, diagnostic.range);
    const findings = this.entriesOf(file).flatMap((entry) => entry.findings);
    const exact = findings.find((f) => diagnosticKey(f.diagnostic.code, f.diagnostic.range) === key);
    // Neovim 0.7.2 sends diagnostics back with byte columns instead of UTF-16 ones, so a line with non-ASCII text
    // before the finding misses the exact key: fall back to the same rule, lines and message.
    const sameLines = (f: (typeof findings)[number]) =>
      f.diagnostic.range.start.line === diagnostic.range.start.line && f.diagnostic.range.end.line === diagnostic.range.end.line;
    return (exact ?? findings.find((f) => f.diagnostic.code === diagnostic.code && sameLines(f) && f.diagnostic.message === diagnostic.message))?.finding;
  }

  documentationUrlOf(finding: Finding): string {
    const href = this.entriesOf(finding.location.file)
      .flatMap((entry) => entry.findings)
      .find((f) => f.finding === finding)?.diagnostic.codeDescription?.href;
    return href ?? ruleDocumentationUrl(finding.ruleId, '');
  }

  /** The workspace folder holding `file`, for relative paths in messages. */
  /** The editor settings of a workspace folder. */
  settingsOf(folder: string): Promise<Settings> {
    return this.host.settingsFor(folder);
  }

  folderOf(file: string): string | undefined {
    return [...this.folders.keys()].filter((d) => isInside(path.normalize(file), d)).sort((a, b) => b.length - a.length)[0];
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private addFolder(directory: string): void {
    const folder: Folder = { directory, units: [], results: new Map() };
    this.folders.set(directory, folder);
    this.rediscover(folder);
  }

  private removeFolder(directory: string): void {
    const folder = this.folders.get(directory);
    if (!folder) return;
    this.folders.delete(directory);
    const files = new Set([...folder.results.values()].flatMap((r) => [...r.files.keys()]));
    for (const unit of folder.units) this.cancel(unit);
    for (const file of files) this.publishFile(file);
    this.sendStatus();
  }

  private rediscover(folder: Folder): void {
    this.layout++;
    let units: AnalysisUnit[];
    try {
      units = discoverAnalysisUnits(folder.directory);
    } catch (error) {
      this.host.log(`cannot list the projects of ${folder.directory}: ${(error as Error).message}`);
      units = [];
    }
    const keys = new Set(units.map((u) => u.key));
    for (const old of folder.units) {
      if (keys.has(old.key)) continue;
      this.cancel(old);
      this.replaceResult(folder, old.key, undefined);
    }
    folder.units = units;
    // The libraries every unit loads first are loaded once, during the debounce below.
    const unanalysed = units.find((unit) => !folder.results.has(unit.key));
    if (unanalysed) {
      this.host.prepare?.(unanalysed, this.layout);
      // Caught at once: nobody may wait for them before the debounce ends, and the worker lists the unit without them.
      const hints = this.host.firstLookHints?.(unanalysed).catch((error: Error) => {
        this.host.log(`cannot list ${unanalysed.key} ahead of its analysis: ${error.message}`);
        return undefined;
      });
      if (hints) this.hints.set(unanalysed.key, { layout: this.layout, hints });
    }
    for (const unit of units) this.schedule(folder, unit);
    this.sendStatus();
  }

  private schedule(folder: Folder, unit: AnalysisUnit): void {
    clearTimeout(this.timers.get(unit.key));
    this.timers.set(
      unit.key,
      setTimeout(() => {
        this.timers.delete(unit.key);
        void this.runUnit(folder, unit);
      }, ANALYSIS_DEBOUNCE_MS),
    );
    // A unit's first analysis takes longer than the stats are trusted for: they would only delay its first look.
    if (folder.results.has(unit.key)) this.host.takeStats?.(unit, this.layout, this.disk);
    this.sendStatus();
  }

  /** A unit gone (its folder or its tsconfig removed): its pending analysis and the hints found for it are dropped. */
  private cancel(unit: AnalysisUnit): void {
    clearTimeout(this.timers.get(unit.key));
    this.timers.delete(unit.key);
    this.hints.delete(unit.key);
  }

  private async runUnit(folder: Folder, unit: AnalysisUnit): Promise<void> {
    this.running.add(unit.key);
    this.sendStatus();
    try {
      const settings = await this.host.settingsFor(folder.directory);
      if (!settings.enable) {
        this.replaceResult(folder, unit.key, undefined);
        return;
      }
      const current = () => this.folders.get(folder.directory) === folder && folder.units.some((u) => u.key === unit.key);
      // Before a unit's first full analysis, its open files first: their findings show in about the time their imports
      // take to load, and the whole project's analysis (callers elsewhere) refines them when it ends.
      const focus = folder.results.has(unit.key) ? [] : (this.host.openFilesUnder?.(unit.directory) ?? []).filter((file) => SCRIPT_FILE.test(file));
      // Found while the worker loaded the libraries; they go with the unit's first request, if the layout still holds.
      const held = this.hints.get(unit.key);
      this.hints.delete(unit.key);
      const found = held?.layout === this.layout ? await held.hints : undefined;
      let hints: AnalysisOptions = found && held?.layout === this.layout ? { hints: found } : {};
      if (focus.length > 0) {
        const first = await this.host.analyse(unit, overridesOf(settings), { focus, layout: this.layout, disk: this.disk, ...hints });
        hints = {};
        if ('superseded' in first) return;
        if (first.ok && current() && !folder.results.has(unit.key)) {
          this.replaceResult(folder, unit.key, resultFromOutcome(first, new Set(focus.map((f) => path.normalize(f)))));
          const kept = first.result.incremental?.analysed === 0 && first.result.incremental.reused > 0 ? ', from the results of an earlier session' : '';
          this.host.log(`first look at ${focus.length} open files of ${unit.key}: ${first.result.findings.length} findings${kept} (${first.elapsedMs} ms)`);
        }
      }
      const known = folder.results.get(unit.key);
      const early = (reply: EarlyReply) => {
        if (current() && known && folder.results.get(unit.key) === known) this.earlyResult(folder, unit.key, known, reply);
      };
      const outcome = await this.host.analyse(unit, overridesOf(settings), { knownVersion: known?.version, layout: this.layout, disk: this.disk, ...hints }, early);
      if ('superseded' in outcome) return;
      if (!current()) return;
      const base = folder.results.get(unit.key);
      if (outcome.ok && outcome.delta && base?.version !== outcome.delta.base) {
        // The result the difference applies to is gone (replaced meanwhile): ask again, for everything.
        this.host.log(`analysis of ${unit.key}: a difference from a result no longer held, analysing again`);
        if (base) base.version = undefined;
        this.schedule(folder, unit);
        return;
      }
      if (outcome.ok && outcome.outsideSources) this.outsideSources.set(unit.key, new Set(outcome.outsideSources.map((file) => path.normalize(file))));
      const result = resultFromOutcome(outcome, undefined, base);
      this.replaceResult(folder, unit.key, result);
      if (outcome.ok) this.host.log(`analysed ${unit.key}: ${result.findings?.size ?? 0} findings, ${outcome.result.skipped.length} skipped files (${outcome.elapsedMs} ms)`);
      else this.host.log(`analysis of ${unit.key} failed: ${outcome.message}`);
      this.lastInternalError = undefined;
    } catch (error) {
      // Never let one unit's failure stop the others: it becomes a log line and an error status.
      this.lastInternalError = (error as Error).message;
      this.host.log(`analysis of ${unit.key} failed: ${(error as Error).stack ?? String(error)}`);
    } finally {
      this.running.delete(unit.key);
      this.sendStatus();
    }
  }

  /**
   * The open files' findings an edit's analysis sent ahead of its outcome (see `EarlyReply`): they replace those files'
   * entries in the unit's result, which stays the base of the outcome's difference (its findings and version are
   * kept), and are published at once. The outcome then replaces the whole result as usual.
   */
  private earlyResult(folder: Folder, key: string, base: UnitResult, early: EarlyReply): void {
    const files = new Map(base.files);
    for (const file of early.files) files.delete(path.normalize(file));
    addEntries(files, early.findings, early.skipped, early.documentationBaseUrl);
    folder.results.set(key, { ...base, files });
    for (const file of early.files) this.publishFile(file, true);
  }

  private replaceResult(folder: Folder, key: string, result: UnitResult | undefined): void {
    const previous = folder.results.get(key);
    if (result) folder.results.set(key, result);
    else folder.results.delete(key);
    const files = new Set([...(previous?.files.keys() ?? []), ...(result?.files.keys() ?? [])]);
    // The register's stale-entry warnings need every unit reading it to agree: a change of one reader may change them.
    for (const register of [previous?.registerFile, result?.registerFile]) if (register) files.add(register);
    // Open files first, and always (the editor learns they were analysed again); the others only when they changed.
    const open = new Set((this.host.openFilesUnder?.(folder.directory) ?? []).map((f) => path.normalize(f)));
    for (const file of files) if (open.has(file)) this.publishFile(file, true);
    const registers = new Set([previous?.registerFile, result?.registerFile]);
    for (const file of files) {
      // An entry the new result took over unchanged (see `resultFromOutcome`) publishes what it did.
      if (open.has(file) || (previous && result && previous.files.get(file) === result.files.get(file) && !registers.has(file))) continue;
      this.publishFile(file);
    }
    this.host.findingsChanged?.();
  }

  /**
   * Publishes the union of every unit's diagnostics for `file` (units may overlap), or [] to clear it; unless `always`,
   * only when they differ from what was last published (at 200k lines an edit re-published about 1,000 files).
   */
  private publishFile(file: string, always = false): void {
    const seen = new Set<string>();
    const live = this.live.get(path.normalize(file));
    const diagnostics: Diagnostic[] = [...(live ?? [])];
    const stale = this.staleEverywhere(file);
    for (const entry of this.entriesOf(file)) {
      // An open register or configuration is validated as typed: its live problems say the same as `analysis-blocked`.
      const other = live ? entry.other.filter((d) => d.code !== ANALYSIS_BLOCKED_CODE) : entry.other;
      for (const diagnostic of [...entry.findings.map((f) => f.diagnostic), ...other]) {
        const key = diagnosticKey(diagnostic.code, diagnostic.range);
        if (seen.has(key) || (diagnostic.code === STALE_REGISTER_ENTRY_CODE && !stale.has(key))) continue;
        seen.add(key);
        diagnostics.push(diagnostic);
      }
    }
    if (diagnostics.length === 0 && !this.published.has(file)) return;
    if (!always && sameDiagnostics(this.published.get(file), diagnostics)) return;
    if (diagnostics.length === 0) this.published.delete(file);
    else this.published.set(file, diagnostics);
    this.host.publish(file, diagnostics);
  }

  /**
   * Keys of the stale-entry warnings on a register that every unit reading it agrees on: each unit (a tsconfig
   * project) sees only its own files, so an entry for another project's code looks unused from there.
   */
  private staleEverywhere(file: string): Set<string> {
    const normalised = path.normalize(file);
    const readers = [...this.folders.values()].flatMap((folder) => [...folder.results.values()]).filter((r) => r.registerFile === normalised);
    const counts = new Map<string, number>();
    for (const reader of readers) {
      for (const diagnostic of reader.files.get(normalised)?.other ?? []) {
        if (diagnostic.code !== STALE_REGISTER_ENTRY_CODE) continue;
        const key = diagnosticKey(diagnostic.code, diagnostic.range);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return new Set([...counts].filter(([, count]) => count === readers.length).map(([key]) => key));
  }

  private entriesOf(file: string): FileEntry[] {
    const normalised = path.normalize(file);
    return [...this.folders.values()].flatMap((folder) => [...folder.results.values()].map((r) => r.files.get(normalised)).filter((e): e is FileEntry => !!e));
  }

  private sendStatus(): void {
    const results = [...this.folders.values()].flatMap((f) => [...f.results.values()]);
    // Units may overlap: a finding or skipped file counts once. Sent three times per edit, so counted once per result.
    const counts = results.map(countsOf);
    const findingKeys = counts.length === 1 ? counts[0]!.findings : new Set(counts.flatMap((c) => [...c.findings]));
    const skippedFiles = counts.length === 1 ? counts[0]!.skipped : new Set(counts.flatMap((c) => [...c.skipped]));
    const failures = results.map((r) => r.failure).filter((f): f is string => f !== undefined);
    const message = failures[0] ?? this.lastInternalError;
    const pending = new Set([...this.timers.keys(), ...this.running]).size;
    this.host.sendStatus({
      state: pending > 0 ? 'analysing' : message !== undefined ? 'error' : 'idle',
      findings: findingKeys.size,
      skipped: skippedFiles.size,
      ...(pending > 0 && { pending }),
      projects: [...this.folders.values()].reduce((n, folder) => n + folder.units.length, 0),
      ...(message !== undefined && { message }),
    });
  }
}

/** The keys of a result's findings and its skipped files (see `sendStatus`); results are never changed once made. */
const counted = new WeakMap<UnitResult, { findings: Set<string>; skipped: Set<string> }>();

function countsOf(result: UnitResult): { findings: Set<string>; skipped: Set<string> } {
  let counts = counted.get(result);
  if (counts) return counts;
  counts = { findings: new Set(), skipped: new Set() };
  for (const [file, entry] of result.files) {
    for (const { diagnostic } of entry.findings) counts.findings.add(`${file}#${diagnosticKey(diagnostic.code, diagnostic.range)}`);
    if (entry.other.some((d) => d.code === ANALYSIS_SKIPPED_CODE)) counts.skipped.add(file);
  }
  counted.set(result, counts);
  return counts;
}

/** Findings' diagnostics are the same objects while their findings are (see `diagnosticOf`); the others are compared. */
function sameDiagnostics(a: readonly Diagnostic[] | undefined, b: readonly Diagnostic[]): boolean {
  return !!a && a.length === b.length && a.every((d, i) => d === b[i] || JSON.stringify(d) === JSON.stringify(b[i]));
}

/** Diagnostics of findings, by finding: unchanged findings are the same objects from one analysis to the next. */
const diagnostics = new WeakMap<Finding, { documentationBaseUrl: string; diagnostic: Diagnostic }>();

function diagnosticOf(finding: Finding, documentationBaseUrl: string): Diagnostic {
  const cached = diagnostics.get(finding);
  if (cached && cached.documentationBaseUrl === documentationBaseUrl) return cached.diagnostic;
  const diagnostic = diagnosticFromFinding(finding, documentationBaseUrl);
  diagnostics.set(finding, { documentationBaseUrl, diagnostic });
  return diagnostic;
}

/** The entry of `file` (normalised) in `files`, made empty if there was none. */
function entryIn(files: Map<string, FileEntry>, file: string): FileEntry {
  const key = path.normalize(file);
  let entry = files.get(key);
  if (!entry) files.set(key, (entry = { findings: [], other: [] }));
  return entry;
}

/** Adds findings (as diagnostics; suppressed ones stay in the engine's result, reports list them) and skipped files. */
function addEntries(files: Map<string, FileEntry>, findings: Iterable<Finding>, skipped: readonly SkippedFile[], documentationBaseUrl: string): void {
  for (const finding of findings) {
    if (!finding.suppressed) entryIn(files, finding.location.file).findings.push({ finding, diagnostic: diagnosticOf(finding, documentationBaseUrl) });
  }
  for (const file of skipped) entryIn(files, file.file).other.push(diagnosticFromSkippedFile(file));
}

/**
 * A unit's result; with `only`, a first look: its diagnostics in those files, and no fields (they need the whole
 * project). A difference (`delta`) applies to `base`'s findings.
 */
function resultFromOutcome(outcome: Exclude<RunOutcome, { superseded: true }>, only?: ReadonlySet<string>, base?: UnitResult): UnitResult {
  const files = new Map<string, FileEntry>();
  if (!outcome.ok) {
    for (const problem of outcome.problems) if (problem.file) entryIn(files, problem.file).other.push(diagnosticFromBlockingProblem(problem));
    return { files, fields: [], failure: outcome.message };
  }
  let findings: Map<string, Finding>;
  if (outcome.delta) {
    findings = new Map(base?.findings);
    for (const key of outcome.delta.removed) findings.delete(key);
    for (const finding of outcome.delta.added) findings.set(findingKey(finding), finding);
  } else findings = new Map(outcome.result.findings.map((finding) => [findingKey(finding), finding]));
  addEntries(files, findings.values(), outcome.result.skipped, outcome.documentationBaseUrl);
  for (const stale of outcome.result.staleRegisterEntries ?? []) entryIn(files, stale.location.file).other.push(diagnosticFromStaleEntry(stale));
  const registerFile = outcome.result.register?.file;
  if (only) {
    // A reader of the register that has not judged its entries yet: no entry is stale everywhere until it has.
    for (const file of [...files.keys()]) if (!only.has(file)) files.delete(file);
    return { files, fields: [], documentationBaseUrl: outcome.documentationBaseUrl, ...(registerFile !== undefined && { registerFile: path.normalize(registerFile) }) };
  }
  // A file whose diagnostics are the same objects as in the base keeps the base's entry: the server then knows it
  // without comparing what it published (at 200k lines an edit touches a few of about 1,000 files with findings).
  for (const [file, entry] of files) {
    const before = base?.files.get(file);
    if (before && sameEntry(before, entry)) files.set(file, before);
  }
  return {
    files,
    findings,
    ...(outcome.version !== undefined && { version: outcome.version }),
    fields: outcome.fieldsUnchanged && base ? base.fields : (outcome.result.fields ?? []),
    documentationBaseUrl: outcome.documentationBaseUrl,
    ...(registerFile !== undefined && { registerFile: path.normalize(registerFile) }),
  };
}

/** Entries of the same findings with the same diagnostics (other diagnostics are made anew each time: never the same). */
function sameEntry(a: FileEntry, b: FileEntry): boolean {
  return a.other.length === 0 && b.other.length === 0 && sameObjects(a.findings, b.findings, (x, y) => x.finding === y.finding && x.diagnostic === y.diagnostic);
}

function isInside(file: string, directory: string): boolean {
  return file === directory || file.startsWith(directory.endsWith(path.sep) ? directory : directory + path.sep);
}

function contains(range: ReturnType<typeof rangeOf>, position: Position): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}
