// A minimal LSP client for protocol tests: spawns the bundled server over stdio, records what it publishes,
// answers its requests like an editor would, and waits for conditions with a deadline (never fixed sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShutdownRequest,
  type Diagnostic,
  type ShowDocumentParams,
} from 'vscode-languageserver-protocol/node';

export interface StatusUpdate {
  state: string;
  findings: number;
  skipped: number;
  message?: string;
}

export class LspTestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: StatusUpdate[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly stderr: string[] = [];
  /** Publications and log messages in the order they arrived (what came first). */
  readonly timeline: ({ kind: 'publish'; uri: string; count: number } | { kind: 'log'; message: string })[] = [];
  /** Work-done progress tokens the server created, and the `$/progress` notifications it sent. */
  readonly progressTokens: (string | number)[] = [];
  readonly progress: { token: string | number; value: { kind: string; title?: string; message?: string } }[] = [];
  /** What `workspace/configuration` answers for the `healthDataLint` section. */
  settings: Record<string, unknown> = {};
  private constructor(
    readonly connection: MessageConnection,
    private readonly process: ChildProcess,
  ) {}

  /**
   * `minimal` plays a client like Neovim 0.7: no `workspace/configuration` (settings pushed in initializationOptions)
   * and no `didChangeWatchedFiles` (the server must notice changes on disk itself). `initializationOptions` are sent
   * by a full client too (`resultsCacheDirectory`, as VS Code's extension does).
   */
  static async start(serverScript: string, workspaceFolder: string, minimal?: { initializationOptions: unknown }, initializationOptions?: Record<string, unknown>): Promise<LspTestClient> {
    const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(connection, child);
    child.stderr!.on('data', (chunk: Buffer) => client.stderr.push(chunk.toString('utf8')));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.diagnostics.set(params.uri, params.diagnostics);
      client.timeline.push({ kind: 'publish', uri: params.uri, count: params.diagnostics.length });
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.timeline.push({ kind: 'log', message: params.message });
    });
    connection.onNotification('healthDataLint/status', (params: StatusUpdate) => {
      client.statuses.push(params);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => client.settings));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(ShowDocumentRequest.type, (params) => {
      client.shownDocuments.push(params);
      return { success: true };
    });
    connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      client.progressTokens.push(params.token);
      return null;
    });
    connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string; title?: string; message?: string } }) => {
      client.progress.push(params);
    });
    connection.listen();
    const uri = pathToFileURL(workspaceFolder).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'workspace' }],
      ...((minimal || initializationOptions) && { initializationOptions: { ...(minimal?.initializationOptions as object | undefined), ...initializationOptions } }),
      capabilities: {
        workspace: minimal
          ? { workspaceFolders: true }
          : { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: false } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          synchronization: { didSave: true },
        },
        window: { showDocument: { support: true }, workDoneProgress: true },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The server process id (the soak test samples its memory in /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  diagnosticsOf(file: string): Diagnostic[] {
    return this.diagnostics.get(pathToFileURL(file).href) ?? [];
  }

  async open(file: string, text: string, languageId = 'typescript'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: pathToFileURL(file).href, languageId, version: 1, text },
    });
  }

  /** An edit in the editor, not saved: the whole new text (full-document change). */
  async changed(file: string, text: string, version: number): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: pathToFileURL(file).href, version },
      contentChanges: [{ text }],
    });
  }

  /** Tells the server a file was written (saved in the editor, or created/changed on disk). */
  async saved(file: string, how: 'save' | 'created' | 'changed' = 'save'): Promise<void> {
    const uri = pathToFileURL(file).href;
    if (how === 'save') await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
    else {
      await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri, type: how === 'created' ? FileChangeType.Created : FileChangeType.Changed }],
      });
    }
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { healthDataLint: settings } });
  }

  /** Polls `condition` until it returns a value (not undefined/false) or the deadline passes. */
  async waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs = 40_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nserver stderr:\n${this.stderr.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The server may already be gone: killing it below is enough.
    }
    this.connection.dispose();
    this.process.kill();
  }
}
