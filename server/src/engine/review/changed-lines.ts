// Which lines changed since a git ref (working tree included), and whether a finding touches one of them.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Finding, SourceLocation } from '../model';
import { GitError, type GitRunner } from './git';

export interface ChangedLines {
  /** The ref as given, and the commit it names. */
  ref: string;
  commit: string;
  /** The work tree's top directory (real path). */
  repositoryRoot: string;
  /** Repository-relative path (forward slashes) → added or modified lines (1-based, working-tree side), or `all` for a new untracked file. */
  files: Map<string, Set<number> | 'all'>;
}

/** Only files that can hold findings are hashed to recognise a moved file (a plain `mv`, not `git mv`). */
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const MAX_HASHED_SIZE = 10 * 1024 * 1024;

/**
 * Lines added or modified between `ref` and the working tree (staged and unstaged changes), plus untracked files
 * that are not ignored. Renamed files count only for the lines the rename changed; an untracked file whose
 * content is exactly that of a file deleted since `ref` is a move and adds nothing. Pure deletions mark no line:
 * a finding that appears because a line elsewhere was removed is caught by a full scan or a baseline.
 */
export function findChangedLines(ref: string, directory: string, git: GitRunner): ChangedLines {
  let top: string;
  try {
    top = git.run(['rev-parse', '--show-toplevel'], directory).replace(/\r?\n$/, '');
  } catch (error) {
    throw new GitError(`${directory} is not in a git work tree (${(error as Error).message})`);
  }
  if (top === '') throw new GitError(`${directory} is not in a git work tree (it is in a bare repository)`);
  if (ref.startsWith('-')) throw new GitError(`unknown git ref "${ref}"`);
  let commit: string;
  try {
    commit = git.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top).trim();
  } catch {
    commit = '';
  }
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) throw new GitError(`unknown git ref "${ref}" (no commit of that name in ${top})`);

  const common = ['--no-ext-diff', '--no-textconv', '--find-renames', '--ignore-submodules=all', '--no-relative'];
  const files: Map<string, Set<number> | 'all'> = parseUnifiedDiff(
    git.run(['diff', ...common, '--unified=0', '--inter-hunk-context=0', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', commit, '--'], top),
  );
  const deleted = deletedBlobs(git.run(['diff', ...common, '--raw', '-z', '--no-abbrev', commit, '--'], top));
  const untracked = git.run(['ls-files', '--others', '--exclude-standard', '-z'], top).split('\0').filter(Boolean);
  for (const path of untracked) {
    if (deleted.size > 0 && isMovedFile(join(top, path), deleted)) continue;
    files.set(path, 'all');
  }
  return { ref, commit, repositoryRoot: realPath(top), files };
}

/** Added lines per file from `git diff --unified=0` output (hunk bodies are counted, so `+++` inside one is content). */
export function parseUnifiedDiff(diff: string): Map<string, Set<number>> {
  const files = new Map<string, Set<number>>();
  const lines = diff.split('\n');
  let current: Set<number> | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.startsWith('diff ')) {
      current = undefined;
    } else if (line.startsWith('+++ ')) {
      const path = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      if (path === '/dev/null' || !path.startsWith('b/')) {
        current = undefined;
      } else {
        current = files.get(path.slice(2)) ?? new Set<number>();
        files.set(path.slice(2), current);
      }
    } else if (line.startsWith('@@ ')) {
      const header = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!header) continue;
      let oldRemaining = header[1] === undefined ? 1 : Number(header[1]);
      let newRemaining = header[3] === undefined ? 1 : Number(header[3]);
      let newLine = Number(header[2]);
      while ((oldRemaining > 0 || newRemaining > 0) && index + 1 < lines.length) {
        const body = lines[++index];
        if (body.startsWith('+')) {
          current?.add(newLine++);
          newRemaining--;
        } else if (body.startsWith('-')) {
          oldRemaining--;
        } else if (body.startsWith('\\')) {
          // "\ No newline at end of file" belongs to the previous line
        } else {
          newLine++;
          oldRemaining--;
          newRemaining--;
        }
      }
    }
  }
  return files;
}

/** Blob ids of files deleted since the ref, from `git diff --raw -z` (`:mode mode old new status\0path\0`). */
function deletedBlobs(raw: string): Map<string, string> {
  const deleted = new Map<string, string>();
  const fields = raw.split('\0');
  for (let index = 0; index < fields.length; index++) {
    const header = /^:\d+ \d+ ([0-9a-f]+) [0-9a-f]+ ([A-Z])\d*$/.exec(fields[index]);
    if (!header) continue;
    const [, oldBlob, status] = header;
    const paths = status === 'R' || status === 'C' ? 2 : 1;
    if (status === 'D') deleted.set(oldBlob, fields[index + 1]);
    index += paths;
  }
  return deleted;
}

/** Hashes the file as git would store it (no filter: those are what we must not run) and looks for it among deleted blobs. */
function isMovedFile(file: string, deleted: Map<string, string>): boolean {
  if (!SOURCE_FILE.test(file)) return false;
  try {
    if (statSync(file).size > MAX_HASHED_SIZE) return false;
    const content = readFileSync(file);
    const header = Buffer.from(`blob ${content.length}\0`);
    for (const algorithm of ['sha1', 'sha256']) {
      const id = createHash(algorithm).update(header).update(content).digest('hex');
      if (deleted.has(id)) return true;
    }
  } catch {
    // unreadable: counted as new
  }
  return false;
}

/** git writes paths with unusual characters as C strings: `"b/caf\303\251 \"x\".ts"`. */
export function unquoteGitPath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const body = Buffer.from(path.slice(1, -1), 'utf8');
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    if (byte !== 92 /* \ */) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(body[index + 1]);
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.subarray(index + 1, index + 4).toString('latin1'), 8));
      index += 3;
    } else {
      bytes.push(escapes[next] ?? body[index + 1]);
      index += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A matcher over absolute file paths (as findings hold them), resolving symbolic links the way git's top directory is. */
export function createChangeMatcher(changed: ChangedLines): (location: SourceLocation) => boolean {
  const relativePaths = new Map<string, string | undefined>();
  const relativeOf = (file: string): string | undefined => {
    if (!relativePaths.has(file)) {
      const path = relative(changed.repositoryRoot, realPath(file));
      relativePaths.set(file, path === '' || path.startsWith('..') || isAbsolute(path) ? undefined : path.split(sep).join('/'));
    }
    return relativePaths.get(file);
  };
  return (location) => {
    const path = relativeOf(location.file);
    const lines = path === undefined ? undefined : changed.files.get(path);
    if (lines === undefined) return false;
    if (lines === 'all') return true;
    for (let line = location.line; line <= Math.max(location.line, location.endLine); line++) if (lines.has(line)) return true;
    return false;
  };
}

/** The finding's sink, one of its sources, or a step of its paths (call sites included) lies on a changed line. */
export function touchesChangedLines(finding: Finding, isChanged: (location: SourceLocation) => boolean): boolean {
  return (
    isChanged(finding.location) ||
    (finding.sources ?? []).some((source) => isChanged(source.location)) ||
    finding.flows.some((flow) => flow.some((step) => isChanged(step.location))) ||
    finding.related.some((related) => isChanged(related.location))
  );
}

function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
