// Runs git as a child process with everything that could execute code from the analysed workspace turned off.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';

/** git could not answer (not a repository, unknown ref, git missing...); the message is for people. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

export interface GitRunner {
  /** Runs `git <args>` in `cwd` and returns its stdout; throws GitError with git's own message on failure. */
  run(args: readonly string[], cwd: string): string;
}

/**
 * The analysed repository is untrusted input: its .git/config can name programs that plain git commands run
 * (core.fsmonitor on every index refresh, clean filters and textconv drivers when a working-tree file is read,
 * an external diff, hooks), and a PATH with relative entries would find a `git` inside the workspace. So:
 * git is looked up in absolute PATH entries outside the workspace; those settings are overridden on the
 * command line; every filter driver the configuration names is emptied (git has no switch that turns all
 * filters off); the system configuration, pagers, prompts and optional index writes are off, and no GIT_*
 * variable of the caller (GIT_DIR, GIT_EXTERNAL_DIFF...) is passed on.
 */
export function createGitRunner(workspace: string, environment: Record<string, string | undefined> = process.env): GitRunner {
  const executable = findGitExecutable(environment.PATH ?? '', workspace);
  const baseEnvironment: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && !name.startsWith('GIT_')) baseEnvironment[name] = value;
  }
  Object.assign(baseEnvironment, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
  });
  const safetyOptions = [
    '-c', 'core.fsmonitor=false',
    '-c', 'core.hooksPath=/dev/null',
    '-c', 'diff.external=',
    '-c', 'core.quotePath=false',
    '--no-pager',
  ];
  const neutralisedFilters = new Map<string, Record<string, string>>();

  function spawn(args: readonly string[], cwd: string, extraEnvironment: Record<string, string> = {}): string {
    if (executable === undefined) {
      throw new GitError('git was not found (looked in the absolute directories of PATH outside the scanned workspace)');
    }
    const outcome = spawnSync(executable, [...safetyOptions, ...args], {
      cwd,
      env: { ...baseEnvironment, ...extraEnvironment },
      encoding: 'buffer',
      maxBuffer: 512 * 1024 * 1024,
      timeout: 120_000,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (outcome.error) throw new GitError(`git ${args[0]} failed: ${outcome.error.message}`);
    if (outcome.status !== 0) {
      const message = outcome.stderr.toString('utf8').trim().split('\n').filter(Boolean).pop() ?? `exit code ${outcome.status}`;
      throw new GitError(message.replace(/^(fatal|error): /, ''));
    }
    return outcome.stdout.toString('utf8');
  }

  /** GIT_CONFIG_COUNT entries that empty every configured filter driver (names may hold any character). */
  function filterOverrides(cwd: string): Record<string, string> {
    const cached = neutralisedFilters.get(cwd);
    if (cached) return cached;
    let listing = '';
    try {
      listing = spawn(['config', '--null', '--name-only', '--get-regexp', '^filter\\.'], cwd);
    } catch {
      // `git config --get-regexp` exits with 1 when nothing matches: no filter to neutralise.
    }
    const drivers = new Set<string>();
    for (const key of listing.split('\0')) {
      const match = /^filter\.(.+)\.[^.]+$/s.exec(key.trim());
      if (match) drivers.add(match[1]);
    }
    const overrides: Record<string, string> = {};
    let count = 0;
    for (const driver of drivers) {
      for (const [setting, value] of [['clean', ''], ['smudge', ''], ['process', ''], ['required', 'false']]) {
        overrides[`GIT_CONFIG_KEY_${count}`] = `filter.${driver}.${setting}`;
        overrides[`GIT_CONFIG_VALUE_${count}`] = value;
        count++;
      }
    }
    if (count > 0) overrides.GIT_CONFIG_COUNT = String(count);
    neutralisedFilters.set(cwd, overrides);
    return overrides;
  }

  return {
    run(args, cwd) {
      return spawn(args, cwd, filterOverrides(cwd));
    },
  };
}

/** The first `git` in an absolute PATH directory that is not inside the workspace. */
export function findGitExecutable(pathVariable: string, workspace: string): string | undefined {
  const names = process.platform === 'win32' ? ['git.exe', 'git.cmd'] : ['git'];
  for (const directory of pathVariable.split(delimiter)) {
    if (directory === '' || !isAbsolute(directory) || isInside(workspace, directory)) continue;
    for (const name of names) {
      const candidate = join(directory, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not there, or not executable: try the next directory
      }
    }
  }
  return undefined;
}

function isInside(directory: string, candidate: string): boolean {
  const path = relative(realPath(directory), realPath(candidate));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
