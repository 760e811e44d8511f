// The compiler module's parse choices: typings nobody annotates for this tool are parsed without their JSDoc (a
// third of their parse time at every cold start), and every other file keeps the tags the contract reads.
import assert from 'node:assert/strict';
// The module object itself (not an import's copy), so that a test can watch the engine's folder reads.
import diskFs = require('node:fs');
import type * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, mock, test } from 'node:test';
import { scan } from '../server/src/engine/index';
import { awaitedFiles, createProgram, ParseCache, parseProjectConfig, ts } from '../server/src/engine/program/compiler';
import { discoverProjects } from '../server/src/engine/program/projects';
import { DirectoryReads } from '../server/src/engine/program/directory-reads';
import { schemaFilesUnder } from '../server/src/engine/fields/schemas';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hdl-compiler-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], module: 'commonjs', types: [] }, include: ['src'] }),
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

/** The names of the tags on the first function declared in `sourceFile` (empty when its JSDoc was not parsed). */
function tagsOfFirstFunction(sourceFile: ts.SourceFile): string[] {
  const fn = sourceFile.statements.find(ts.isFunctionDeclaration);
  assert.ok(fn, `no function in ${sourceFile.fileName}`);
  return ts.getJSDocTags(fn).map((tag) => tag.tagName.text);
}

const ANNOTATED = '/**\n * Keeps aggregates of at least ten people.\n *\n * @anonymises\n */\n';

describe('compiler: JSDoc parsed only where the analysis reads it', () => {
  test("TypeScript's libraries and @types packages are parsed without JSDoc; the project and its other packages keep theirs", () => {
    const root = project({
      'src/report.ts': `${ANNOTATED}export function own(value: unknown): unknown { return value; }\nimport { scrub } from 'legacy-scrub';\nimport { anonymise } from '@acme/privacy';\nexport const used = [scrub, anonymise];\n`,
      'node_modules/@types/legacy-scrub/index.d.ts': `${ANNOTATED}export declare function scrub(value: unknown): unknown;\n`,
      'node_modules/@acme/privacy/package.json': JSON.stringify({ name: '@acme/privacy', version: '1.0.0', types: 'index.d.ts' }),
      'node_modules/@acme/privacy/index.d.ts': `${ANNOTATED}export declare function anonymise(value: unknown): unknown;\n`,
    });
    const program = createProgram(parseProjectConfig(join(root, 'tsconfig.json')));
    // Files are parsed without parent nodes; the binder sets them (and those of JSDoc), as the analysis has it do.
    program.getTypeChecker();
    const file = (suffix: string): ts.SourceFile => {
      const found = program.getSourceFiles().find((f) => f.fileName.endsWith(suffix));
      assert.ok(found, `${suffix} is not in the program`);
      return found;
    };
    assert.deepEqual(tagsOfFirstFunction(file('src/report.ts')), ['anonymises']);
    assert.deepEqual(tagsOfFirstFunction(file('@acme/privacy/index.d.ts')), ['anonymises']);
    assert.deepEqual(tagsOfFirstFunction(file('@types/legacy-scrub/index.d.ts')), []);
    // lib.es5.d.ts documents `parseInt` with @param tags.
    const es5 = file('lib.es5.d.ts');
    const parseInt = es5.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'parseInt');
    assert.ok(parseInt, 'parseInt is declared in lib.es5.d.ts');
    assert.deepEqual(ts.getJSDocTags(parseInt), []);
    assert.ok(es5.text.slice(parseInt.pos, parseInt.getStart(es5)).includes('@param'), 'the library still has the comment in its text');
  });

  test("a field an installed package of the team marks as health data is still classified by its tag", () => {
    const root = project({
      'src/audit.ts': [
        "import type { Visit } from '@acme/records';",
        "import type { Invoice } from 'legacy-billing';",
        'export function auditVisit(visit: Visit): void {',
        '  console.info(visit.code);',
        '}',
        'export function auditInvoice(invoice: Invoice): void {',
        '  console.info(invoice.code);',
        '}',
        '',
      ].join('\n'),
      'node_modules/@acme/records/package.json': JSON.stringify({ name: '@acme/records', version: '1.0.0', types: 'index.d.ts' }),
      'node_modules/@acme/records/index.d.ts': 'export interface Visit {\n  id: string;\n  /** @healthData diagnosis */\n  code: string;\n}\n',
      'node_modules/@types/legacy-billing/index.d.ts': 'export interface Invoice {\n  id: string;\n  /** @healthData diagnosis */\n  code: string;\n}\n',
    });
    const result = scan({ paths: [root], config: {} });
    const logged = result.findings.filter((f) => f.ruleId === 'log-exposure').map((f) => f.location.line);
    // DefinitelyTyped's typings are not this team's: their JSDoc is not read (see compiler.ts, withoutJsDoc).
    assert.deepEqual(logged, [4], `findings: ${JSON.stringify(result.findings.map((f) => [f.ruleId, f.location.line]))}`);
  });
});

describe('compiler: a tsconfig read for its options only', () => {
  test('gives the same options and no root names', () => {
    const root = project({ 'tsconfig.base.json': JSON.stringify({ compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'] } }), 'src/a.ts': 'export const a = 1;\n' });
    const configFile = join(root, 'tsconfig.json');
    writeFileSync(configFile, JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs' }, include: ['src'] }));
    const whole = parseProjectConfig(configFile);
    const optionsOnly = parseProjectConfig(configFile, { files: false });
    assert.deepEqual(whole.rootNames, [join(root, 'src', 'a.ts')]);
    assert.deepEqual(optionsOnly, { ...whole, rootNames: [] });
    assert.deepEqual(optionsOnly.options.lib, ['lib.es2022.d.ts', 'lib.dom.d.ts'], 'the extended configuration is read');
    writeFileSync(configFile, '{ "compilerOptions": { "target": 12 } }');
    assert.throws(() => parseProjectConfig(configFile, { files: false }), /tsconfig\.json/, 'a broken tsconfig is an error naming it');
  });
});

describe('program: projects found under a scanned folder', () => {
  test('each tsconfig (or a jsconfig without one) is a project, and the sources outside them one default project', () => {
    const files = {
      'repo/web/jsconfig.json': JSON.stringify({ include: ['*.js'] }),
      'repo/web/app.js': 'export const app = 1;\n',
      'repo/api/tsconfig.json': JSON.stringify({ include: ['*.ts'] }),
      'repo/api/jsconfig.json': JSON.stringify({ include: ['*.js'] }),
      'repo/api/server.ts': 'export const server = 1;\n',
      'repo/api/tests/server.test.ts': 'export const test = 1;\n',
      'repo/scripts/seed.ts': 'export const seed = 1;\n',
      'repo/scripts/types.d.ts': 'declare const z: number;\n',
      'repo/node_modules/pkg/tsconfig.json': JSON.stringify({}),
      'repo/node_modules/pkg/index.ts': 'export const pkg = 1;\n',
      'repo/build/out.js': 'exports.out = 1;\n',
    };
    const repo = join(project(files), 'repo');
    const discovered = discoverProjects([repo]);
    const relative = (file: string) => file.slice(repo.length + 1);
    assert.deepEqual(
      discovered.projects.map((p) => [p.configFile ? relative(p.configFile) : '(default)', p.rootNames.map(relative).sort()]),
      [
        ['api/tsconfig.json', ['api/server.ts']],
        ['web/jsconfig.json', ['web/app.js']],
        ['(default)', ['scripts/seed.ts']],
      ],
      "api's jsconfig is its tsconfig seen by another tool, its tests are left out on purpose; dependencies, build outputs and declarations are not sources",
    );
    assert.deepEqual(discovered.roots, [repo]);
  });

  test("a listing reads each folder from the disk once, and lists what separate walks list (links, build outputs, dot folders included by a tsconfig)", () => {
    const repo = join(
      project({
        'repo/api/tsconfig.json': JSON.stringify({ include: ['src/**/*', 'dist/**/*', '.generated/*'] }),
        'repo/api/src/server.ts': 'export const server = 1;\n',
        'repo/api/src/routes/patients.ts': 'export const patients = 1;\n',
        'repo/api/dist/bundle.ts': 'export const bundle = 1;\n',
        'repo/api/.generated/client.ts': 'export const client = 1;\n',
        'repo/api/prisma/schema.prisma': 'model Patient {\n  id Int @id\n  diagnosis String\n}\n',
        'repo/shared/lib/codes.ts': 'export const codes = 1;\n',
        'repo/shared/lib/001_init.sql': 'CREATE TABLE patients (diagnosis text);\n',
        'repo/scripts/seed.ts': 'export const seed = 1;\n',
      }),
      'repo',
    );
    // A linked folder and file, and a broken link: TypeScript follows the first two and skips the third.
    symlinkSync(join(repo, 'shared', 'lib'), join(repo, 'api', 'src', 'shared'));
    symlinkSync(join(repo, 'shared', 'lib', 'codes.ts'), join(repo, 'api', 'src', 'codes-link.ts'));
    symlinkSync(join(repo, 'missing.ts'), join(repo, 'api', 'src', 'broken.ts'));
    const separate = { discovered: discoverProjects([repo], [], [], new DirectoryReads()), schemas: schemaFilesUnder([repo]) };
    const reads: string[] = [];
    const original = diskFs.readdirSync;
    const spy = mock.method(diskFs, 'readdirSync', ((directory: fs.PathLike, options?: unknown) => {
      reads.push(resolve(String(directory)));
      return original(directory, options as undefined);
    }) as typeof fs.readdirSync);
    let shared: typeof separate;
    try {
      const listing = new DirectoryReads();
      shared = { discovered: discoverProjects([repo], [], [], listing), schemas: schemaFilesUnder([repo], listing) };
    } finally {
      spy.mock.restore();
    }
    assert.deepEqual(shared, separate);
    const api = shared.discovered.projects.find((p) => p.configFile === join(repo, 'api', 'tsconfig.json'));
    assert.deepEqual(
      api?.rootNames.map((file) => file.slice(repo.length + 1)).sort(),
      ['api/.generated/client.ts', 'api/dist/bundle.ts', 'api/src/codes-link.ts', 'api/src/routes/patients.ts', 'api/src/server.ts', 'api/src/shared/codes.ts'],
    );
    assert.deepEqual(shared.schemas.map((file) => file.slice(repo.length + 1)), ['api/prisma/schema.prisma', 'shared/lib/001_init.sql']);
    const repeated = reads.filter((directory, index) => reads.indexOf(directory) !== index);
    assert.deepEqual(repeated, [], 'the projects, the tsconfig\'s globs and the schema files read each folder once between them');
    assert.ok(reads.includes(join(repo, 'api', 'src')), 'the reads went through the disk');
  });
});

describe('the disk probes of one scan', () => {
  test('two projects resolving the same package ask the disk once per path, and find what they found before', () => {
    const repo = mkdtempSync(join(tmpdir(), 'hdl-probes-'));
    const files: Record<string, string> = {
      'node_modules/audit-sink/package.json': JSON.stringify({ name: 'audit-sink', version: '1.0.0', types: 'index.d.ts' }),
      'node_modules/audit-sink/index.d.ts': 'export declare function record(entry: unknown): void;\n',
    };
    for (const name of ['billing', 'triage']) {
      files[`${name}/tsconfig.json`] = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], module: 'commonjs', types: [] }, include: ['src'] });
      files[`${name}/src/notes.ts`] = [
        "import { record } from 'audit-sink';",
        'export interface Patient { id: string; diagnosis: string }',
        'export function note(patient: Patient): void {',
        '  console.log(patient.diagnosis);',
        '  record(patient);',
        '}',
        '',
      ].join('\n');
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), text);
    }
    const stats: string[] = [];
    const original = diskFs.statSync;
    const spy = mock.method(diskFs, 'statSync', ((file: fs.PathLike, options?: fs.StatSyncOptions) => {
      stats.push(resolve(String(file)));
      return original(file, options);
    }) as typeof fs.statSync);
    let result: ReturnType<typeof scan>;
    try {
      result = scan({ paths: [repo], config: {} });
    } finally {
      spy.mock.restore();
    }
    assert.deepEqual(
      result.projects.map((p) => [p.configFile?.slice(repo.length + 1), p.typesMissing]),
      [
        ['billing/tsconfig.json', false],
        ['triage/tsconfig.json', false],
      ],
      'both resolved the package',
    );
    assert.deepEqual(
      result.findings.filter((f) => f.ruleId === 'log-exposure').map((f) => f.location.file.slice(repo.length + 1)),
      ['billing/src/notes.ts', 'triage/src/notes.ts'],
    );
    const manifest = join(repo, 'node_modules', 'audit-sink', 'package.json');
    const declarations = join(repo, 'node_modules', 'audit-sink', 'index.d.ts');
    assert.ok(stats.includes(manifest), 'the stats went through the disk');
    assert.equal(stats.filter((file) => file === manifest).length, 1, 'the package manifest, found once for both projects');
    assert.equal(stats.filter((file) => file === declarations).length, 1, 'its declarations: found, then stat-ed for their time, once');
  });
});

describe('compiler: a Program built from the one before', () => {
  test('an import that found nothing is resolved again once a file appears where it was looked for, outside the roots', () => {
    const repo = mkdtempSync(join(tmpdir(), 'hdl-awaited-'));
    mkdirSync(join(repo, 'api', 'src'), { recursive: true });
    mkdirSync(join(repo, 'shared', 'src'), { recursive: true });
    writeFileSync(join(repo, 'api', 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], module: 'commonjs', types: [] }, include: ['src'] }));
    writeFileSync(join(repo, 'api', 'src', 'route.ts'), "import { describe } from '../../shared/src/format';\nexport const shown = describe('x');\n");
    const project = parseProjectConfig(join(repo, 'api', 'tsconfig.json'));
    const cache = new ParseCache();
    const resolved = (program: ts.Program) => {
      const route = program.getSourceFile(join(repo, 'api', 'src', 'route.ts'))!;
      return program.getSourceFiles().some((sf) => sf.fileName.endsWith('shared/src/format.ts')) && route.statements.length === 2;
    };
    assert.equal(resolved(createProgram(project, undefined, undefined, cache)), false, 'the shared file does not exist yet');
    // The project's own files are the same: without asking again, the compiler keeps the resolution that found nothing.
    writeFileSync(join(repo, 'shared', 'src', 'format.ts'), 'export function describe(text: string): string {\n  return text;\n}\n');
    const next = createProgram(project, undefined, undefined, cache);
    assert.equal(resolved(next), true, 'the new file is part of the next Program');
    assert.deepEqual(awaitedFiles(next, next.getSourceFile(join(repo, 'api', 'src', 'route.ts'))!), []);
  });
});
