// The engine fuzzer: mutates one file of a fixture case at a time, scans the case with the mutated text as an
// unsaved buffer, and checks that the scan returns in bounded time and that findings in unrelated files hold.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { scan } from '../../../server/src/engine/index';
import { loadConfig } from '../../../server/src/engine/load-config';
import type { AnalysisResult } from '../../../server/src/engine/model';
import { filesRelatedTo, type CorpusCase } from './corpus';
import { mutate, type Mutation } from './mutations';
import { SeededRandom as Random } from '../random';

export interface FuzzOptions {
  corpus: CorpusCase[];
  seed: number;
  /** Wall-clock bound of the run; the input under way finishes. */
  seconds: number;
  /** A single scan slower than this is a hang. */
  hangMs: number;
  maxInputs?: number;
}

export interface FuzzFailure {
  seed: number;
  input: number;
  caseName: string;
  file: string;
  mutation: Omit<Mutation, 'text'>;
  /** The mutated text, to be kept as a regression fixture. */
  text: string;
  problem: string;
}

export interface FuzzReport {
  inputs: number;
  failures: FuzzFailure[];
  /** Inputs whose mutated file was skipped, by reason (parse-error, budget...). */
  skipped: Record<string, number>;
  byMutation: Record<string, number>;
  slowestMs: number;
  elapsedMs: number;
}

/** What fixtures compare: rule, file and position of each finding (messages may name the mutated text). */
function findingKeys(result: AnalysisResult, dir: string, keep: (file: string) => boolean): string[] {
  return result.findings.filter((f) => keep(f.location.file)).map((f) => `${f.ruleId} ${relative(dir, f.location.file)}:${f.location.line}:${f.location.column}`);
}

export function scanCase(testCase: CorpusCase, overrides: Record<string, string> = {}): AnalysisResult {
  const loaded = loadConfig(testCase.dir);
  return scan({ paths: [testCase.dir], config: loaded.config, configDirectory: loaded.directory, readFile: (file) => overrides[file] });
}

export function runFuzz(options: FuzzOptions, onInput?: (index: number, failure?: FuzzFailure) => void): FuzzReport {
  const random = new Random(options.seed);
  const baselines = new Map<string, AnalysisResult>();
  const report: FuzzReport = { inputs: 0, failures: [], skipped: {}, byMutation: {}, slowestMs: 0, elapsedMs: 0 };
  const started = Date.now();
  while (Date.now() - started < options.seconds * 1000 && report.inputs < (options.maxInputs ?? Number.POSITIVE_INFINITY)) {
    const testCase = random.pick(options.corpus);
    const file = random.pick(testCase.files);
    const original = readFileSync(file, 'utf8');
    const mutation = mutate(original, random);
    const index = report.inputs++;
    report.byMutation[mutation.kind] = (report.byMutation[mutation.kind] ?? 0) + 1;
    let baseline = baselines.get(testCase.dir);
    if (!baseline) {
      baseline = scanCase(testCase);
      baselines.set(testCase.dir, baseline);
    }
    const fail = (problem: string): FuzzFailure => {
      const { text, ...described } = mutation;
      const failure = { seed: options.seed, input: index, caseName: testCase.name, file: relative(testCase.dir, file), mutation: described, text, problem };
      report.failures.push(failure);
      return failure;
    };
    let failure: FuzzFailure | undefined;
    const before = Date.now();
    let result: AnalysisResult | undefined;
    try {
      result = scanCase(testCase, { [file]: mutation.text });
    } catch (error) {
      failure = fail(`the scan threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    const took = Date.now() - before;
    report.slowestMs = Math.max(report.slowestMs, took);
    if (!failure && took > options.hangMs) failure = fail(`the scan took ${took} ms (over ${options.hangMs} ms)`);
    if (result && !failure) {
      for (const skipped of result.skipped.filter((s) => s.file === file)) report.skipped[skipped.reason] = (report.skipped[skipped.reason] ?? 0) + 1;
      const internal = result.skipped.find((s) => s.reason === 'internal-error');
      if (internal) failure = fail(`internal error in ${relative(testCase.dir, internal.file)}: ${internal.message}`);
    }
    if (result && !failure) {
      const related = filesRelatedTo(testCase, file, [mutation.text]);
      const unrelated = (f: string) => !related.has(f);
      const expected = findingKeys(baseline, testCase.dir, unrelated);
      const actual = findingKeys(result, testCase.dir, unrelated);
      if (expected.join('\n') !== actual.join('\n')) {
        const missing = expected.filter((k) => !actual.includes(k));
        const extra = actual.filter((k) => !expected.includes(k));
        failure = fail(`findings in files that do not depend on ${relative(testCase.dir, file)} changed: missing [${missing.join('; ')}] extra [${extra.join('; ')}]`);
      }
    }
    onInput?.(index, failure);
  }
  report.elapsedMs = Date.now() - started;
  return report;
}
