// The VS Code extension: starts the language server, shows its status, registers the commands and the Health data
// flows view. With flows-view.ts, the only module that touches the `vscode` API; everything the editor shows about
// findings comes from the server.
import * as vscode from 'vscode';
import { CloseAction, ExecuteCommandRequest, LanguageClient, State, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CLIENT_COMMANDS, DataFlowsChangedNotification, DataFlowsRequest, SERVER_COMMANDS, StatusNotification, type DataFlowsParams } from '../../server/src/lsp/protocol';
import type { FlowGroupNode } from './flows-tree';
import { DataFlowsProvider, FLOWS_VIEW_ID } from './flows-view';
import { SERVER_STOPPED, statusPresentation, type StatusPresentation } from './status';
import { SCHEMA_EXTENSIONS } from '../../server/src/engine/fields/schemas/files';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
/** Files whose changes on disk the server re-analyses: sources, project files, configuration, register. */
const WATCHED_FILES = `**/{*.ts,*.tsx,*.mts,*.cts,*.js,*.jsx,*.mjs,*.cjs,tsconfig*.json,jsconfig.json,package.json,health-data-lint.config.json,*.yaml,*.yml,${SCHEMA_EXTENSIONS.map((e) => `*.${e}`).join(',')}}`;

// VS Code awaits the promise `deactivate` returns, not disposables: the running client must be reachable from it.
let runningClient: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Health Data Lint', { log: true });
  const statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 0);
  statusItem.name = 'Health Data Lint';
  statusItem.command = CLIENT_COMMANDS.showOutput;
  const show = (presentation: StatusPresentation): void => {
    statusItem.text = presentation.text;
    statusItem.tooltip = presentation.tooltip;
    statusItem.backgroundColor = presentation.isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    statusItem.show();
  };
  show(statusPresentation(undefined));

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES);
  const clientOptions: LanguageClientOptions = {
    // Sources, plus the register and the configuration: the server validates and completes those as they are typed.
    documentSelector: [
      ...LANGUAGES.map((language) => ({ scheme: 'file', language })),
      { scheme: 'file', pattern: '**/health-data-register.{yaml,yml}' },
      { scheme: 'file', pattern: '**/health-data-lint.config.json' },
    ],
    synchronize: { fileEvents: watcher },
    // The results kept between sessions go in the extension's storage for this workspace, never in the workspace.
    initializationOptions: { resultsCacheDirectory: resultsCacheDirectory(context) },
    outputChannel: output,
    // The library restarts a server that died (at most 4 times in 3 minutes) but only says so in the output
    // channel: a user whose diagnostics blink out deserves to know why, and that they come back.
    errorHandler: {
      error: (error, message, count) => defaultErrorHandler().error(error, message, count),
      closed: async () => {
        const result = await defaultErrorHandler().closed();
        if (result.action !== CloseAction.Restart) return result;
        const message = 'The Health Data Lint server stopped unexpectedly and was restarted; its log is in the Health Data Lint output.';
        void vscode.window.showWarningMessage(message, 'Show Output').then((choice) => choice && output.show(true));
        return { action: CloseAction.Restart, message, handled: true };
      },
    },
  };
  // The id makes `healthDataLint.trace.server` the trace setting of this client.
  const client = new LanguageClient('healthDataLint', 'Health Data Lint', serverOptions, clientOptions);
  runningClient = client;
  let errorHandler: ErrorHandler | undefined;
  function defaultErrorHandler(): ErrorHandler {
    errorHandler ??= client.createDefaultErrorHandler(4);
    return errorHandler;
  }
  const flows = new DataFlowsProvider((filter) => client.sendRequest(DataFlowsRequest, filter ?? {}));

  context.subscriptions.push(
    output,
    statusItem,
    watcher,
    flows,
    client.onNotification(StatusNotification, (status) => show(statusPresentation(status))),
    client.onNotification(DataFlowsChangedNotification, () => flows.invalidate()),
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped) show(SERVER_STOPPED);
      if (event.newState === State.Starting) show(statusPresentation(undefined));
      // A restarted server starts from no findings: the view must not keep the old process's.
      if (event.newState === State.Running) flows.invalidate();
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, async () => {
      output.appendLine('Restarting the Health Data Lint server.');
      await client.restart();
    }),
    // The optional arguments (a file URI, from an editor menu; a file URI and a type name, from a field CodeLens) restrict
    // the view to the flows through that file, or to those that carry that type's fields. The tree is returned so that
    // callers (and the editor tests) see what the view shows.
    vscode.commands.registerCommand(CLIENT_COMMANDS.showDataFlows, async (file?: unknown, type?: unknown): Promise<FlowGroupNode[]> => {
      await vscode.commands.executeCommand(`${FLOWS_VIEW_ID}.focus`);
      return flows.show(flowsFilterOf(file, type));
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.scanWorkspace, async () => {
      await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.scanWorkspace, arguments: [] });
    }),
  );

  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The Health Data Lint server did not start: ${(error as Error).message}`);
    show(SERVER_STOPPED);
  }
}

/** The filter of the command's arguments: a file URI (a `vscode.Uri` or its string form), then a type name; none shows every flow. */
function flowsFilterOf(file: unknown, type: unknown): DataFlowsParams | undefined {
  const uri = filterUriOf(file);
  if (uri === undefined) return undefined;
  return typeof type === 'string' && type.length > 0 ? { uri, type } : { uri };
}

function filterUriOf(argument: unknown): string | undefined {
  if (argument instanceof vscode.Uri) return argument.scheme === 'file' ? argument.toString() : undefined;
  if (typeof argument === 'string' && argument.startsWith('file:')) return vscode.Uri.parse(argument).toString();
  return undefined;
}

export async function deactivate(): Promise<void> {
  const client = runningClient;
  runningClient = undefined;
  await client?.stop();
}

/** Where the server keeps this workspace's results between sessions: none without a workspace or with the setting off. */
function resultsCacheDirectory(context: vscode.ExtensionContext): string | undefined {
  if (!context.storageUri || context.storageUri.scheme !== 'file') return undefined;
  if (!vscode.workspace.getConfiguration('healthDataLint').get<boolean>('resultsCache', true)) return undefined;
  return vscode.Uri.joinPath(context.storageUri, 'results-cache').fsPath;
}
