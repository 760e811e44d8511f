// Server survival: a failing request is answered with an LSP error and the server keeps serving; a cancelled
// request is answered as cancelled; and over a long session of edits its memory (VmRSS) stays bounded.
// `npm test` runs 500 edits; `npm run soak -- --edits N` a longer session.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { CancellationTokenSource, CodeActionRequest, ErrorCodes, HoverRequest, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { findRepositoryRoot } from './support/fixtures';
import { LspTestClient } from './support/lsp-client';

const repositoryRoot = findRepositoryRoot();
const serverScript = join(repositoryRoot, 'dist', 'server.js');
const editsArgument = process.argv.indexOf('--edits');
const EDITS = editsArgument >= 0 ? Number(process.argv[editsArgument + 1]) : 500;
/** Edits sent between two waits for the analysis (typing faster than the debounce). */
const BURST = 25;

function project(): { root: string; logger: string; visits: string } {
  const root = mkdtempSync(join(tmpdir(), 'hdl-soak-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['src'] }));
  const logger = join(root, 'src', 'logger.ts');
  writeFileSync(logger, 'export function audit(message: unknown): void {\n  console.log(message);\n}\n');
  const visits = join(root, 'src', 'visits.ts');
  writeFileSync(visits, visitsText(0));
  return { root, logger, visits };
}

/** The n-th edit of the file: the same leak, after n lines that change every time (new text, new positions). */
function visitsText(n: number): string {
  const filler = Array.from({ length: n % 40 }, (_, i) => `const note${i} = 'edit ${n} line ${i}';`).join('\n');
  return `import { audit } from './logger';\nexport interface Visit { id: string; diagnosis: string }\n${filler}\nexport function record(visit: Visit): void {\n  audit(visit.diagnosis);\n}\n`;
}

/** Resident memory of a process, in MiB, from /proc (Linux). */
function residentMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, 'VmRSS in /proc/<pid>/status');
  return Number(match[1]) / 1024;
}

async function settled(client: LspTestClient, mark: number): Promise<void> {
  await client.waitFor('the analysis to settle', () => {
    const since = client.statuses.slice(mark);
    return since.some((s) => s.state === 'analysing') && since.at(-1)?.state === 'idle';
  }, 60_000);
}

const clients: LspTestClient[] = [];
after(async () => {
  for (const client of clients) await client.stop();
});

describe('the server survives', () => {
  it('answers a request whose handler throws with an LSP error, then keeps answering', { timeout: 90_000 }, async () => {
    const { root, logger } = project();
    const client = await LspTestClient.start(serverScript, root);
    clients.push(client);
    await client.waitFor('the leak in the wrapper', () => client.diagnosticsOf(logger).find((d) => d.code === 'log-exposure'));
    const uri = pathToFileURL(logger).href;
    // A code action request without its context (a buggy client): the handler throws reading context.diagnostics.
    const failed = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } } as never).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(failed instanceof ResponseError, 'the request is answered with an error, not an empty list');
    assert.equal(failed.code, ErrorCodes.InternalError);
    assert.match(failed.message, /code actions failed/);
    // The same server still answers, with the finding it had.
    const diagnostic = client.diagnosticsOf(logger).find((d) => d.code === 'log-exposure')!;
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: diagnostic.range.start });
    assert.match(JSON.stringify(hover?.contents), /log-exposure/);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    assert.ok((actions ?? []).length > 0, 'code actions work again');
  });

  it('answers a request cancelled while it waited as cancelled, and the others', { timeout: 90_000 }, async () => {
    const { root, logger } = project();
    const client = await LspTestClient.start(serverScript, root);
    clients.push(client);
    const diagnostic = await client.waitFor('the leak in the wrapper', () => client.diagnosticsOf(logger).find((d) => d.code === 'log-exposure'));
    const uri = pathToFileURL(logger).href;
    // Queued behind other requests, as when the editor cancels what the user moved away from.
    const ahead = Array.from({ length: 200 }, () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: diagnostic.range.start }));
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }, source.token);
    source.cancel();
    const outcome = await pending.then(
      () => 'answered',
      (error: unknown) => (error instanceof ResponseError ? error.code : String(error)),
    );
    assert.equal(outcome, LSPErrorCodes.RequestCancelled);
    assert.equal((await Promise.all(ahead)).filter((hover) => hover !== null).length, 200, 'the requests ahead were answered');
  });

  it(`keeps its memory bounded over ${EDITS} edits`, { timeout: Math.max(120_000, EDITS * 400) }, async () => {
    const { root, logger, visits } = project();
    const client = await LspTestClient.start(serverScript, root);
    clients.push(client);
    await client.waitFor('the first analysis', () => client.diagnosticsOf(logger).some((d) => d.code === 'log-exposure'), 60_000);
    const pid = client.pid!;
    let mark = client.statuses.length;
    await client.open(visits, visitsText(0));
    await settled(client, mark);
    const samples: { edits: number; rss: number }[] = [{ edits: 0, rss: residentMiB(pid) }];
    const started = Date.now();
    for (let edit = 1; edit <= EDITS; ) {
      mark = client.statuses.length;
      for (let i = 0; i < BURST && edit <= EDITS; i++, edit++) await client.changed(visits, visitsText(edit), edit + 1);
      await settled(client, mark);
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(logger).href }, position: { line: 1, character: 14 } });
      samples.push({ edits: edit - 1, rss: residentMiB(pid) });
    }
    const seconds = (Date.now() - started) / 1000;
    const curve = samples.map((s) => `${s.edits}:${Math.round(s.rss)}`).join(' ');
    console.log(`soak: ${EDITS} edits, ${samples.length - 1} analyses in ${seconds.toFixed(1)} s; VmRSS MiB by edits ${curve}`);
    // After warming up (the compiler's lib files, the worker), memory must not keep growing with edits.
    const warm = Math.max(...samples.slice(0, Math.max(2, Math.ceil(samples.length / 4))).map((s) => s.rss));
    const last = samples.at(-1)!.rss;
    const bound = warm * 1.25 + 64;
    assert.ok(last <= bound, `VmRSS grew from ${Math.round(warm)} MiB (warm) to ${Math.round(last)} MiB, over the bound of ${Math.round(bound)} MiB: ${curve}`);
    assert.ok(client.diagnosticsOf(logger).some((d) => d.code === 'log-exposure'), 'still reporting after the session');
    assert.ok(!client.statuses.some((s) => s.state === 'error'), 'no handler failed');
  });
});
