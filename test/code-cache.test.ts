// The loader's code cache (server/src/code-cache.ts): a bundle loaded a second time runs from the bytecode V8 saved the
// first time, only from a directory nobody else can write in, and a changed bundle never runs stale bytecode. Each load
// runs in a process of its own: within one, V8 finds the script in its own compilation cache and ignores ours.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CODE_CACHE_VARIABLE, codeCacheDirectory, loadWithCodeCache } from '../server/src/code-cache';

const CHILD = 'HDL_CODE_CACHE_TEST_CHILD';

if (process.env[CHILD]) {
  // Child mode: load, save, report; no test is registered.
  const { file, cache } = JSON.parse(process.env[CHILD]) as { file: string; cache: string };
  const load = loadWithCodeCache(file, cache);
  load.save();
  process.stdout.write(JSON.stringify({ status: load.status, exports: load.exports }));
  process.exit(0);
}

/** Loads `file` with `cache` in a new process, which saves its bytecode if it had none. */
function load(file: string, cache: string): { status: string; exports: unknown } {
  const output = execFileSync(process.execPath, [__filename], { env: { ...process.env, [CHILD]: JSON.stringify({ file, cache }) }, encoding: 'utf8' });
  return JSON.parse(output) as { status: string; exports: unknown };
}

/** A CommonJS module big enough for V8 to cache, that requires a module beside it and reports its own file name. */
function bundle(directory: string, answer: number): string {
  const file = join(directory, 'bundle.js');
  writeFileSync(join(directory, 'helper.js'), 'exports.twice = (n) => 2 * n;\n');
  const filler = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n');
  writeFileSync(file, `const { twice } = require('./helper');\n${filler}\nmodule.exports = { answer: twice(${answer / 2}), file: __filename };\n`);
  return file;
}

describe('code cache', () => {
  test('the second load uses the bytecode the first one saved, and runs the module as require would', () => {
    const root = mkdtempSync(join(tmpdir(), 'hdl-code-cache-'));
    const file = bundle(root, 42);
    const cache = join(root, 'cache');
    const first = load(file, cache);
    assert.equal(first.status, 'missing');
    assert.deepEqual(first.exports, { answer: 42, file });
    assert.equal(readdirSync(cache).length, 1, 'one cache file');
    const second = load(file, cache);
    assert.equal(second.status, 'used');
    assert.deepEqual(second.exports, { answer: 42, file });
  });

  test('a changed bundle does not run the old bytecode, and its cache replaces the old one', () => {
    const root = mkdtempSync(join(tmpdir(), 'hdl-code-cache-'));
    const cache = join(root, 'cache');
    load(bundle(root, 42), cache);
    const [old] = readdirSync(cache);
    const changed = load(bundle(root, 44), cache);
    assert.equal(changed.status, 'missing');
    assert.deepEqual(changed.exports, { answer: 44, file: join(root, 'bundle.js') });
    const now = readdirSync(cache);
    assert.equal(now.length, 1, `the old cache is removed: ${now.join(', ')}`);
    assert.notEqual(now[0], old);
  });

  test('bytecode V8 refuses is replaced', () => {
    const root = mkdtempSync(join(tmpdir(), 'hdl-code-cache-'));
    const file = bundle(root, 42);
    const cache = join(root, 'cache');
    load(file, cache);
    const [name] = readdirSync(cache);
    writeFileSync(join(cache, name), Buffer.from('not bytecode at all, but long enough to be read as a header'));
    const refused = load(file, cache);
    assert.equal(refused.status, 'rejected');
    assert.deepEqual(refused.exports, { answer: 42, file });
    assert.equal(load(file, cache).status, 'used');
  });

  test('a directory others can write in is not used', { skip: typeof process.getuid !== 'function' && 'no file modes on this platform' }, () => {
    const root = mkdtempSync(join(tmpdir(), 'hdl-code-cache-'));
    const cache = join(root, 'shared');
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    assert.equal(load(bundle(root, 42), cache).status, 'off');
    assert.deepEqual(readdirSync(cache), []);
  });

  test('a bundle rewritten with the same size and modification time (npm fixes both) does not run the old bytecode', () => {
    const root = mkdtempSync(join(tmpdir(), 'hdl-code-cache-'));
    const cache = join(root, 'cache');
    const file = bundle(root, 42);
    const { mtime } = statSync(file);
    assert.equal(load(file, cache).status, 'missing');
    bundle(root, 44); // same length
    utimesSync(file, mtime, mtime);
    const changed = load(file, cache);
    assert.equal(changed.status, 'missing');
    assert.deepEqual(changed.exports, { answer: 44, file });
  });

  test('our bundles are ASCII, which the loader reads as Latin-1 (a non-ASCII byte makes every start slower)', () => {
    for (const name of ['cli-main.js', 'language-server.js']) {
      const bytes = readFileSync(join(__dirname, '..', 'dist', name));
      const at = bytes.findIndex((byte) => byte > 0x7f);
      assert.equal(at, -1, `${name} has a non-ASCII byte at ${at}: ${JSON.stringify(bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8'))} (write it as a \\u escape)`);
    }
  });

  test('the directory: per user in the temporary directory, the variable, or off', () => {
    assert.match(codeCacheDirectory({}) ?? '', /health-data-lint-code-cache-/);
    assert.equal(codeCacheDirectory({ [CODE_CACHE_VARIABLE]: '/somewhere/else' }), '/somewhere/else');
    assert.equal(codeCacheDirectory({ [CODE_CACHE_VARIABLE]: 'off' }), undefined);
  });
});
