// The tool never runs workspace code: not the project's files, not TypeScript plugins named in its tsconfig, not
// the project's own TypeScript; it writes nowhere but the requested output; it prints identifiers masked.
// A hostile project (built in a temporary directory) would leave a marker file if any of its code ran.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { findRepositoryRoot } from './support/fixtures';
import { LspTestClient } from './support/lsp-client';

const repositoryRoot = findRepositoryRoot();
const cli = join(repositoryRoot, 'dist', 'cli.js');

/** Code that, if anything ever ran it, writes a marker naming itself into the markers directory. */
function trap(markers: string, name: string): string {
  return `require('fs').writeFileSync(${JSON.stringify(join(markers, name))}, 'ran');\n`;
}

function hostileProject(): { root: string; markers: string } {
  const root = mkdtempSync(join(tmpdir(), 'hdl-hostile-'));
  const markers = mkdtempSync(join(tmpdir(), 'hdl-markers-'));
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], plugins: [{ name: 'evil-plugin' }] }, include: ['src'] }));
  // A language-service plugin, the project's own TypeScript, a package the sources import, and a config file in JS.
  write('node_modules/evil-plugin/package.json', JSON.stringify({ name: 'evil-plugin', main: 'index.js' }));
  write('node_modules/evil-plugin/index.js', `${trap(markers, 'plugin')}module.exports = () => ({ create: (info) => info.languageService });\n`);
  write('node_modules/typescript/package.json', JSON.stringify({ name: 'typescript', version: '9.9.9', main: 'lib/typescript.js', typings: 'lib/typescript.d.ts' }));
  write('node_modules/typescript/lib/typescript.js', `${trap(markers, 'workspace-typescript')}module.exports = {};\n`);
  write('node_modules/acme-logger/package.json', JSON.stringify({ name: 'acme-logger', main: 'index.js' }));
  write('node_modules/acme-logger/index.js', `${trap(markers, 'dependency')}exports.log = () => {};\n`);
  write('health-data-lint.config.js', trap(markers, 'config-js'));
  write('package.json', JSON.stringify({ name: 'hostile', scripts: { preinstall: trap(markers, 'script').trim(), postinstall: trap(markers, 'script').trim() } }));
  write(
    'src/visits.ts',
    [
      "import { log } from 'acme-logger';",
      trap(markers, 'source').trim(),
      'export interface Visit { id: string; diagnosis: string }',
      'export function logVisit(visit: Visit): void {',
      '  console.log(visit.diagnosis);',
      '  log(visit.id);',
      '}',
      "export const seededNir = '1 90 01 69 123 456 23';",
      '',
    ].join('\n'),
  );
  write('src/setup.js', trap(markers, 'js-source'));
  return { root, markers };
}

/** The NIR in the hostile project (valid key; not the one the rule documentation uses as its example). */
const NIR = /1 90 01 69 123 456 23|190016912345623/;

function assertMasked(text: string, where: string): void {
  const match = NIR.exec(text);
  assert.ok(!match, `${where} prints the NIR in full: ...${match ? text.slice(Math.max(0, match.index - 200), match.index + 40) : ''}`);
}

/** Every file under a directory with its size, mode and content hash. */
function snapshot(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        files.set(relative(directory, path), `${stat.size} ${stat.mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
      }
    }
  };
  walk(directory);
  return files;
}

describe('security', () => {
  it('the CLI runs none of the workspace code, writes only the requested report, and masks the identifier it reports', () => {
    const { root, markers } = hostileProject();
    const before = snapshot(root);
    const output = join(root, 'report.json');
    const run = spawnSync(process.execPath, [cli, root, '--format', 'json', '--output-file', output, '--no-progress'], { encoding: 'utf8', cwd: root });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(readdirSync(markers), [], 'no workspace code ran');
    const after = snapshot(root);
    assert.ok(after.has('report.json'));
    after.delete('report.json');
    assert.deepEqual([...after], [...before], 'nothing else in the project was written');
    const report = readFileSync(output, 'utf8');
    assert.match(report, /hardcoded-health-identifier/);
    assert.match(report, /log-exposure/);
    for (const format of ['stylish', 'sarif', 'markdown']) {
      const printed = spawnSync(process.execPath, [cli, root, '--format', format, '--no-progress'], { encoding: 'utf8', cwd: root });
      assert.match(printed.stdout, /hardcoded-health-identifier/, `${format} reports the identifier`);
      assertMasked(printed.stdout + printed.stderr, format);
    }
    assertMasked(report, 'the JSON report file');
    assert.deepEqual([...snapshot(root)].filter(([f]) => f !== 'report.json'), [...before], 'printing to stdout writes no file');
  });

  it('the server runs none of the workspace code and writes nothing into the project', { timeout: 120_000 }, async () => {
    const { root, markers } = hostileProject();
    const before = snapshot(root);
    const client = await LspTestClient.start(join(repositoryRoot, 'dist', 'server.js'), root);
    try {
      const visits = join(root, 'src', 'visits.ts');
      await client.waitFor('the log-exposure finding', () => client.diagnosticsOf(visits).some((d) => d.code === 'log-exposure'), 90_000);
      const diagnostic = client.diagnosticsOf(visits).find((d) => d.code === 'hardcoded-health-identifier');
      assert.ok(diagnostic, 'the identifier is reported');
      assertMasked(JSON.stringify(client.diagnosticsOf(visits)), 'the diagnostics');
    } finally {
      await client.stop();
    }
    assert.deepEqual(readdirSync(markers), [], 'no workspace code ran');
    assert.deepEqual([...snapshot(root)], [...before], 'nothing in the project was written');
    assert.ok(!existsSync(join(root, '.health-data-lint')), 'no cache directory in the project');
  });
});
