// The results file of a day (`bench/results/<date>.json`): the machine, then one entry per measured project
// (a later run of the same size replaces the earlier one), and the chart drawn from all of them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { timeAgainstSizeSvg, type ChartSeries } from './chart';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  node: string;
  os: string;
  /** 1, 5 and 15-minute load averages when the run started: other work on the machine inflates wall times. */
  loadAverageAtStart: number[];
}

export interface Cost {
  wallSeconds: number;
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  peakRssMB: number;
  exitCode: number;
}

export interface BenchRun {
  /** `20k`, `200k`, `1m`, `<N>` lines or the measured folder's name. */
  label: string;
  project: string;
  generated: boolean;
  seed?: number;
  lines: number;
  files?: number;
  /** A generated monorepo with a tsconfig per package (see `GenerateOptions.layout`): left out of the chart. */
  layout?: 'packages';
  plantedByRule?: Record<string, number>;
  startedAt: string;
  finishedAt?: string;
  nodeOptions: string[];
  /** 1-minute load average at the start and the end of this run: above the core count, wall times are inflated. */
  loadAverage?: { start: number; end?: number };
  tsc?: Cost & { typeErrors: boolean };
  eslint?: Cost & { rule: string; filesLinted: number; problems: number };
  cli?: Record<'cold' | 'warm' | 'afterLeafChange' | 'afterWidelyImportedChange', Cost & { findings: number; exact: boolean | null; note?: string }>;
  ratiosToTsc?: Record<string, { wall: number; cpu: number; peakRss: number }>;
  lsp?: unknown;
  /** Why a measurement is missing or does not count (crash, out of memory, missed planted flows). */
  failures: string[];
  /** True only when every CLI scan reported exactly the planted flows. */
  counts: boolean;
}

export interface ResultsFile {
  date: string;
  machine: MachineInfo;
  runs: BenchRun[];
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${osType()} ${release()}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function resultsPath(directory: string, date: string): string {
  return join(directory, `${date}.json`);
}

/** Adds (or replaces, by label) a run in the day's file and redraws the chart beside it. */
export function recordRun(directory: string, date: string, run: BenchRun): { json: string; svg: string } {
  mkdirSync(directory, { recursive: true });
  const json = resultsPath(directory, date);
  const file: ResultsFile = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as ResultsFile) : { date, machine: machineInfo(), runs: [] };
  file.runs = [...file.runs.filter((r) => r.label !== run.label), run].sort((a, b) => a.lines - b.lines);
  writeFileSync(json, JSON.stringify(file, null, 2) + '\n');
  const svg = join(directory, `${date}.svg`);
  writeFileSync(svg, timeAgainstSizeSvg(`Health Data Lint bench ${date} (${file.machine.cores} cores): wall time against size`, seriesOf(file.runs)));
  return { json, svg };
}

function seriesOf(runs: readonly BenchRun[]): ChartSeries[] {
  // One line per tool, through sizes of the same layout: a monorepo's run would sit on it at the same size.
  const generated = runs.filter((r) => r.generated && r.layout === undefined);
  const pick = (name: string, color: string, seconds: (r: BenchRun) => number | undefined): ChartSeries => ({
    name,
    color,
    points: generated.flatMap((r) => {
      const s = seconds(r);
      return s === undefined ? [] : [{ lines: r.lines, seconds: s }];
    }),
  });
  return [
    pick('tsc --noEmit', '#1f77b4', (r) => r.tsc?.wallSeconds),
    pick('ESLint typed', '#ff7f0e', (r) => r.eslint?.wallSeconds),
    pick('health-data-lint cold', '#d62728', (r) => r.cli?.cold.wallSeconds),
    pick('LSP initial analysis', '#2ca02c', (r) => (r.lsp as { initialAnalysisSeconds?: number } | undefined)?.initialAnalysisSeconds),
  ];
}
