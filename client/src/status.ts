// What the status bar item shows for a server status (pure: the extension module applies it to the item).
import type { StatusParams } from '../../server/src/lsp/protocol';

export interface StatusPresentation {
  text: string;
  tooltip: string;
  isError: boolean;
}

export function statusPresentation(status: StatusParams | undefined): StatusPresentation {
  if (!status || status.state === 'analysing') {
    return { text: '$(sync~spin) Health data', tooltip: 'Health Data Lint is analysing the workspace. Click to show the output.', isError: false };
  }
  if (status.state === 'error') {
    return {
      text: '$(error) Health data',
      tooltip: `Health Data Lint could not analyse everything: ${status.message ?? 'see the output'}. Click to show the output.`,
      isError: true,
    };
  }
  const skipped = status.skipped > 0 ? ` ${status.skipped} file${status.skipped === 1 ? ' was' : 's were'} skipped (see the Problems panel).` : '';
  return {
    text: `${status.findings === 0 ? '$(pass)' : '$(shield)'} ${status.findings} health-data finding${status.findings === 1 ? '' : 's'}`,
    tooltip: `Health Data Lint: ${status.findings} finding${status.findings === 1 ? '' : 's'} in the workspace.${skipped} Click to show the output.`,
    isError: false,
  };
}

/** The text shown when the server process itself is not running. */
export const SERVER_STOPPED: StatusPresentation = {
  text: '$(error) Health data',
  tooltip: 'The Health Data Lint server stopped. Run "Health Data Lint: Restart Server" or click to show the output.',
  isError: true,
};
