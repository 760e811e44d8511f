// The "Health data flows" view: a TreeDataProvider over the tree model of flows-tree.ts, fed by the server's
// healthDataLint/dataFlows request and refreshed (debounced) when the server says the findings changed.
import * as vscode from 'vscode';
import type { DataFlow, DataFlowsParams, RecipientGroup } from '../../server/src/lsp/protocol';
import { buildFlowTree, countFindings, type FlowFindingNode, type FlowGroupNode, type FlowLocation, type FlowTreeNode } from './flows-tree';

export const FLOWS_VIEW_ID = 'healthDataLint.flows';

/** Bursts of change notifications (a save re-analyses several projects) become one request. */
const REFRESH_DEBOUNCE_MS = 300;

const GROUP_ICONS: Record<RecipientGroup, string> = {
  'partner-api': 'cloud-upload',
  'third-party': 'organization',
  log: 'output',
  'browser-storage': 'browser',
};

const SEVERITY_ICONS: Record<FlowFindingNode['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  information: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

/** Where the view gets its flows: the language client's request, or a fake in tests. */
export type FetchDataFlows = (filter: DataFlowsParams | undefined) => Promise<DataFlow[]>;

export class DataFlowsProvider implements vscode.TreeDataProvider<FlowTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FlowTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly treeView: vscode.TreeView<FlowTreeNode>;
  private roots: FlowGroupNode[] = [];
  /** Set when the findings changed since the last request: the next `getChildren` of the root asks the server again. */
  private stale = true;
  private pending: Promise<FlowGroupNode[]> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private filter: DataFlowsParams | undefined;

  constructor(private readonly fetchFlows: FetchDataFlows) {
    this.treeView = vscode.window.createTreeView(FLOWS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
  }

  /** The findings changed: refresh soon, once, whatever the number of notifications. */
  invalidate(): void {
    this.stale = true;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.changed.fire(undefined);
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Restricts the view to flows through one file (a sink or a source in it) or of one type declared there, or shows every flow again. */
  async show(filter: DataFlowsParams | undefined): Promise<FlowGroupNode[]> {
    if (this.debounce) clearTimeout(this.debounce);
    // A request already running was made with the previous filter: let it finish, then ask with the new one.
    await this.pending;
    this.filter = filter;
    const roots = await this.load();
    this.changed.fire(undefined);
    return roots;
  }

  /** The tree as it was last loaded (loading it if it is stale); for the command and the editor tests. */
  async currentTree(): Promise<FlowGroupNode[]> {
    return this.stale ? this.load() : this.roots;
  }

  getTreeItem(node: FlowTreeNode): vscode.TreeItem {
    const collapsible =
      node.kind === 'finding'
        ? vscode.TreeItemCollapsibleState.None
        : node.kind === 'group'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = new vscode.MarkdownString(node.tooltip);
    item.contextValue = `healthDataLint.${node.kind}`;
    switch (node.kind) {
      case 'group':
        item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[node.group]);
        break;
      case 'recipient':
        item.iconPath = new vscode.ThemeIcon('arrow-right');
        break;
      case 'source':
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        if (node.location) item.command = openCommand(node.location, `Show where \`${node.field}\` is read`);
        break;
      case 'finding':
        item.iconPath = SEVERITY_ICONS[node.severity];
        item.command = openCommand(node.location, 'Show where the data leaves');
        break;
    }
    return item;
  }

  async getChildren(node?: FlowTreeNode): Promise<FlowTreeNode[]> {
    if (node) return 'children' in node ? node.children : [];
    return this.currentTree();
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.treeView.dispose();
    this.changed.dispose();
  }

  /** One request at a time: refreshes asked for while one is running reuse it, then a stale flag triggers the next. */
  private load(): Promise<FlowGroupNode[]> {
    this.pending ??= (async () => {
      this.stale = false;
      try {
        const flows = await this.fetchFlows(this.filter);
        this.roots = buildFlowTree(flows, { displayPath: (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false) });
        this.treeView.message = this.filter?.uri
          ? `${filterDescription(this.filter.uri, this.filter.type)}${flows.length === 0 ? ': no finding.' : '.'} Run "Health Data Lint: Show Health Data Flows" to see them all.`
          : undefined;
      } catch (error) {
        this.roots = [];
        this.treeView.message = `The flows could not be loaded: ${(error as Error).message}`;
      }
      // In the title rather than as a badge: a badge of a view in the explorer lands on the Explorer icon, where it
      // reads like a count of unsaved files.
      const findings = countFindings(this.roots);
      this.treeView.description = findings > 0 ? `${findings} finding${findings === 1 ? '' : 's'}` : undefined;
      return this.roots;
    })().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }
}

function filterDescription(uri: string, type: string | undefined): string {
  const file = vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);
  return type === undefined ? `Flows through ${file}` : `Flows of the health fields of ${type} (${file})`;
}

/** `vscode.open` with the range selected: a click on a node shows the code it stands for. */
function openCommand(location: FlowLocation, title: string): vscode.Command {
  const { start, end } = location.range;
  const options: vscode.TextDocumentShowOptions = {
    selection: new vscode.Range(start.line, start.character, end.line, end.character),
    preserveFocus: false,
  };
  return { command: 'vscode.open', title, arguments: [vscode.Uri.parse(location.uri), options] };
}
