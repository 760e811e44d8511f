// Checks that an input of `health-data-lint merge` is a SARIF 2.1.0 log the merge can rely on, naming the file and
// the problem when it is not.
import type * as Sarif from 'sarif';
import { isShardProperty, SHARD_PROPERTY } from './sarif-shard';

/** An input that is not a usable SARIF log, or shards that do not belong together: exit 2, naming the file. */
export class SarifMergeError extends Error {
  override readonly name = 'SarifMergeError';
}

/** Checks the parts of a SARIF log the merge relies on; the message names the file and what is wrong. */
export function checkSarifLog(name: string, value: unknown): Sarif.Log {
  const fail = (problem: string): never => {
    throw new SarifMergeError(`${name}: not a SARIF 2.1.0 log (${problem})`);
  };
  if (!isObject(value)) return fail('the file holds no JSON object');
  if (value.version !== '2.1.0') return fail(value.version === undefined ? 'no "version"' : `"version" is ${JSON.stringify(value.version)}`);
  if (!Array.isArray(value.runs)) return fail('no "runs" array');
  value.runs.forEach((run: unknown, index: number) => {
    const where = `runs[${index}]`;
    if (!isObject(run)) return fail(`${where} is not an object`);
    if (!isObject(run.tool) || !isObject(run.tool.driver) || typeof run.tool.driver.name !== 'string') return fail(`${where}.tool.driver.name is missing`);
    for (const key of ['results', 'artifacts', 'invocations'] as const) {
      if (run[key] !== undefined && !Array.isArray(run[key])) fail(`${where}.${key} is not an array`);
    }
    (run.results as unknown[] | undefined)?.forEach((result, resultIndex) => {
      if (!isObject(result) || !isObject(result.message)) fail(`${where}.results[${resultIndex}] has no message`);
    });
    const shard = isObject(run.properties) ? run.properties[SHARD_PROPERTY] : undefined;
    if (shard !== undefined && !isShardProperty(shard)) fail(`${where}.properties["${SHARD_PROPERTY}"] is not {index, count, projects}`);
  });
  return value as unknown as Sarif.Log;
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
