// The three command-line measurements on one project: `tsc --noEmit -p` (the reference; in each package of a
// monorepo without a root tsconfig), ESLint with typescript-eslint typed linting running one type-aware rule (what a
// team already runs), and our CLI. ESLint's flat config is generated into a temporary directory, never into the
// measured project.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { globSync } from 'tinyglobby';
import { round, runNode, type ToolRun } from './process';

export interface ToolContext {
  repoRoot: string;
  project: string;
  /** e.g. ['--max-old-space-size=8192'], given to every tool alike. */
  nodeOptions: string[];
}

/**
 * The tsconfigs the reference checks: the project's root tsconfig.json, or, in a monorepo without one, every package's
 * (dependencies left out), as a team runs `tsc --noEmit -p` in each package.
 */
export function tsconfigsToCheck(project: string): string[] {
  const root = join(project, 'tsconfig.json');
  if (existsSync(root)) return [root];
  return globSync('**/tsconfig.json', { cwd: project, absolute: true, ignore: ['**/node_modules/**'] }).sort();
}

/** `tsc --noEmit -p` of each tsconfig to check, one after the other: their times and CPU add up, the peak is the largest. */
export async function runTsc({ repoRoot, project, nodeOptions }: ToolContext): Promise<ToolRun> {
  const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
  const configs = tsconfigsToCheck(project);
  if (configs.length === 0) throw new Error(`no tsconfig.json in ${project} or its packages: nothing for tsc to check`);
  const runs: ToolRun[] = [];
  for (const config of configs) {
    const run = await runNode([tsc, '--noEmit', '-p', configs.length === 1 ? project : config], project, nodeOptions);
    // tsc exits 2 when the project has type errors; the measurement still counts, but it is said.
    if (run.exitCode !== 0 && run.exitCode !== 2) throw new Error(`tsc -p ${config} failed (exit ${run.exitCode}):\n${run.stderr || run.stdout}`.slice(0, 4000));
    runs.push(run);
  }
  if (runs.length === 1) return runs[0]!;
  const sum = (cost: (run: ToolRun) => number) => round(runs.reduce((total, run) => total + cost(run), 0));
  return {
    command: `${runs.length} × ${runs[0]!.command.replace(/ -p .*$/, '')} -p <package>/tsconfig.json, one after the other`,
    wallSeconds: sum((r) => r.wallSeconds),
    userSeconds: sum((r) => r.userSeconds),
    systemSeconds: sum((r) => r.systemSeconds),
    cpuSeconds: sum((r) => r.cpuSeconds),
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    exitCode: Math.max(...runs.map((r) => r.exitCode)),
    stdout: runs.map((r) => r.stdout).join(''),
    stderr: runs.map((r) => r.stderr).join(''),
  };
}

export interface EslintRun extends ToolRun {
  filesLinted: number;
  problems: number;
  rule: string;
}

export const ESLINT_RULE = '@typescript-eslint/no-floating-promises';

export async function runEslint({ repoRoot, project, nodeOptions }: ToolContext): Promise<EslintRun> {
  const require = createRequire(join(repoRoot, 'package.json'));
  // eslint's `exports` hide bin/eslint.js from require.resolve; its main entry (lib/api.js) sits beside bin/.
  const eslint = join(dirname(require.resolve('eslint')), '..', 'bin', 'eslint.js');
  const typescriptEslint = pathToFileURL(require.resolve('typescript-eslint')).href;
  const configDir = mkdtempSync(join(tmpdir(), 'hdl-bench-eslint-'));
  try {
    const config = join(configDir, 'eslint.config.mjs');
    const output = join(configDir, 'eslint.json');
    writeFileSync(
      config,
      [
        `import tseslint from ${JSON.stringify(typescriptEslint)};`,
        'export default [',
        '  {',
        `    basePath: ${JSON.stringify(project)},`,
        "    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],",
        `    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: ${JSON.stringify(project)} } },`,
        "    plugins: { '@typescript-eslint': tseslint.plugin },",
        `    rules: { ${JSON.stringify(ESLINT_RULE)}: 'error' },`,
        '  },',
        '];',
        '',
      ].join('\n'),
    );
    const run = await runNode([eslint, '--config', config, '--format', 'json', '--output-file', output, '.'], project, nodeOptions);
    // 0: clean, 1: the rule found problems; anything else is a crash or a configuration error.
    if (run.exitCode !== 0 && run.exitCode !== 1) {
      const outOfMemory = /heap out of memory/.test(run.stderr) ? ` out of memory at ${Math.round(run.peakRssMB)} MB (give every tool more with --max-old-space-size)` : '';
      throw new Error(`eslint failed (exit ${run.exitCode})${outOfMemory}:\n${(run.stderr || run.stdout).slice(-3000)}`);
    }
    const results = JSON.parse(readFileSync(output, 'utf8')) as { errorCount: number; warningCount: number }[];
    return { ...run, filesLinted: results.length, problems: results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0), rule: ESLINT_RULE };
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

export interface CliFinding {
  ruleId: string;
  location: { file: string; line: number };
}

export interface CliRun extends ToolRun {
  findings: CliFinding[];
  filesAnalysed: number;
}

/** `cacheLocation`: the results cache the runs share (cold = an empty one), outside the project. */
export async function runCli({ repoRoot, project, nodeOptions }: ToolContext, cacheLocation?: string): Promise<CliRun> {
  const outputDir = mkdtempSync(join(tmpdir(), 'hdl-bench-cli-'));
  try {
    const output = join(outputDir, 'report.json');
    const cache = cacheLocation ? ['--cache-location', cacheLocation] : [];
    const run = await runNode([join(repoRoot, 'dist', 'cli.js'), project, '--format', 'json', '--no-progress', '--output-file', output, ...cache], project, nodeOptions);
    if (run.exitCode !== 0 && run.exitCode !== 1) throw new Error(`health-data-lint failed (exit ${run.exitCode}):\n${run.stderr || run.stdout}`.slice(0, 4000));
    const report = JSON.parse(readFileSync(output, 'utf8')) as { findings: CliFinding[]; summary: { filesAnalysed: number } };
    return { ...run, findings: report.findings, filesAnalysed: report.summary.filesAnalysed };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}
