// The packaged extension (.vsix): it holds what the editor and the CLI need and nothing from development, its
// manifest is the repository's minus development fields, and the language server starts from its layout.
// Needs only the built bundles (`npm run build`), no editor: the real-editor test is e2e-code-server.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findRepositoryRoot, readExpectations } from './support/fixtures';
import { LspTestClient } from './support/lsp-client';
import { extractZip, packageExtension } from './support/vsix';

const root = findRepositoryRoot();
const repositoryManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('the packaged extension (.vsix)', () => {
  let scratch: string;
  let extension: string;
  let entries: string[];

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'hdl-vsix-'));
    const vsix = join(scratch, 'health-data-lint.vsix');
    packageExtension(root, vsix);
    entries = extractZip(vsix, join(scratch, 'unpacked')).sort();
    extension = join(scratch, 'unpacked', 'extension');
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('holds the bundles, the TypeScript lib files, the schemas, the rule pages and the README', () => {
    for (const bundle of ['client.js', 'server.js', 'language-server.js', 'cli.js', 'cli-main.js']) assert.ok(entries.includes(`extension/dist/${bundle}`), `dist/${bundle}`);
    const libFiles = readdirSync(join(root, 'dist')).filter((f) => /^lib\..*\.d\.ts$/.test(f));
    assert.ok(libFiles.length > 50, 'the build ships the lib files');
    assert.deepEqual(entries.filter((e) => e.startsWith('extension/dist/lib.')).map((e) => e.slice('extension/dist/'.length)), libFiles.sort());
    for (const page of readdirSync(join(root, 'rules')).filter((f) => f.endsWith('.md'))) assert.ok(entries.includes(`extension/rules/${page}`), page);
    for (const schema of readdirSync(join(root, 'schemas'))) assert.ok(entries.includes(`extension/schemas/${schema}`), schema);
    assert.ok(entries.some((e) => /^extension\/readme\.md$/i.test(e)), 'README');
  });

  test('leaves out sources, tests, examples, source maps and node_modules (the whitelist holds)', () => {
    const unexpected = entries.filter(
      (e) =>
        e.endsWith('.map') ||
        /^extension\/(node_modules|test|examples|server|client|scripts|\.ci)\//.test(e) ||
        (e.endsWith('.ts') && !/^extension\/dist\/lib\..*\.d\.ts$/.test(e)),
    );
    assert.deepEqual(unexpected, []);
  });

  test('its manifest is the repository manifest without the development fields', () => {
    const packaged = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const devOnly of ['devDependencies', 'scripts', 'files']) assert.equal(packaged[devOnly], undefined, devOnly);
    for (const key of ['name', 'publisher', 'version', 'engines', 'main', 'activationEvents', 'contributes', 'dependencies', 'repository']) {
      assert.deepEqual(packaged[key], repositoryManifest[key], key);
    }
    assert.ok(existsSync(join(extension, packaged.main as string)), 'main is in the package');
    const contributes = packaged.contributes as { jsonValidation?: { url: string }[]; yamlValidation?: { url: string }[] };
    for (const validation of [...(contributes.jsonValidation ?? []), ...(contributes.yamlValidation ?? [])]) {
      if (validation.url.startsWith('./')) assert.ok(existsSync(join(extension, validation.url)), `schema ${validation.url}`);
    }
  });

  test('the CLI runs from the package', () => {
    const result = spawnSync(process.execPath, [join(extension, 'dist', 'cli.js'), '--version'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(String(repositoryManifest.version).replace(/\./g, '\\.')));
  });

  test('the language server starts from the package and reports every finding of the example', { timeout: 90_000 }, async () => {
    const workspace = join(scratch, 'clinic-api');
    cpSync(join(root, 'examples', 'clinic-api'), workspace, { recursive: true });
    const expectations = readExpectations(workspace);
    const client = await LspTestClient.start(join(extension, 'dist', 'server.js'), workspace);
    try {
      for (const expected of expectations) {
        await client.waitFor(
          `${expected.ruleId} at ${expected.file}:${expected.line}`,
          () => client.diagnosticsOf(join(workspace, expected.file)).some((d) => d.code === expected.ruleId && d.range.start.line === expected.line - 1),
          60_000,
        );
      }
    } finally {
      await client.stop();
    }
  });
});
