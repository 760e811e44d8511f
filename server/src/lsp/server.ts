// Wires the LSP connection to the session: capabilities, document sync, hover, code actions, commands, settings.
// Every handler is guarded: an exception becomes a log line and an error status, never a dead server; a request
// that fails is answered with an LSP error (not a made-up empty answer), and a cancelled one with RequestCancelled.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Connection,
  type Hover,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AnalysisProgress } from './analysis-progress';
import { fieldLenses } from './field-lens';
import { FolderWatcher } from './folder-watcher';
import { AnalysisRunner } from './analysis-runner';
import { codeActionsFor } from './code-actions';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { hoverMarkdown, sourceHoverMarkdown } from './hover';
import { dataFlowsOf } from './data-flows';
import { projectContextFor } from './project-context';
import { completeProjectFile, projectFileKind, validateProjectFile } from './project-files';
import { collectGarbage, heapFigures } from './heap';
import { DataFlowsChangedNotification, DataFlowsRequest, MemoryUsageRequest, SERVER_COMMANDS, StatusNotification, type DataFlow } from './protocol';
import { Session } from './session';
import { DEFAULT_SETTINGS, settingsFrom, type Settings } from './settings';
import { firstLookHints } from './unit-listing';

/** Past this, an analysis is abandoned and its worker replaced (a project far over its work budget). */
const ANALYSIS_TIMEOUT_MS = 5 * 60_000;

export function startServer(connection: Connection, workerScript: string): void {
  const documents = new TextDocuments(TextDocument);
  const log = (message: string): void => connection.console.log(message);
  let supportsConfiguration = false;
  // Clients without `workspace/configuration` push settings (initializationOptions, didChangeConfiguration).
  let pushedSettings: unknown;
  let watchFolders = false;
  let codeLensRefresh = false;
  const folderWatcher = new FolderWatcher((file, renamed) => session.fileChanged(file, renamed ? 'created' : 'changed'), (message) => connection.console.log(message));
  // Settings are resolved per folder and cached as promises; a configuration change empties the cache.
  const settingsCache = new Map<string, Promise<Settings>>();
  const progress = new AnalysisProgress(connection);
  const runner = new AnalysisRunner({ workerScript, timeoutMs: ANALYSIS_TIMEOUT_MS, log });
  const session = new Session({
    publish: (file, diagnostics) => void connection.sendDiagnostics({ uri: uriOf(file), diagnostics }),
    sendStatus: (status) => {
      void connection.sendNotification(StatusNotification, status);
      progress.update(status);
    },
    log,
    analyse: (unit, overrides, options, early) => runner.run(unit, overrides, openDocumentsUnder(unit.directory), options, early),
    prepare: (unit, layout) => runner.prepare(unit, layout),
    firstLookHints,
    takeStats: (unit, layout, disk) => runner.takeStats(unit, layout, disk),
    openFilesUnder: (directory) => openUnder(directory).map(([file]) => file),
    findingsChanged: () => {
      void connection.sendNotification(DataFlowsChangedNotification);
      if (codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
    settingsFor: (folder) => {
      let settings = settingsCache.get(folder);
      if (!settings) {
        settings = supportsConfiguration
          ? connection.workspace
              .getConfiguration({ scopeUri: pathToFileURL(folder).href, section: 'healthDataLint' })
              .then(settingsFrom, (error: Error) => {
                log(`cannot read the settings of ${folder}, using the defaults: ${error.message}`);
                return DEFAULT_SETTINGS;
              })
          : Promise.resolve(pushedSettings === undefined ? DEFAULT_SETTINGS : settingsFrom(pushedSettings));
        settingsCache.set(folder, settings);
      }
      return settings;
    },
  });
  let initialFolders: string[] = [];

  /** The open documents under a directory, by path. */
  function openUnder(directory: string): [string, TextDocument][] {
    return documents.all().flatMap((document) => {
      const file = safePath(document.uri);
      return file && file.startsWith(directory) ? [[file, document] as [string, TextDocument]] : [];
    });
  }

  /** The editor's buffers under a directory: the engine analyses them instead of what is saved on disk. */
  function openDocumentsUnder(directory: string): Record<string, string> {
    return Object.fromEntries(openUnder(directory).map(([file, document]) => [file, document.getText()]));
  }

  /** Open documents are published under the URI the client used (it may encode paths differently). */
  function uriOf(file: string): string {
    const href = pathToFileURL(file).href;
    return documents.all().find((d) => safePath(d.uri) === file)?.uri ?? href;
  }

  function guard<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async (params: P) => {
      try {
        return await handler(params);
      } catch (error) {
        connection.console.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
        connection.sendNotification(StatusNotification, { state: 'error', findings: 0, skipped: 0, message: `${name} failed: ${(error as Error).message}` });
        return fallback;
      }
    };
  }

  /**
   * Requests are answered with an error when their handler throws: an empty hover or no code actions would
   * tell the editor "nothing here", hiding the failure; the error reaches its output channel instead. A request
   * the client cancelled while it waited (code actions wait for settings) is answered as cancelled.
   */
  function guardRequest<P, R>(name: string, handler: (params: P) => R | Promise<R>): (params: P, token?: CancellationToken) => Promise<R> {
    const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
    return async (params: P, token?: CancellationToken) => {
      if (token?.isCancellationRequested) throw cancelled();
      let result: R;
      try {
        result = await handler(params);
      } catch (error) {
        connection.console.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
        throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${(error as Error).message}`);
      }
      if (token?.isCancellationRequested) throw cancelled();
      return result;
    };
  }

  connection.onInitialize(
    guard('initialize', { capabilities: {} } as InitializeResult, (params) => {
      supportsConfiguration = params.capabilities.workspace?.configuration === true;
      progress.supported = params.capabilities.window?.workDoneProgress === true;
      watchFolders = params.capabilities.workspace?.didChangeWatchedFiles === undefined;
      codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
      pushedSettings = healthDataLintSection(params.initializationOptions);
      runner.resultsCache = resultsCacheOf(params.initializationOptions, log);
      const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
      initialFolders = folders.map(safePath).filter((p): p is string => p !== undefined);
      // The worker loads its bundle (and TypeScript) while the client finishes its handshake and opens its files.
      if (initialFolders.length > 0) runner.warmUp();
      else runner.releasePrestartedWorker();
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
          hoverProvider: true,
          codeLensProvider: { resolveProvider: false },
          completionProvider: { triggerCharacters: [':', ' ', '"', '[', ',', '-'] },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: 'health-data-lint' },
      };
    }),
  );

  connection.onInitialized(
    guard('initialized', undefined, async () => {
      if (supportsConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'healthDataLint' });
      session.setFolders(initialFolders);
      if (watchFolders) folderWatcher.setFolders(initialFolders);
      connection.workspace.onDidChangeWorkspaceFolders(
        guard('workspace folders', undefined, async () => {
          const folders = ((await connection.workspace.getWorkspaceFolders()) ?? []).map((f) => safePath(f.uri)).filter((p): p is string => p !== undefined);
          session.setFolders(folders);
          if (watchFolders) folderWatcher.setFolders(folders);
        }),
      );
    }),
  );

  connection.onDidChangeConfiguration(
    guard('configuration change', undefined, (params) => {
      if (!supportsConfiguration) pushedSettings = healthDataLintSection(params.settings) ?? pushedSettings;
      settingsCache.clear();
      session.analyseAll();
    }),
  );

  // Open documents are analysed from their buffers: with `run: onType` every edit re-analyses (debounced by
  // the session), with `onSave` only saves do. Closing a document falls back to the disk.
  documents.onDidChangeContent(
    guard('didChange', undefined, (event) =>
      withPath(event.document.uri, async (file) => {
        const kind = projectFileKind(file);
        if (kind) {
          // Validated as typed; the analysis reads the register and configuration from disk, so it waits for a save.
          session.setLiveDiagnostics(file, validateProjectFile(kind, file, event.document.getText()));
          return undefined;
        }
        const folder = session.folderOf(file);
        if (folder && (await session.settingsOf(folder)).run === 'onType') session.documentChanged(file);
        return undefined;
      }),
    ),
  );
  documents.onDidSave(guard('didSave', undefined, (event) => withPath(event.document.uri, (file) => session.fileChanged(file))));
  documents.onDidClose(
    guard('didClose', undefined, (event) =>
      withPath(event.document.uri, (file) => {
        if (projectFileKind(file)) session.setLiveDiagnostics(file, undefined);
        session.fileChanged(file);
      }),
    ),
  );
  connection.onCodeLens(
    guard('code lens', [] as CodeLens[], (params) => {
      const file = safePath(params.textDocument.uri);
      const document = documents.get(params.textDocument.uri) ?? (file ? documentFromDisk(params.textDocument.uri, file) : undefined);
      return file && document ? fieldLenses(file, session.allFields(), document) : [];
    }),
  );
  connection.onCompletion(
    guardRequest('completion', (params) => {
      const file = safePath(params.textDocument.uri);
      const kind = file ? projectFileKind(file) : undefined;
      const document = documents.get(params.textDocument.uri);
      return kind && document ? completeProjectFile(kind, document, params.position) : [];
    }),
  );
  connection.onDidChangeWatchedFiles(
    guard('watched files', undefined, (params) => {
      for (const change of params.changes) {
        const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
        withPath(change.uri, (file) => session.fileChanged(file, kind));
      }
    }),
  );

  connection.onHover(
    guardRequest('hover', (params) => {
      const file = safePath(params.textDocument.uri);
      if (!file) return null;
      const root = session.folderOf(file) ?? '/';
      const findings = session.findingsAt(file, params.position);
      if (findings.length > 0) return { contents: { kind: 'markdown', value: hoverMarkdown(findings, (f) => session.documentationUrlOf(f), root) } };
      // Not a sink: perhaps the place where health data is read, whose data leaves somewhere else.
      const fromSource = session.findingsFromSourceAt(file, params.position);
      if (fromSource.length === 0) return null;
      return { contents: { kind: 'markdown', value: sourceHoverMarkdown(file, fromSource, root) } };
    }),
  );

  connection.onCodeAction(
    guardRequest('code actions', async (params) => {
      const file = safePath(params.textDocument.uri);
      if (!file) return [];
      const document = documents.get(params.textDocument.uri) ?? documentFromDisk(params.textDocument.uri, file);
      if (!document) return [];
      const ours = params.context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
      if (ours.length === 0) return [];
      const folder = session.folderOf(file) ?? path.dirname(file);
      const project = projectContextFor(file, folder, await session.settingsOf(folder));
      return ours.flatMap((diagnostic) => {
        const finding = session.findingOf(file, diagnostic);
        return finding ? codeActionsFor(finding, diagnostic, document, session.documentationUrlOf(finding), project) : [];
      });
    }),
  );

  connection.onRequest(
    DataFlowsRequest,
    guardRequest('data flows', (params) => {
      const flows = dataFlowsOf(session.allFindings(), uriOf);
      // Compared as paths: editors and Node encode some characters of file URIs differently (`@`, `%40`).
      const filter = params.uri ? safePath(params.uri) : undefined;
      if (!filter) return flows;
      const at = (uri: string) => safePath(uri) === filter;
      // Also the flows of the health fields declared in that file (the lens above a type opens the view on them).
      const routes = new Set(
        session
          .allFields()
          .filter((field) => (params.type === undefined || field.container === params.type) && field.declarations.some((d) => path.normalize(d.location.file) === filter))
          .flatMap((field) => field.routes.map((route) => `${path.normalize(route.location.file)}:${route.location.line}`)),
      );
      const carriesField = (flow: DataFlow) => routes.has(`${safePath(flow.uri)}:${flow.range.start.line + 1}`);
      // A type's lens shows where that type's fields go, not everything else the file reads or sends.
      if (params.type !== undefined) return flows.filter(carriesField);
      return flows.filter((flow) => at(flow.uri) || flow.sources.some((source) => at(source.uri)) || carriesField(flow));
    }),
  );

  connection.onRequest(
    MemoryUsageRequest,
    guardRequest('memory usage', async (params) => {
      const worker = await runner.memoryUsage(params.collect === true);
      if (params.collect) collectGarbage();
      return { rssBytes: process.memoryUsage.rss(), server: heapFigures(), ...(worker && { worker }) };
    }),
  );

  connection.onExecuteCommand(
    guardRequest('execute command', async (params) => {
      if (params.command === SERVER_COMMANDS.scanWorkspace) session.analyseAll();
      else if (params.command === SERVER_COMMANDS.openRuleDocumentation) {
        const url = params.arguments?.[0];
        if (typeof url === 'string' && /^https?:\/\//.test(url)) await connection.window.showDocument({ uri: url, external: true });
      }
    }),
  );

  connection.onShutdown(async () => {
    folderWatcher.dispose();
    session.dispose();
    // The results of this session are kept for the next one (when the client gave a place for them).
    await runner.flush(SHUTDOWN_FLUSH_MS);
    runner.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** How long shutdown waits for the results cache to be written (VS Code's client waits 2 s for the answer). */
const SHUTDOWN_FLUSH_MS = 1500;

/**
 * `initializationOptions.resultsCacheDirectory`: where the client keeps this workspace's results between sessions
 * (VS Code: the extension's storage for the workspace). An absolute path, or nothing (results kept in memory only).
 */
function resultsCacheOf(value: unknown, log: (message: string) => void): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const directory = (value as Record<string, unknown>).resultsCacheDirectory;
  if (directory === undefined || directory === null) return undefined;
  if (typeof directory === 'string' && path.isAbsolute(directory)) return directory;
  log(`initializationOptions.resultsCacheDirectory must be an absolute path; got ${JSON.stringify(directory)}: results are kept in memory only`);
  return undefined;
}

/** `{ healthDataLint: {...} }` or `{ settings: { healthDataLint: {...} } }`, as pushed by clients without pull configuration. */
function healthDataLintSection(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.healthDataLint !== undefined) return record.healthDataLint;
  return typeof record.settings === 'object' && record.settings !== null ? (record.settings as Record<string, unknown>).healthDataLint : undefined;
}

function safePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

function withPath<R>(uri: string, action: (file: string) => R): R | undefined {
  const file = safePath(uri);
  return file ? action(file) : undefined;
}

function documentFromDisk(uri: string, file: string): TextDocument | undefined {
  try {
    return TextDocument.create(uri, 'typescript', 0, readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
