// Runs one tool as a child process under GNU time and returns what it cost: wall time, CPU time (user + system of
// the child and its descendants) and peak resident memory. GNU time reads them from wait4's rusage, the same
// source for every tool, so the figures compare.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export interface ProcessCost {
  wallSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** user + system */
  cpuSeconds: number;
  peakRssMB: number;
  exitCode: number;
}

export interface ToolRun extends ProcessCost {
  command: string;
  stdout: string;
  stderr: string;
}

export function assertGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install Debian's \`time\` package (apt-get install -y time)`);
}

/** Runs `node <args>` in `cwd`; `nodeOptions` go before the script (e.g. --max-old-space-size). */
export async function runNode(args: string[], cwd: string, nodeOptions: string[] = []): Promise<ToolRun> {
  const timeFile = join(tmpdir(), `hdl-bench-time-${process.pid}-${Date.now()}.txt`);
  const argv = ['-f', '%e %U %S %M %x', '-o', timeFile, process.execPath, ...nodeOptions, ...args];
  const started = performance.now();
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(GNU_TIME, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
  rmSync(timeFile, { force: true });
  const fields = lines.pop()!.split(' ');
  const [, user, system, maxRssKB, status] = fields.map(Number) as [number, number, number, number, number];
  // A process killed by a signal (out of memory: V8 aborts) is "terminated by signal N", and %x says 0: as a shell says it.
  const signal = lines.map((line) => /^Command terminated by signal (\d+)/.exec(line)).find(Boolean);
  const exit = signal ? 128 + Number(signal[1]) : status;
  return {
    command: ['node', ...nodeOptions, ...args].join(' '),
    wallSeconds: round(wallSeconds),
    userSeconds: user,
    systemSeconds: system,
    cpuSeconds: round(user + system),
    peakRssMB: round(maxRssKB / 1024),
    exitCode: exit,
    stdout,
    stderr,
  };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
