// LSP work-done progress for background analyses: the editor shows "Health Data Lint: analysing 2 of 5 projects"
// while the workspace is analysed, and nothing once it is done. Only when the client supports it.
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { StatusParams } from './protocol';

export class AnalysisProgress {
  supported = false;
  private reporter: Promise<WorkDoneProgressServerReporter | undefined> | undefined;
  private lastMessage = '';

  constructor(private readonly connection: Pick<Connection, 'window' | 'console'>) {}

  update(status: StatusParams): void {
    if (!this.supported) return;
    if (status.state === 'analysing') {
      const message = messageOf(status);
      if (!this.reporter) {
        this.lastMessage = message;
        this.reporter = this.connection.window.createWorkDoneProgress().then(
          (reporter) => {
            reporter.begin('Health Data Lint', undefined, this.lastMessage, false);
            return reporter;
          },
          (error: Error) => {
            // The client refused the token: status bar notifications still say what happens.
            this.connection.console.log(`work-done progress unavailable: ${error.message}`);
            return undefined;
          },
        );
      } else if (message !== this.lastMessage) {
        this.lastMessage = message;
        void this.reporter.then((reporter) => reporter?.report(message));
      }
      return;
    }
    const reporter = this.reporter;
    this.reporter = undefined;
    void reporter?.then((r) => r?.done());
  }
}

function messageOf(status: StatusParams): string {
  const pending = status.pending ?? 1;
  const projects = status.projects ?? pending;
  return projects > 1 ? `analysing ${pending} of ${projects} projects` : 'analysing the workspace';
}
