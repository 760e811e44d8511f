// Language-server measurements over stdio, with the protocol-test client: the initial analysis of a workspace,
// the first diagnostic of a file opened in a cold workspace (an empty results cache) and in the same workspace
// reopened (the results cache the previous session left, as VS Code's extension passes it), and the latency from
// `didChange` to `publishDiagnostics` over a series of edits (the server's 300 ms debounce subtracted), for an edit
// local to a file and for one in a helper that other files' flows go through.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PublishDiagnosticsNotification, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient, type StatusUpdate } from '../../../test/support/lsp-client';
import type { PlantedFlow } from '../generator/source-writer';
import { checkFindings, type FlowCheck } from './check';
import { round } from './process';

/** The server waits this long after an edit before analysing (server/src/lsp/session.ts ANALYSIS_DEBOUNCE_MS). */
export const SERVER_DEBOUNCE_MS = 300;

export interface LspOptions {
  repoRoot: string;
  project: string;
  planted?: readonly PlantedFlow[];
  /** File (relative) opened cold and edited locally. */
  localEditFile: string;
  /** Helper file (relative) whose edit changes flows in other files. */
  crossFileEditFile: string;
  /**
   * Save each cross-file edit (write the file, tell the server): in a monorepo with a tsconfig per package the helper
   * and the watched file are in different units, and the server analyses another package again for a change on disk,
   * not for an unsaved buffer.
   */
  crossFileEditsSaved?: boolean;
  edits: number;
  /** Stop a series of edits after this long, whatever `edits` says (a 200k-line re-analysis may take seconds). */
  budgetSeconds: number;
  /** Node options of the server process (e.g. --max-old-space-size); the server is started with them. */
  nodeOptions: string[];
  log: (message: string) => void;
}

export interface EditSeries {
  file: string;
  watchedFile: string;
  requested: number;
  measured: number;
  /** Milliseconds from didChange to the watched file's publishDiagnostics, debounce subtracted. */
  medianMs: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  stoppedByBudget: boolean;
  findingsStayedExact: boolean;
  /** Each edit was saved: the latency runs from the save's notification (see `LspOptions.crossFileEditsSaved`). */
  saved?: true;
}

export interface LspResult {
  initialAnalysisSeconds: number;
  initialCheck?: FlowCheck;
  /** A cold start: nothing analysed, the results cache empty. */
  firstDiagnosticSeconds: number;
  /** The workspace reopened after the edit series' session shut down: its results cache holds the whole project. */
  reopenedFirstDiagnosticSeconds: number;
  localEdits: EditSeries;
  crossFileEdits: EditSeries;
  serverCpuSeconds: number;
  serverPeakRssMB: number;
}

/** Wraps the test client with timestamps of every publication and status (its own handlers are replaced). */
class TimedSession {
  readonly publications: { uri: string; at: number; diagnostics: Diagnostic[] }[] = [];
  readonly statuses: { at: number; status: StatusUpdate }[] = [];

  private constructor(readonly client: LspTestClient) {}

  static async start(options: LspOptions, resultsCacheDirectory: string): Promise<TimedSession> {
    // The test client spawns the server with this process's environment: NODE_OPTIONS carries the heap limit.
    const previous = process.env.NODE_OPTIONS;
    if (options.nodeOptions.length) process.env.NODE_OPTIONS = [previous, ...options.nodeOptions].filter(Boolean).join(' ');
    const client = await LspTestClient.start(join(options.repoRoot, 'dist', 'server.js'), options.project, undefined, { resultsCacheDirectory }).finally(() => {
      if (previous === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = previous;
    });
    const session = new TimedSession(client);
    client.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.diagnostics.set(params.uri, params.diagnostics);
      session.publications.push({ uri: params.uri, at: performance.now(), diagnostics: params.diagnostics });
    });
    client.connection.onNotification('healthDataLint/status', (status: StatusUpdate) => {
      client.statuses.push(status);
      session.statuses.push({ at: performance.now(), status });
    });
    return session;
  }

  get pid(): number {
    // The test client keeps its child private; the bench reads its CPU and memory from /proc.
    return (this.client as unknown as { process: ChildProcess }).process.pid!;
  }

  /** Resolves when an `idle` status follows an `analysing` one, both after status index `from`. */
  async idleAfter(from: number, timeoutMs: number): Promise<number> {
    return this.client.waitFor('the analysis to finish', () => {
      const later = this.statuses.slice(from);
      const analysing = later.findIndex((s) => s.status.state === 'analysing');
      if (analysing < 0) return undefined;
      const idle = later.slice(analysing).find((s) => s.status.state === 'idle' || s.status.state === 'error');
      return idle?.at;
    }, timeoutMs);
  }

  async publicationOf(uri: string, after: number, timeoutMs: number, accept: (d: Diagnostic[]) => boolean = () => true): Promise<{ at: number; diagnostics: Diagnostic[] }> {
    return this.client.waitFor(`diagnostics of ${uri}`, () => this.publications.find((p) => p.uri === uri && p.at > after && accept(p.diagnostics)), timeoutMs);
  }

  /** Every published finding except the field view (information-level `exported-health-field`, on in editors). */
  reportedFindings(): { ruleId: string; file: string; line: number }[] {
    const findings: { ruleId: string; file: string; line: number }[] = [];
    for (const [uri, diagnostics] of this.client.diagnostics) {
      const file = new URL(uri).pathname;
      for (const d of diagnostics) {
        const ruleId = String(d.code);
        if (ruleId === 'exported-health-field' || ruleId.startsWith('analysis-')) continue;
        findings.push({ ruleId, file, line: d.range.start.line + 1 });
      }
    }
    return findings;
  }

  processCost(): { cpuSeconds: number; peakRssMB: number } {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return { cpuSeconds: round(ticks / 100), peakRssMB: round(Number(hwm?.[1] ?? 0) / 1024) };
  }
}

export async function measureLanguageServer(options: LspOptions): Promise<LspResult> {
  const resultsCache = mkdtempSync(join(tmpdir(), 'hdl-bench-results-'));
  try {
    return await measureSessions(options, resultsCache);
  } finally {
    rmSync(resultsCache, { recursive: true, force: true });
  }
}

async function measureSessions(options: LspOptions, resultsCache: string): Promise<LspResult> {
  const timeoutMs = Math.max(600_000, options.budgetSeconds * 2000);
  const localPath = join(options.project, options.localEditFile);
  const localUri = pathToFileURL(localPath).href;
  const firstDiagnostic = async (): Promise<number> => {
    const coldStart = performance.now();
    const cold = await TimedSession.start(options, resultsCache);
    await cold.client.open(localPath, readFileSync(localPath, 'utf8'));
    const first = await cold.publicationOf(localUri, coldStart, timeoutMs, (d) => d.some((x) => x.code !== 'exported-health-field'));
    await cold.client.stop();
    return round((first.at - coldStart) / 1000);
  };

  // 1. Cold workspace, one file opened at once: how long until its own findings show.
  options.log('language server: first diagnostic of a file opened in a cold workspace');
  const firstDiagnosticSeconds = await firstDiagnostic();

  // 2. Initial analysis of the whole workspace, then edits in the same session.
  options.log('language server: initial analysis');
  const started = performance.now();
  const session = await TimedSession.start(options, resultsCache);
  const idleAt = await session.idleAfter(0, timeoutMs);
  const initialAnalysisSeconds = round((idleAt - started) / 1000);
  const initialCheck = options.planted ? checkFindings(options.project, options.planted, session.reportedFindings()) : undefined;

  const localText = readFileSync(localPath, 'utf8');
  const localEdits = await editSeries(session, options, options.localEditFile, options.localEditFile, (n) =>
    replaceOnce(localText, "status: 'ok'", `status: 'ok-${n}'`),
  );
  const helperText = readFileSync(join(options.project, options.crossFileEditFile), 'utf8');
  const crossFileEdits = await editSeries(
    session,
    options,
    options.crossFileEditFile,
    options.localEditFile,
    (n) => replaceOnce(helperText, "?? 'unknown'", `?? 'unknown-${n}'`),
    options.crossFileEditsSaved === true,
  );
  const cost = session.processCost();
  // The shutdown writes the results cache (the files are back to their text on disk).
  await session.client.stop();

  // 3. The same workspace reopened: the first diagnostic from the results the last session kept.
  options.log('language server: first diagnostic of a file opened in the workspace reopened');
  const reopenedFirstDiagnosticSeconds = await firstDiagnostic();
  return {
    initialAnalysisSeconds,
    initialCheck,
    firstDiagnosticSeconds,
    reopenedFirstDiagnosticSeconds,
    localEdits,
    crossFileEdits,
    serverCpuSeconds: cost.cpuSeconds,
    serverPeakRssMB: cost.peakRssMB,
  };
}

async function editSeries(session: TimedSession, options: LspOptions, file: string, watchedFile: string, textOf: (n: number) => string, saved = false): Promise<EditSeries> {
  const timeoutMs = Math.max(600_000, options.budgetSeconds * 2000);
  const path = join(options.project, file);
  const onDisk = readFileSync(path, 'utf8');
  const watchedUri = pathToFileURL(join(options.project, watchedFile)).href;
  options.log(`language server: ${options.edits} edits in ${file} (budget ${options.budgetSeconds} s)${saved ? ', each saved' : ''}`);
  const opened = session.statuses.length;
  await session.client.open(path, textOf(0));
  // Opening may schedule an analysis of its own; let it finish so the first edit is not queued behind it.
  await Promise.race([session.idleAfter(opened, timeoutMs), new Promise((resolve) => setTimeout(resolve, SERVER_DEBOUNCE_MS + 1000))]);
  const latencies: number[] = [];
  let exact = true;
  const seriesStart = performance.now();
  let stoppedByBudget = false;
  try {
    for (let n = 1; n <= options.edits; n++) {
      if ((performance.now() - seriesStart) / 1000 > options.budgetSeconds) {
        stoppedByBudget = true;
        break;
      }
      const statusIndex = session.statuses.length;
      if (saved) writeFileSync(path, textOf(n));
      const sentAt = performance.now();
      await session.client.changed(path, textOf(n), n + 1);
      if (saved) await session.client.saved(path, 'changed');
      const published = await session.publicationOf(watchedUri, sentAt, timeoutMs);
      latencies.push(published.at - sentAt - SERVER_DEBOUNCE_MS);
      await session.idleAfter(statusIndex, timeoutMs);
      if (options.planted) exact &&= checkFindings(options.project, options.planted, session.reportedFindings()).exact;
    }
  } finally {
    // A saved series leaves the generated project as it was, even when it fails midway.
    if (saved) writeFileSync(path, onDisk);
  }
  // Back to the file on disk, so the next series starts from the generated project.
  await session.client.changed(path, onDisk, options.edits + 2);
  if (saved) await session.client.saved(path, 'changed');
  const back = session.statuses.length;
  await session.idleAfter(back, timeoutMs).catch(() => undefined);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    file,
    watchedFile,
    requested: options.edits,
    measured: latencies.length,
    medianMs: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: sorted.length ? round(sorted[sorted.length - 1]!, 1) : null,
    stoppedByBudget,
    findingsStayedExact: exact,
    ...(saved && { saved: true as const }),
  };
}

function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return round(sorted[Math.max(0, index)]!, 1);
}

function replaceOnce(text: string, search: string, replacement: string): string {
  if (!text.includes(search)) throw new Error(`edit target \`${search}\` not found: the generator and the bench disagree`);
  return text.replace(search, replacement);
}
