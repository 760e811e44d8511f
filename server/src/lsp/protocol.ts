// The names the client and the server share: command ids and the typed custom notifications between them.
import { NotificationType, NotificationType0, RequestType, type Range } from 'vscode-languageserver-protocol';
import type { HeapFigures } from './heap';

/** Commands the editor shows to people (registered by the client). */
export const CLIENT_COMMANDS = {
  scanWorkspace: 'healthDataLint.scanWorkspace',
  restartServer: 'healthDataLint.restartServer',
  showOutput: 'healthDataLint.showOutput',
  showDataFlows: 'healthDataLint.showDataFlows',
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
  /** Projects waiting for or under analysis, when state is `analysing`. */
  pending?: number;
  /** Projects of the workspace (analysis units). */
  projects?: number;
  /** What went wrong, when state is `error`. */
  message?: string;
}

export const StatusNotification = new NotificationType<StatusParams>('healthDataLint/status');

/** How the "Health data flows" view groups recipients: what kind of place the data leaves to. */
export type RecipientGroup = 'partner-api' | 'third-party' | 'log' | 'browser-storage';

export interface DataFlowSource {
  /** The source expression (`patient.diagnosis`). */
  field: string;
  uri: string;
  range: Range;
  /** Why it counts as health data ("term `diagnosis` (diagnosis)", "type `Condition`"). */
  why: string;
  categories: string[];
}

/** One finding as the flows view shows it: the sink, its recipient, and the health-data sources reaching it. */
export interface DataFlow {
  ruleId: string;
  severity: 'error' | 'warning' | 'information';
  message: string;
  /** Where the data leaves (the finding's primary location). */
  uri: string;
  range: Range;
  group: RecipientGroup;
  /** The recipient within the group: a host, a vendor, the logger, the storage API ("partner.example.com", "sentry", "console.log"). */
  recipient: string;
  /** The sink as the engine describes it ("outbound request (axios.post)"). */
  sinkLabel: string;
  sources: DataFlowSource[];
}

export interface DataFlowsParams {
  /**
   * Restrict to the findings whose sink or source is in this document, or that carry a health field declared in it;
   * all when absent.
   */
  uri?: string;
  /** With `uri`: only the findings that carry a health field of this type declared there (the lens above the type). */
  type?: string;
}

/** Client → server: the current findings as data flows, for the tree view. */
export const DataFlowsRequest = new RequestType<DataFlowsParams, DataFlow[], void>('healthDataLint/dataFlows');

/** Server → client: the findings changed; a view showing data flows should ask again. */
export const DataFlowsChangedNotification = new NotificationType0('healthDataLint/dataFlowsChanged');

export interface MemoryUsageParams {
  /** Run a full garbage collection on both threads first, so the figures are the live heap. */
  collect?: boolean;
}

export interface MemoryUsage {
  /** Resident memory of the server process (both threads). */
  rssBytes: number;
  /** The thread that speaks the protocol (documents, results, diagnostics). */
  server: HeapFigures;
  /** The analysis worker; absent before the first analysis or while it is being replaced. */
  worker?: HeapFigures;
}

/** Client → server: the server's memory, for diagnosing a long session (and the soak test's bound). */
export const MemoryUsageRequest = new RequestType<MemoryUsageParams, MemoryUsage, void>('healthDataLint/memoryUsage');
