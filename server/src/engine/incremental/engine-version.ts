// Which build of the engine made a cached result: any rebuild (a new version, a changed rule) makes it stale.
import * as fs from 'node:fs';

let fingerprint: string | undefined;

/** The running engine's bundle, by path, size and modification time (hashing megabytes on every run would not do). */
export function engineFingerprint(): string {
  if (fingerprint === undefined) {
    try {
      const stat = fs.statSync(__filename);
      fingerprint = `${__filename}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      fingerprint = `${Date.now()}:${Math.random()}`; // unreadable bundle: never trust an old cache
    }
  }
  return fingerprint;
}
