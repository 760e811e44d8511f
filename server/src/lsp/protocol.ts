// The names the client and the server share: command ids and the typed custom notifications between them.
import { NotificationType } from 'vscode-languageserver-protocol';

/** Commands the editor shows to people (registered by the client). */
export const CLIENT_COMMANDS = {
  scanWorkspace: 'healthDataLint.scanWorkspace',
  restartServer: 'healthDataLint.restartServer',
  showOutput: 'healthDataLint.showOutput',
} as const;

/**
 * Commands the server executes (workspace/executeCommand). Their ids differ from the client's: the language
 * client registers every server command in the editor, and one id cannot be registered twice.
 */
export const SERVER_COMMANDS = {
  scanWorkspace: 'healthDataLint.server.scanWorkspace',
  openRuleDocumentation: 'healthDataLint.server.openRuleDocumentation',
} as const;

export type AnalysisState = 'analysing' | 'idle' | 'error';

export interface StatusParams {
  state: AnalysisState;
  /** Findings currently shown as diagnostics (suppressed ones excluded). */
  findings: number;
  /** Files the engine skipped (analysis-skipped). */
  skipped: number;
  /** What went wrong, when state is `error`. */
  message?: string;
}

export const StatusNotification = new NotificationType<StatusParams>('healthDataLint/status');
