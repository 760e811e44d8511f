// The worker thread that runs the (synchronous) engine, so the server keeps answering while a project is analysed.
import { parentPort } from 'node:worker_threads';
import { DEFAULT_DOCUMENTATION_BASE_URL, type HealthDataLintConfig } from '../engine/config';
import { scan } from '../engine';
import { ConfigError, loadConfig } from '../engine/load-config';
import { RegisterError } from '../engine/legal/register';
import { ProjectError } from '../engine/program/compiler';
import type { AnalysisRequest, AnalysisResponse, BlockingProblem } from './analysis-unit';

/** Editor defaults: the field view (`exported-health-field`) is off in the CLI but shown in the editor (contract). */
const EDITOR_RULE_DEFAULTS: HealthDataLintConfig['rules'] = { 'exported-health-field': 'information' };

export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runAnalysisWorker must run in a worker thread');
  port.on('message', (request: AnalysisRequest) => port.postMessage(analyse(request)));
}

export function analyse(request: AnalysisRequest): AnalysisResponse {
  const started = Date.now();
  const { unit } = request;
  try {
    const loaded = loadConfig(unit.directory);
    const config: HealthDataLintConfig = {
      ...loaded.config,
      rules: { ...EDITOR_RULE_DEFAULTS, ...loaded.config.rules, ...(request.rules as HealthDataLintConfig['rules']) },
    };
    const result = scan({
      paths: [unit.directory],
      ...(unit.configFile !== undefined && { projects: [unit.configFile] }),
      config,
      configDirectory: loaded.directory,
      readFile: (file) => request.openDocuments[file],
    });
    const documentationBaseUrl = config.documentationBaseUrl ?? DEFAULT_DOCUMENTATION_BASE_URL;
    return { id: request.id, ok: true, result, documentationBaseUrl, elapsedMs: Date.now() - started };
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), problems: blockingProblemsOf(error) };
  }
}

/** Errors cross the thread boundary as plain data: keep where each problem is so the editor can point at it. */
function blockingProblemsOf(error: unknown): BlockingProblem[] {
  if (error instanceof RegisterError) {
    return error.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, message: p.path ? `${p.path}: ${p.message}` : p.message }));
  }
  if (error instanceof ConfigError) return [{ file: error.file, message: error.message }];
  if (error instanceof ProjectError) return [{ file: error.file, message: error.message }];
  return [{ message: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }];
}
