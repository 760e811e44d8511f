// `npm run bench`: generates a synthetic health monorepo (or takes an existing project), measures tsc, ESLint
// typed linting, our CLI (cold, warm, after a leaf change, after a widely imported change) and the language
// server on it, checks that our findings are exactly the planted flows, and records the results and chart.
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { generateProject, MANIFEST_FILE, type ProjectLayout, type ProjectManifest } from './generator/project';
import { checkFindings, describeCheck } from './measure/check';
import { measureLanguageServer } from './measure/lsp';
import { assertGnuTime, round, type ToolRun } from './measure/process';
import { runCli, runEslint, runTsc, type CliRun, type ToolContext } from './measure/tools';
import { recordRun, type BenchRun, type Cost } from './report/results';

const SIZES: Record<string, number> = { '2k': 2_000, '20k': 20_000, '200k': 200_000, '1m': 1_000_000 };
const TOOLS = ['tsc', 'eslint', 'cli', 'lsp'] as const;
type Tool = (typeof TOOLS)[number];

interface Options {
  lines?: number;
  label?: string;
  project?: string;
  seed: number;
  out?: string;
  keep: boolean;
  tools: Set<Tool>;
  nodeOptions: string[];
  lspEdits: number;
  lspBudgetSeconds: number;
  resultsDir: string;
  generateOnly: boolean;
  layout: ProjectLayout;
}

const USAGE = `Usage: npm run bench -- [--size 20k|200k|1m | --lines N | --project <path>] [options]
  --seed N                  generator seed (default 1)
  --out <dir>               where to generate (default: a temporary directory, removed afterwards)
  --keep                    keep the generated project
  --tools tsc,eslint,cli,lsp  what to measure (default: all)
  --max-old-space-size MB   heap limit given to every tool alike
  --lsp-edits N             edits per language-server series (default 100)
  --lsp-budget S            stop a series of edits after S seconds (default 180)
  --results <dir>           results directory (default bench/results)
  --generate-only           write the project and its manifest, measure nothing
  --layout single|packages  one root tsconfig (default), or one per package and none at the root (a monorepo;
                            tsc is then run in each package, one after the other)`;

function parseArguments(argv: string[]): Options {
  const options: Options = { seed: 1, keep: false, tools: new Set(TOOLS), nodeOptions: [], lspEdits: 100, lspBudgetSeconds: 180, resultsDir: 'bench/results', generateOnly: false, layout: 'single' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--size') {
      const size = value().toLowerCase();
      if (!(size in SIZES)) throw new Error(`--size is one of ${Object.keys(SIZES).join(', ')}`);
      options.lines = SIZES[size];
      options.label = size;
    } else if (arg === '--lines') {
      options.lines = Number(value());
      if (!Number.isInteger(options.lines) || options.lines < 500) throw new Error('--lines is an integer >= 500');
      options.label = `${options.lines}`;
    } else if (arg === '--project') options.project = resolve(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--out') options.out = resolve(value());
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--tools') options.tools = new Set(value().split(',').map((t) => (TOOLS.includes(t as Tool) ? (t as Tool) : failTool(t))));
    else if (arg === '--max-old-space-size') options.nodeOptions = [`--max-old-space-size=${Number(value())}`];
    else if (arg === '--lsp-edits') options.lspEdits = Number(value());
    else if (arg === '--lsp-budget') options.lspBudgetSeconds = Number(value());
    else if (arg === '--results') options.resultsDir = value();
    else if (arg === '--generate-only') options.generateOnly = true;
    else if (arg === '--layout') {
      const layout = value();
      if (layout !== 'single' && layout !== 'packages') throw new Error('--layout is single or packages');
      options.layout = layout;
    }
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (options.lines === undefined && options.project === undefined) {
    options.lines = SIZES['20k'];
    options.label = '20k';
  }
  return options;
}

function failTool(tool: string): never {
  throw new Error(`unknown tool ${tool}: one of ${TOOLS.join(', ')}`);
}

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function costOf(run: ToolRun): Cost {
  const { wallSeconds, cpuSeconds, userSeconds, systemSeconds, peakRssMB, exitCode } = run;
  return { wallSeconds, cpuSeconds, userSeconds, systemSeconds, peakRssMB, exitCode };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const repoRoot = resolve(__dirname, '..', '..');
  if (!existsSync(join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
  assertGnuTime();

  let project: string;
  let manifest: ProjectManifest | undefined;
  let temporary: string | undefined;
  if (options.project) {
    project = options.project;
    const manifestFile = join(project, MANIFEST_FILE);
    if (existsSync(manifestFile)) manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ProjectManifest;
  } else {
    project = options.out ?? (temporary = mkdtempSync(join(tmpdir(), `hdl-bench-${options.label}-`)));
    log(`generating ~${options.lines} lines (seed ${options.seed}) into ${project}`);
    manifest = generateProject({ outDir: project, lines: options.lines!, seed: options.seed, repoRoot, layout: options.layout });
    log(`generated ${manifest.lines} lines in ${manifest.files} files, ${manifest.planted.length} planted flows: ${JSON.stringify(manifest.plantedByRule)}`);
  }
  if (options.generateOnly) return;

  const run: BenchRun = {
    label: options.project ? basename(project) : `${options.label!}${options.layout === 'packages' ? '-packages' : ''}`,
    ...(manifest?.layout === 'packages' && { layout: 'packages' as const }),
    project: options.project ? project : '(generated)',
    generated: !options.project || manifest !== undefined,
    seed: manifest?.seed,
    lines: manifest?.lines ?? countLines(project),
    files: manifest?.files,
    plantedByRule: manifest?.plantedByRule,
    startedAt: new Date().toISOString(),
    nodeOptions: options.nodeOptions,
    loadAverage: { start: round(loadavg()[0]!, 2) },
    failures: [],
    counts: false,
  };
  const context: ToolContext = { repoRoot, project, nodeOptions: options.nodeOptions };
  try {
    await measureTools(options, context, manifest, run);
    if (options.tools.has('lsp')) await measureLsp(options, repoRoot, project, manifest, run);
  } finally {
    run.finishedAt = new Date().toISOString();
    run.loadAverage!.end = round(loadavg()[0]!, 2);
    run.counts = run.cli !== undefined && Object.values(run.cli).every((c) => c.exact === true) && run.failures.length === 0;
    const date = run.startedAt.slice(0, 10);
    const written = recordRun(resolve(repoRoot, options.resultsDir), date, run);
    log(`results: ${written.json}\n        chart: ${written.svg}`);
    if (temporary && !options.keep) rmSync(temporary, { recursive: true, force: true });
  }
  printSummary(run);
  if (!run.counts) {
    console.error(`\nTHIS RUN DOES NOT COUNT:\n${run.failures.join('\n') || 'no CLI measurement with a known set of planted flows'}`);
    process.exitCode = 1;
  }
}

async function measureTools(options: Options, context: ToolContext, manifest: ProjectManifest | undefined, run: BenchRun): Promise<void> {
  if (options.tools.has('tsc')) {
    log('tsc --noEmit -p');
    const tsc = await attempt(run, 'tsc', () => runTsc(context));
    if (tsc) run.tsc = { ...costOf(tsc), typeErrors: tsc.exitCode === 2 };
    if (tsc?.exitCode === 2) run.failures.push(`tsc reports type errors in the project:\n${tsc.stdout.slice(0, 2000)}`);
  }
  if (options.tools.has('eslint')) {
    log('eslint (typescript-eslint typed linting)');
    const eslint = await attempt(run, 'eslint', () => runEslint(context));
    if (eslint) run.eslint = { ...costOf(eslint), rule: eslint.rule, filesLinted: eslint.filesLinted, problems: eslint.problems };
  }
  if (options.tools.has('cli')) {
    const scan = async (name: string): Promise<(Cost & { findings: number; exact: boolean | null }) | undefined> => {
      log(`health-data-lint ${name}`);
      const result: CliRun | undefined = await attempt(run, `health-data-lint ${name}`, () => runCli(context, cacheLocation));
      if (!result) return undefined;
      let exact: boolean | null = null;
      if (manifest) {
        const check = checkFindings(context.project, manifest.planted, result.findings.map((f) => ({ ruleId: f.ruleId, file: f.location.file, line: f.location.line })));
        exact = check.exact;
        log(describeCheck(`health-data-lint ${name}`, check));
        if (!check.exact) run.failures.push(describeCheck(`health-data-lint ${name}`, check));
      }
      return { ...costOf(result), findings: result.findings.length, exact };
    };
    // Every run uses the results cache (`--cache-location`): cold starts from an empty one, the others reuse it.
    const cacheLocation = mkdtempSync(join(tmpdir(), 'hdl-bench-cache-'));
    const cold = await scan('cold');
    const warm = await scan('warm (nothing changed)');
    const afterLeaf = manifest ? await withEditedFile(join(context.project, manifest.leafFile), () => scan(`after a change to ${manifest.leafFile}`)) : undefined;
    const afterWide = manifest ? await withEditedFile(join(context.project, manifest.widelyImportedFile), () => scan(`after a change to ${manifest.widelyImportedFile}`)) : undefined;
    rmSync(cacheLocation, { recursive: true, force: true });
    if (cold && warm) {
      const missing = { wallSeconds: 0, cpuSeconds: 0, userSeconds: 0, systemSeconds: 0, peakRssMB: 0, exitCode: -1, findings: 0, exact: null, note: 'not measured (no manifest: existing project)' };
      run.cli = { cold, warm, afterLeafChange: afterLeaf ?? missing, afterWidelyImportedChange: afterWide ?? missing };
    }
  }
  if (run.tsc) {
    const ratio = (c: Cost) => ({ wall: round(c.wallSeconds / run.tsc!.wallSeconds, 2), cpu: round(c.cpuSeconds / run.tsc!.cpuSeconds, 2), peakRss: round(c.peakRssMB / run.tsc!.peakRssMB, 2) });
    run.ratiosToTsc = {};
    if (run.eslint) run.ratiosToTsc.eslint = ratio(run.eslint);
    if (run.cli) for (const [name, cost] of Object.entries(run.cli)) if (cost.exitCode >= 0) run.ratiosToTsc[`cli ${name}`] = ratio(cost);
  }
}

async function measureLsp(options: Options, repoRoot: string, project: string, manifest: ProjectManifest | undefined, run: BenchRun): Promise<void> {
  if (!manifest) {
    run.failures.push('language server not measured: it needs a generated project (the edits target known files)');
    return;
  }
  const lsp = await attempt(run, 'language server', () =>
    measureLanguageServer({
      repoRoot,
      project,
      planted: manifest.planted,
      localEditFile: manifest.localEditFile,
      crossFileEditFile: manifest.widelyImportedFile,
      ...(manifest.layout === 'packages' && { crossFileEditsSaved: true }),
      edits: options.lspEdits,
      budgetSeconds: options.lspBudgetSeconds,
      nodeOptions: options.nodeOptions,
      log,
    }),
  );
  if (!lsp) return;
  const { initialCheck, ...rest } = lsp;
  run.lsp = { ...rest, initialFindingsExact: initialCheck?.exact ?? null };
  if (initialCheck && !initialCheck.exact) run.failures.push(describeCheck('language server initial analysis', initialCheck));
}

/** Appends a declaration to `file` for the duration of `body` (a real change, not a touch), then restores it. */
async function withEditedFile<T>(file: string, body: () => Promise<T>): Promise<T> {
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, `${original}\nexport const benchEditedAt = ${Date.now()};\n`);
  try {
    return await body();
  } finally {
    writeFileSync(file, original);
  }
}

async function attempt<T>(run: BenchRun, what: string, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    const message = `${what} failed: ${(error as Error).message}`;
    log(message);
    run.failures.push(message);
    return undefined;
  }
}

function countLines(project: string): number {
  const { globSync } = require('tinyglobby') as typeof import('tinyglobby');
  return globSync(['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'], { cwd: project, ignore: ['**/node_modules/**', '**/dist/**'], absolute: true })
    .reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').length, 0);
}

function printSummary(run: BenchRun): void {
  const rows: string[][] = [['tool', 'wall s', 'cpu s', 'peak MB', 'wall/tsc', 'cpu/tsc', 'rss/tsc']];
  const add = (name: string, cost: Cost | undefined, ratioKey?: string) => {
    if (!cost || cost.exitCode < 0) return;
    const r = ratioKey ? run.ratiosToTsc?.[ratioKey] : undefined;
    rows.push([name, String(cost.wallSeconds), String(cost.cpuSeconds), String(cost.peakRssMB), ...(ratioKey ? [r?.wall, r?.cpu, r?.peakRss].map((v) => (v === undefined ? '-' : String(v))) : ['1', '1', '1'])]);
  };
  add('tsc --noEmit', run.tsc);
  add('eslint typed', run.eslint, 'eslint');
  if (run.cli) for (const [name, cost] of Object.entries(run.cli)) add(`cli ${name}`, cost, `cli ${name}`);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\n${run.label}: ${run.lines} lines${run.files ? `, ${run.files} files` : ''}`);
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  if (run.lsp) console.log(`language server: ${JSON.stringify(run.lsp)}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 2;
});
