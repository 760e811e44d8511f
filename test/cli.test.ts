// The command line: options, exit codes, stderr summary and progress (runCli with a stand-in engine), and the bundle itself.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ScanOptions } from '../server/src/engine';
import type { AnalysisResult, Finding } from '../server/src/engine/model';
import { runCli } from '../server/src/cli/run';
import type { ScanFunction } from '../server/src/cli/run';
import { parseArguments } from '../server/src/cli/arguments';

class MemoryStream {
  text = '';
  constructor(readonly isTTY = false, readonly columns = 80) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function project(files: Record<string, string> = { 'src/index.ts': 'export const x = 1;\n' }): string {
  const directory = mkdtempSync(join(tmpdir(), 'hdl-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  return directory;
}

function finding(directory: string, overrides: Partial<Finding> = {}): Finding {
  const location = { file: join(directory, 'src/index.ts'), line: 1, column: 14, endLine: 1, endColumn: 15 };
  return {
    ruleId: 'log-exposure',
    severity: 'error',
    message: 'Health data (diagnosis) is written to logs (console.log).',
    location,
    flows: [],
    related: [],
    categories: ['diagnosis'],
    fingerprint: 'log-exposure:src/index.ts:console.log(x):x',
    ...overrides,
  };
}

/** A stand-in engine that records what it was asked and returns a fixed result. */
function fakeScan(directory: string, findings: Finding[], extra: Partial<AnalysisResult> = {}) {
  const calls: ScanOptions[] = [];
  const scan: ScanFunction = (options) => {
    calls.push(options);
    options.onProgress?.({ done: 1, total: 1, file: join(directory, 'src/index.ts') });
    return { findings, skipped: [], projects: [{ root: directory, files: 1, typesMissing: false }], notices: [], ...extra };
  };
  return { scan, calls };
}

async function cli(argv: string[], cwd: string, scan?: ScanFunction, tty = false) {
  const stdout = new MemoryStream(tty);
  const stderr = new MemoryStream(tty);
  const exitCode = await runCli(argv, { stdout, stderr, cwd, env: {} }, scan ?? (() => assert.fail('the engine must not run')));
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

describe('arguments', () => {
  test('defaults: scan `.` as stylish with progress', () => {
    assert.deepEqual(parseArguments([]), {
      kind: 'scan',
      options: { paths: ['.'], projects: [], format: 'stylish', rules: {}, quiet: false, progress: true },
    });
  });

  test('every option, in both --name value and --name=value forms', () => {
    const command = parseArguments([
      'src', '--project', 'a/tsconfig.json', '--project=b/tsconfig.json', '--format=sarif', '--output-file', 'out.sarif',
      '--config', 'c.json', '--max-warnings', '0', '--rule', 'log-exposure=warning', '--rule=exported-health-field=information',
      '--quiet', '--no-progress', '--', '--odd-name',
    ]);
    assert.deepEqual(command, {
      kind: 'scan',
      options: {
        paths: ['src', '--odd-name'],
        projects: ['a/tsconfig.json', 'b/tsconfig.json'],
        format: 'sarif',
        outputFile: 'out.sarif',
        config: 'c.json',
        maxWarnings: 0,
        rules: { 'log-exposure': 'warning', 'exported-health-field': 'information' },
        quiet: true,
        progress: false,
      },
    });
  });

  test('--cache, --no-cache and --cache-location (which implies --cache)', () => {
    const options = (argv: string[]) => (parseArguments(argv) as { options: { cache?: boolean; cacheLocation?: string } }).options;
    assert.equal(options(['--cache']).cache, true);
    assert.equal(options(['--cache', '--no-cache']).cache, false);
    assert.deepEqual([options(['--cache-location=.hdl']).cache, options(['--cache-location', '.hdl']).cacheLocation], [true, '.hdl']);
    assert.throws(() => parseArguments(['--cache-location']), { name: 'UsageError', message: /option --cache-location needs a value/ });
  });

  test('help wins over everything else; -h is help', () => {
    assert.deepEqual(parseArguments(['src', '--version', '--help']), { kind: 'help' });
    assert.deepEqual(parseArguments(['-h']), { kind: 'help' });
    assert.deepEqual(parseArguments(['--version']), { kind: 'version' });
  });

  for (const [argv, message] of [
    [['--colour'], /unknown option "--colour"/],
    [['--format', 'xml'], /--format must be one of stylish, json, sarif, markdown, html, register \(got "xml"\)/],
    [['--format'], /option --format needs a value/],
    [['--project', '--quiet'], /option --project needs a value/],
    [['--max-warnings', '-1'], /option --max-warnings needs a value/],
    [['--max-warnings', 'many'], /--max-warnings must be a whole number/],
    [['--rule', 'log-exposure'], /--rule expects <rule-id>=<severity>/],
    [['--rule', 'logs=off'], /--rule: unknown rule "logs"/],
    [['--rule', 'log-exposure=loud'], /--rule log-exposure: severity must be one of off, warning, error, information \(got "loud"\)/],
    [['--quiet=yes'], /option --quiet takes no value/],
    [['--write-baseline', 'b.json', '--changed-since', 'main'], /--write-baseline records every finding of the project and cannot be combined with --changed-since/],
    [['--baseline'], /option --baseline needs a value/],
    [['inventory', '--format', 'sarif'], /inventory --format must be one of json, markdown, csv \(got "sarif"\)/],
    [['--format', 'csv'], /--format must be one of stylish, json, sarif, markdown, html, register \(got "csv"\)/],
  ] as const) {
    test(`usage error: ${argv.join(' ')}`, () => assert.throws(() => parseArguments(argv), { name: 'UsageError', message }));
  }
});

describe('runCli', () => {
  test('--help and --version print to stdout and exit 0 without scanning', async () => {
    const help = await cli(['--help'], process.cwd());
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /^Usage: health-data-lint \[paths\.\.\.\] \[options\]/);
    for (const option of ['--project', '--format', '--output-file', '--config', '--rule', '--max-warnings', '--quiet', '--no-progress', '--version']) {
      assert.ok(help.stdout.includes(option), `help mentions ${option}`);
    }
    const version = await cli(['--version'], process.cwd());
    assert.equal(version.exitCode, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test('an unknown option exits 2 with the message on stderr', async () => {
    const result = await cli(['--frobnicate'], process.cwd());
    assert.equal(result.exitCode, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^health-data-lint: unknown option "--frobnicate"/);
  });

  test('a missing path exits 2 naming it', async () => {
    const directory = project();
    const result = await cli(['src', 'no-such-dir'], directory);
    assert.equal(result.exitCode, 2);
    assert.equal(result.stderr, 'health-data-lint: path not found: no-such-dir\n');
  });

  test('a missing --project exits 2 naming it', async () => {
    const result = await cli(['--project', 'nope/tsconfig.json'], project());
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /--project: file not found: nope\/tsconfig\.json/);
  });

  test('a bad configuration exits 2 naming the file and the key, and does not scan', async () => {
    const directory = project({ 'src/index.ts': '', 'health-data-lint.config.json': '{ "rules": { "log-exposure": "loud" } }' });
    const result = await cli(['.'], directory);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /health-data-lint\.config\.json: rules\.log-exposure must be one of "off", "warning", "error", "information" \(got "loud"\)/);
  });

  test('the configuration found from the scanned path reaches the engine, with --rule overrides on top', async () => {
    const directory = project({ 'app/src/index.ts': '', 'app/health-data-lint.config.json': '{ "rules": { "log-exposure": "warning", "unprotected-export": "off" }, "ignore": ["dist/**"] }' });
    const { scan, calls } = fakeScan(directory, []);
    const result = await cli(['app', '--rule', 'log-exposure=error'], directory, scan);
    assert.equal(result.exitCode, 0);
    assert.deepEqual(calls[0].paths, [join(directory, 'app')]);
    assert.equal(calls[0].configDirectory, join(directory, 'app'));
    assert.deepEqual(calls[0].config, { rules: { 'log-exposure': 'error', 'unprotected-export': 'off' }, ignore: ['dist/**'] });
  });

  test('exit 1 on an error finding, 0 when it is suppressed with a justification', async () => {
    const directory = project();
    const failing = await cli(['.'], directory, fakeScan(directory, [finding(directory)]).scan);
    assert.equal(failing.exitCode, 1);
    assert.match(failing.stdout, /1:14 {2}error {2}Health data \(diagnosis\) is written to logs \(console\.log\)\. {2}log-exposure/);
    const suppressed = finding(directory, { suppressed: { justification: 'synthetic data', location: finding(directory).location } });
    const passing = await cli(['.'], directory, fakeScan(directory, [suppressed]).scan);
    assert.equal(passing.exitCode, 0);
  });

  test('--max-warnings: more warnings than allowed exit 1; --quiet reports errors only', async () => {
    const directory = project();
    const warnings = [finding(directory, { severity: 'warning' }), finding(directory, { severity: 'warning', fingerprint: 'other' })];
    assert.equal((await cli(['.'], directory, fakeScan(directory, warnings).scan)).exitCode, 0);
    assert.equal((await cli(['.', '--max-warnings', '2'], directory, fakeScan(directory, warnings).scan)).exitCode, 0);
    const tooMany = await cli(['.', '--max-warnings', '1'], directory, fakeScan(directory, warnings).scan);
    assert.equal(tooMany.exitCode, 1);
    assert.match(tooMany.stderr, /too many warnings \(2, --max-warnings is 1\)/);
    const quiet = await cli(['.', '--quiet', '--max-warnings', '0'], directory, fakeScan(directory, warnings).scan);
    assert.equal(quiet.exitCode, 0);
    assert.equal(quiet.stdout, '');
  });

  test('--format json --output-file writes the report to the file and a one-line total on stderr', async () => {
    const directory = project();
    const result = await cli(['.', '--format', 'json', '--output-file', 'out/report.json'], directory, fakeScan(directory, [finding(directory)]).scan);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    const report = JSON.parse(readFileSync(join(directory, 'out/report.json'), 'utf8'));
    assert.equal(report.findings[0].ruleId, 'log-exposure');
    assert.match(result.stderr, /1 error\(s\), 0 warning\(s\), 0 information, 0 suppressed: report written to out\/report\.json/);
  });

  test('--format sarif uses the git work tree as SRCROOT when a sub-folder is scanned', async () => {
    const directory = project({ 'api/src/index.ts': '' });
    mkdirSync(join(directory, '.git'));
    const location = { file: join(directory, 'api/src/index.ts'), line: 1, column: 1, endLine: 1, endColumn: 2 };
    const result = await cli(['api', '--format', 'sarif'], directory, fakeScan(directory, [finding(directory, { location })]).scan);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'api/src/index.ts');
  });

  test('the stderr summary lists skipped files with their reason and says when types were missing', async () => {
    const directory = project();
    const { scan } = fakeScan(directory, [], {
      skipped: [{ file: join(directory, 'src/huge.ts'), reason: 'too-large', message: 'the file is 2.4 MB, over the 1 MB limit' }],
      projects: [{ configFile: join(directory, 'tsconfig.json'), root: directory, files: 3, typesMissing: true }],
    });
    const result = await cli(['.'], directory, scan);
    assert.equal(result.exitCode, 0, 'a skipped file never fails the run');
    assert.match(result.stderr, /1 file was not analysed:\n {2}src\/huge\.ts \(too-large\): the file is 2\.4 MB, over the 1 MB limit/);
    assert.match(result.stderr, /Types were missing \(dependencies not installed\?\) for tsconfig\.json: sinks and types were matched by import specifiers and names/);
  });

  test('no file to analyse at all exits 2', async () => {
    const directory = project();
    const { scan } = fakeScan(directory, [], { projects: [] });
    const result = await cli(['.'], directory, scan);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /no TypeScript or JavaScript file to analyse in \./);
  });

  test('an engine error (a broken tsconfig) exits 2 with its message', async () => {
    const directory = project();
    const result = await cli(['.'], directory, () => {
      throw new Error(`${join(directory, 'tsconfig.json')}:1:5: invalid tsconfig`);
    });
    assert.equal(result.exitCode, 2);
    assert.ok(result.stderr.includes(join(directory, 'tsconfig.json')));
  });

  test('progress: a single rewritten line on a terminal, nothing otherwise or with --no-progress', async () => {
    const directory = project();
    const onTerminal = await cli(['.'], directory, fakeScan(directory, []).scan, true);
    assert.match(onTerminal.stderr, /^\r\u001b\[2KAnalysing 1\/1 src\/index\.ts\r\u001b\[2K$/);
    assert.equal((await cli(['.'], directory, fakeScan(directory, []).scan, false)).stderr, '');
    assert.equal((await cli(['.', '--no-progress'], directory, fakeScan(directory, []).scan, true)).stderr, '');
  });
});

describe('dist/cli.js', () => {
  // Tests run from the package root; npm test builds first, a lone run of this file builds if needed.
  const bundle = join(process.cwd(), 'dist', 'cli.js');
  before(() => {
    if (!existsSync(bundle)) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  });
  const node = (args: string[], cwd = process.cwd()) => spawnSync(process.execPath, [bundle, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });

  test('--help, --version, a missing path and an unknown option', () => {
    assert.equal(node(['--help']).status, 0);
    assert.match(node(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
    const missing = node(['does-not-exist']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /path not found: does-not-exist/);
    assert.equal(node(['--nope']).status, 2);
  });

  test('a bad configuration exits 2 naming the file and the key', () => {
    const directory = project({ 'src/index.ts': '', 'package.json': '{ "name": "x", "healthDataLint": { "jurisdictions": "FR" } }' });
    const result = node(['.'], directory);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /package\.json: healthDataLint\.jurisdictions must be an array \(got "FR"\)/);
  });

  test('a broken tsconfig exits 2 naming the file', () => {
    const directory = project({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, }, "include": [ "src" ', 'src/index.ts': 'export const x = 1;\n' });
    const result = node(['.', '--no-progress'], directory);
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.includes(join(directory, 'tsconfig.json')) || result.stderr.includes('tsconfig.json'), result.stderr);
  });
});
