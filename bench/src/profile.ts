// `node bench/out/profile.js <project> [--top N] [--max-old-space-size MB]`: runs the CLI once under
// `node --cpu-prof` and prints the functions with the most self time (grouped by function and source location,
// mapped back to the TypeScript sources through the bundle's source map when it has one).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { SourceMap } from 'node:module';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(): void {
  const args = process.argv.slice(2);
  const project = resolve(args.find((a) => !a.startsWith('--')) ?? '.');
  const top = Number(valueOf(args, '--top') ?? 25);
  const heap = valueOf(args, '--max-old-space-size');
  const repoRoot = resolve(__dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'hdl-bench-prof-'));
  try {
    const cli = join(repoRoot, 'dist', 'cli.js');
    const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', dir, ...(heap ? [`--max-old-space-size=${heap}`] : [])];
    const started = Date.now();
    const run = spawnSync(process.execPath, [...nodeArgs, cli, project, '--format', 'json', '--no-progress', '--output-file', join(dir, 'report.json')], { encoding: 'utf8' });
    if (run.status !== 0 && run.status !== 1) throw new Error(`the CLI failed (exit ${run.status}): ${run.stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    console.log(`CLI run ${((Date.now() - started) / 1000).toFixed(1)} s under the profiler; top ${top} functions by self time:`);
    // dist/cli.js only loads dist/cli-main.js through V8's code cache (server/src/code-cache.ts): the code that
    // runs, and whose source map names the TypeScript sources, is cli-main.js.
    const rows = selfTimes(profile, join(repoRoot, 'dist', 'cli-main.js'), repoRoot);
    for (const row of rows.slice(0, top)) {
      console.log(`${row.ms.toFixed(0).padStart(8)} ms ${row.percent.toFixed(1).padStart(5)} %  ${row.name}  ${row.where}`);
    }
    // Where the time goes by area: the compiler (parse, bind, check), the engine's modules, the rest.
    const areas = new Map<string, number>();
    for (const row of rows) {
      const area = /typescript\.js/.test(row.where) ? 'typescript (parse, bind, check)' : /server\/src\/engine\/([^/:]+)/.exec(row.where)?.[0] ?? (row.name.startsWith('(') ? row.name : 'other (node, bundle helpers)');
      areas.set(area, (areas.get(area) ?? 0) + row.ms);
    }
    console.log('\nself time by area:');
    for (const [area, ms] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms.toFixed(0).padStart(8)} ms  ${area}`);
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`profile kept in ${dir}`);
  }
}

function selfTimes(profile: CpuProfile, bundle: string, repoRoot: string): { name: string; where: string; ms: number; percent: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const sourceMap = loadSourceMap(bundle);
  const grouped = new Map<string, { name: string; where: string; micros: number }>();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    total += micros;
    const frame = byId.get(id)!.callFrame;
    let where = frame.url ? `${frame.url.replace(/^file:\/\//, '')}:${frame.lineNumber + 1}` : '(native)';
    if (sourceMap && frame.url.replace(/^file:\/\//, '') === bundle) {
      const entry = sourceMap.findEntry(frame.lineNumber, frame.columnNumber);
      if (entry && 'originalSource' in entry && entry.originalSource) where = `${relative(repoRoot, resolve(join(repoRoot, 'dist'), entry.originalSource.replace(/^file:\/\//, '')))}:${entry.originalLine + 1}`;
    }
    const name = frame.functionName || '(anonymous)';
    const key = `${name}\0${where}`;
    const row = grouped.get(key) ?? { name, where, micros: 0 };
    row.micros += micros;
    grouped.set(key, row);
  }
  return [...grouped.values()].sort((a, b) => b.micros - a.micros).map((r) => ({ name: r.name, where: r.where, ms: r.micros / 1000, percent: (100 * r.micros) / total }));
}

function loadSourceMap(bundle: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
  } catch {
    return undefined;
  }
}

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

main();
