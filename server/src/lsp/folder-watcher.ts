// Watches workspace folders for clients that do not send `workspace/didChangeWatchedFiles` (Neovim 0.7, many
// minimal clients): without it, a `git checkout` or a file written by another program would leave stale findings.
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';

/** Folders whose changes never matter to the analysis (and can be huge). */
const IGNORED_SEGMENT = /(^|[\\/])(node_modules|\.git|dist|build|out|coverage|\.next)([\\/]|$)/;

export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    /** `renamed`: created, deleted or renamed (Node's watcher does not tell which). */
    private readonly onChange: (file: string, renamed: boolean) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Watches exactly these folders (recursively), closing the watchers of folders no longer listed. */
  setFolders(folders: readonly string[]): void {
    const wanted = new Set(folders);
    for (const [folder, watcher] of this.watchers) {
      if (wanted.has(folder)) continue;
      watcher.close();
      this.watchers.delete(folder);
    }
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { recursive: true, persistent: false }, (event, name) => {
          if (!name || IGNORED_SEGMENT.test(name)) return;
          this.onChange(path.join(folder, name.toString()), event === 'rename');
        });
        watcher.on('error', (error) => this.log(`stopped watching ${folder}: ${error.message}`));
        this.watchers.set(folder, watcher);
      } catch (error) {
        // Out of inotify watches, or a folder that vanished: findings then refresh on edits and saves only.
        this.log(`cannot watch ${folder} for changes: ${(error as Error).message}`);
      }
    }
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
