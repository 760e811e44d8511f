// Which build of the engine made a cached result: any rebuild (a new version, a changed rule) makes it stale.
import * as fs from 'node:fs';

let fingerprint: string | undefined;

/** The running engine's bundle, by its file's identity (see `fileVersion`; hashing megabytes on every run would not do). */
export function engineFingerprint(): string {
  if (fingerprint === undefined) {
    try {
      fingerprint = fileVersion(__filename);
    } catch {
      fingerprint = `${Date.now()}:${Math.random()}`; // unreadable bundle: never trust an old cache
    }
  }
  return fingerprint;
}

/**
 * Path, size, inode, and modification and change times: any write of the file makes another. The change time counts
 * because npm gives every file of a package the same modification time (1985-10-26), so that an update of the same
 * size would otherwise look unchanged; no tool can set the change time.
 */
export function fileVersion(file: string): string {
  const stat = fs.statSync(file);
  return `${file}:${stat.size}:${stat.ino}:${stat.mtimeMs}:${stat.ctimeMs}`;
}
