// Path helpers shared by the reports: the repository root of a scan, and paths shown relative to a directory.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The enclosing git work tree (a directory holding `.git`, a folder or a worktree file), else the start directory. */
export function findRepositoryRoot(start: string): string {
  const absolute = resolve(start);
  const startDirectory = existsSync(absolute) && !statSync(absolute).isDirectory() ? dirname(absolute) : absolute;
  for (let directory = startDirectory; ; directory = dirname(directory)) {
    if (existsSync(join(directory, '.git'))) return directory;
    if (dirname(directory) === directory) return startDirectory;
  }
}

/** `file` relative to `base` with forward slashes, or undefined when the file is not under `base`. */
export function relativePosixPath(base: string, file: string): string | undefined {
  const path = relative(base, file);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}

/** For people: relative to `base` when under it, else the absolute path. */
export function displayFilePath(base: string, file: string): string {
  return relativePosixPath(base, file) ?? file;
}
