// The protocol fuzzer: a real server over stdio gets mutated versions of an open file as unsaved edits; it must
// keep answering, never report a failed handler, and publish the same diagnostics again once the text is restored.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../lsp-client';
import type { CorpusCase } from './corpus';
import { mutate } from './mutations';
import { SeededRandom as Random } from '../random';

export interface ProtocolFuzzReport {
  edits: number;
  analyses: number;
  problems: string[];
}

/** Diagnostics as comparable lines: file, rule and range of each, sorted. */
function snapshot(client: LspTestClient): string[] {
  const lines: string[] = [];
  for (const [uri, diagnostics] of client.diagnostics) {
    for (const d of diagnostics) lines.push(`${uri} ${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
  }
  return lines.sort();
}

/** Waits for an analysis that started after `mark` (an index into the statuses) to end in `idle`. */
async function settled(client: LspTestClient, mark: number, timeoutMs: number): Promise<void> {
  await client.waitFor(
    'the analysis to settle',
    () => {
      const since = client.statuses.slice(mark);
      return since.some((s) => s.state === 'analysing') && since.at(-1)?.state !== 'analysing';
    },
    timeoutMs,
  );
}

export async function fuzzOverProtocol(serverScript: string, testCase: CorpusCase, options: { seed: number; edits: number; burst: number }): Promise<ProtocolFuzzReport> {
  const random = new Random(options.seed);
  const client = await LspTestClient.start(serverScript, testCase.dir);
  const problems: string[] = [];
  let analyses = 0;
  try {
    await client.waitFor('the first analysis', () => client.statuses.some((s) => s.state === 'idle' || s.state === 'error'), 60_000);
    const file = random.pick(testCase.files);
    const original = readFileSync(file, 'utf8');
    let mark = client.statuses.length;
    await client.open(file, original);
    await settled(client, mark, 60_000);
    const initial = snapshot(client);
    let version = 1;
    for (let sent = 0; sent < options.edits; ) {
      mark = client.statuses.length;
      // Bursts of edits faster than the debounce, as typing produces, then one analysis of the last.
      for (let i = 0; i < options.burst && sent < options.edits; i++, sent++) await client.changed(file, mutate(original, random).text, ++version);
      await settled(client, mark, 60_000);
      analyses++;
      // Still answering requests on the mutated buffer.
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(file).href }, position: { line: 0, character: 0 } });
    }
    mark = client.statuses.length;
    await client.changed(file, original, ++version);
    await settled(client, mark, 60_000);
    const restored = snapshot(client);
    if (restored.join('\n') !== initial.join('\n')) {
      problems.push(`diagnostics after restoring ${file} differ:\n  before ${initial.join('\n         ')}\n  after  ${restored.join('\n         ')}`);
    }
    for (const status of client.statuses) if (status.state === 'error') problems.push(`error status: ${status.message ?? ''}`);
  } finally {
    await client.stop();
  }
  return { edits: options.edits, analyses, problems };
}
