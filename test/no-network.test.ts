// The tool opens no network connection: the CLI and the server run with net, tls, dns, http(s), http2, dgram,
// fetch and WebSocket replaced by functions that record any use and throw (test/support/no-network/preload.cjs),
// while scanning the example project. The log proves the preload ran, in the server's analysis worker too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findRepositoryRoot } from './support/fixtures';
import { LspTestClient } from './support/lsp-client';

const repositoryRoot = findRepositoryRoot();
const preload = join(repositoryRoot, 'test', 'support', 'no-network', 'preload.cjs');
const example = join(repositoryRoot, 'examples', 'clinic-api');

function logLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

describe('no network', () => {
  it('the CLI scans the example with the network forbidden, and reports its findings', () => {
    const directory = mkdtempSync(join(tmpdir(), 'hdl-no-network-'));
    const log = join(directory, 'network.log');
    const output = join(directory, 'report.sarif');
    const run = spawnSync(process.execPath, ['--require', preload, join(repositoryRoot, 'dist', 'cli.js'), example, '--format', 'sarif', '--output-file', output, '--no-progress'], {
      encoding: 'utf8',
      env: { ...process.env, HDL_NO_NETWORK_LOG: log },
    });
    assert.equal(run.status, 1, `findings at error severity decide the exit code\n${run.stderr}`);
    const lines = logLines(log);
    assert.ok(lines.some((l) => l.startsWith('loaded')), 'the preload ran');
    assert.deepEqual(lines.filter((l) => l.startsWith('NETWORK')), []);
    const sarif = JSON.parse(readFileSync(output, 'utf8')) as { runs: { results: unknown[] }[] };
    assert.ok(sarif.runs[0].results.length >= 9, 'the example findings are reported');
  });

  it('the server analyses the example with the network forbidden, in its worker thread too', { timeout: 120_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'hdl-no-network-'));
    const log = join(directory, 'network.log');
    const saved = { options: process.env.NODE_OPTIONS, log: process.env.HDL_NO_NETWORK_LOG };
    // The client spawns the server with this environment; NODE_OPTIONS also reaches the worker threads.
    process.env.NODE_OPTIONS = `${saved.options ?? ''} --require ${preload}`.trim();
    process.env.HDL_NO_NETWORK_LOG = log;
    let client: LspTestClient | undefined;
    try {
      client = await LspTestClient.start(join(repositoryRoot, 'dist', 'server.js'), example);
    } finally {
      if (saved.options === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved.options;
      if (saved.log === undefined) delete process.env.HDL_NO_NETWORK_LOG;
      else process.env.HDL_NO_NETWORK_LOG = saved.log;
    }
    try {
      const seed = join(example, 'src', 'seed', 'dev-patients.ts');
      await client.waitFor('the hard-coded NIR finding', () => client!.diagnosticsOf(seed).some((d) => d.code === 'hardcoded-health-identifier'), 90_000);
      await client.waitFor('an idle status', () => client!.statuses.at(-1)?.state === 'idle');
      const lines = logLines(log);
      assert.ok(lines.some((l) => /^loaded .* thread=0$/.test(l)), 'the preload ran in the server');
      assert.ok(lines.some((l) => /^loaded .* thread=[1-9]/.test(l)), 'the preload ran in the analysis worker');
      assert.deepEqual(lines.filter((l) => l.startsWith('NETWORK')), []);
      // What the server publishes never carries an identifier in full.
      const published = JSON.stringify([...client.diagnostics.values()]);
      assert.doesNotMatch(published, /2 85 07 75 112 048 17|285077511204817/);
    } finally {
      await client.stop();
    }
  });
});
