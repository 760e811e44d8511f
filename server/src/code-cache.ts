// Loads one of our bundles with V8's code cache. Compiling the 11 MB language-server bundle (most of it TypeScript's
// compiler) takes 0.5 to 0.75 s on each thread that loads it, every time the editor starts; with the bytecode V8
// produced the time before, 0.15 to 0.25 s. The cache holds only our own code, keyed by the bundle's file (see
// `fileVersion`) and the runtime, in a directory of the user's (see `codeCacheDirectory`); anything unusable is ignored
// and replaced.
// Node 22 has `module.enableCompileCache()` for this; the editor may run us on Node 20.
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import { createRequire, wrap } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { fileVersion } from './engine/incremental/engine-version';

/** A directory for the cache, or `off`. */
export const CODE_CACHE_VARIABLE = 'HEALTH_DATA_LINT_CODE_CACHE';

/** How a load used the cache: `off` (no usable directory), `used`, `missing` (none yet) or `rejected` (by V8). */
export type CodeCacheStatus = 'off' | 'used' | 'missing' | 'rejected';

export interface CachedLoad {
  exports: unknown;
  status: CodeCacheStatus;
  /** Writes the bytecode compiled so far when there was no usable cache (once; never throws). */
  save(): void;
}

/**
 * The cache directory: the variable's, else one per user in the system's temporary directory (as Node's own compile
 * cache). Undefined when turned off.
 */
export function codeCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env[CODE_CACHE_VARIABLE];
  if (configured === 'off') return undefined;
  if (configured) return configured;
  try {
    const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
    return path.join(os.tmpdir(), `health-data-lint-code-cache-${user}`);
  } catch {
    // No user name (os.userInfo throws without a passwd entry): no cache rather than no server.
    return undefined;
  }
}

/** Runs the CommonJS bundle `file` as `require` would, with its bytecode from `directory` when it has it. */
export function loadWithCodeCache(file: string, directory: string | undefined): CachedLoad {
  const source = readSource(file);
  const cacheFile = directory !== undefined && usableDirectory(directory) ? path.join(directory, cacheName(file)) : undefined;
  const cachedData = cacheFile !== undefined ? readIfPresent(cacheFile) : undefined;
  const script = new vm.Script(wrap(source), { filename: file, ...(cachedData && { cachedData }) });
  const status: CodeCacheStatus = cacheFile === undefined ? 'off' : !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const compiled = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  compiled.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  let saved = status === 'used' || status === 'off';
  return {
    exports: module.exports,
    status,
    save: () => {
      if (saved || cacheFile === undefined) return;
      saved = true;
      writeAtomically(cacheFile, script.createCachedData());
    },
  };
}

/**
 * The bundle's text. Our bundles are ASCII (esbuild escapes strings, our sources write other characters as `\u`
 * escapes; code-cache.test.ts checks it), and ASCII decoded as Latin-1 is the same text in half the time of UTF-8
 * (11 MB: 0.08 against 0.16 s).
 */
function readSource(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * `<bundle>-<version hash>-<runtime hash>.bin`: another bundle or another Node (the editor's, the shell's) has its
 * own. The bundle's version is its file's identity (`fileVersion`), not a hash of its 11 MB (0.05 s at every start).
 */
function cacheName(file: string): string {
  const content = createHash('sha256').update(fileVersion(file)).digest('hex').slice(0, 16);
  const runtime = createHash('sha256')
    .update([process.versions.v8, process.arch, process.execArgv.join(' '), process.env.NODE_OPTIONS ?? ''].join('\n'))
    .digest('hex')
    .slice(0, 8);
  return `${path.basename(file)}-${content}-${runtime}.bin`;
}

/** Creates the directory (private) and accepts it only if nobody else can write in it: its bytecode is run. */
function usableDirectory(directory: string): boolean {
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(directory);
    if (!stat.isDirectory()) return false;
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return false;
    return true;
  } catch {
    return false;
  }
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written beside and renamed, so a reader never sees half a file; older caches of the same bundle are removed. */
function writeAtomically(cacheFile: string, data: Buffer): void {
  const temporary = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temporary, data, { mode: 0o600 });
    fs.renameSync(temporary, cacheFile);
    const directory = path.dirname(cacheFile);
    const name = path.basename(cacheFile);
    const bundle = name.slice(0, name.length - '-0123456789abcdef-01234567.bin'.length);
    const content = name.slice(bundle.length, bundle.length + 17);
    for (const other of fs.readdirSync(directory)) {
      if (other.startsWith(`${bundle}-`) && other.endsWith('.bin') && other.length === name.length && !other.startsWith(`${bundle}${content}`)) {
        fs.rmSync(path.join(directory, other), { force: true });
      }
    }
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the next start compiles the bundle as before.
    }
  }
}
