// The VS Code extension: starts the language server, shows its status, registers the commands. The only module
// that touches the `vscode` API; everything the editor shows about findings comes from the server.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CLIENT_COMMANDS, SERVER_COMMANDS, StatusNotification } from '../../server/src/lsp/protocol';
import { SERVER_STOPPED, statusPresentation, type StatusPresentation } from './status';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
/** Files whose changes on disk the server re-analyses: sources, project files, configuration, register. */
const WATCHED_FILES = '**/{*.ts,*.tsx,*.mts,*.cts,*.js,*.jsx,*.mjs,*.cjs,tsconfig*.json,jsconfig.json,package.json,health-data-lint.config.json,*.yaml,*.yml}';

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
    outputChannel: output,
  };
  // The id makes `healthDataLint.trace.server` the trace setting of this client.
  const client = new LanguageClient('healthDataLint', 'Health Data Lint', serverOptions, clientOptions);
  runningClient = client;

  context.subscriptions.push(
    output,
    statusItem,
    watcher,
    client.onNotification(StatusNotification, (status) => show(statusPresentation(status))),
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped) show(SERVER_STOPPED);
      if (event.newState === State.Starting) show(statusPresentation(undefined));
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, async () => {
      output.appendLine('Restarting the Health Data Lint server.');
      await client.restart();
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

export async function deactivate(): Promise<void> {
  const client = runningClient;
  runningClient = undefined;
  await client?.stop();
}
