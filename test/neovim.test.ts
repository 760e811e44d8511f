// Neovim as a second real LSP client: `nvim --headless` with test/support/neovim/lsp-session.lua starts the bundled
// server on a copy of examples/clinic-api, opens a file, and reports what Neovim saw (diagnostics, hover, code
// actions, and the diagnostics after an unsaved edit). This keeps the server honest to the protocol, not to VS Code.
// Skipped when nvim is not installed, unless HEALTH_DATA_LINT_E2E=required (CI), where that is a failure.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { readExpectations, type Expectation } from './support/fixtures';

const packageRoot = process.cwd();
const serverScript = join(packageRoot, 'dist', 'server.js');
const sessionScript = join(packageRoot, 'test', 'support', 'neovim', 'lsp-session.lua');
const REQUIRED = process.env.HEALTH_DATA_LINT_E2E === 'required';
/** The file Neovim opens: two findings, so one can be deleted while the other must move up a line. */
const OPENED_FILE = 'src/routes/observations.ts';
/**
 * Put in front of the kept finding, on its line, in the temporary copy: Neovim counts columns in bytes and LSP in
 * UTF-16 units, so positions on this line only match if both sides convert (a French comment is ordinary here).
 */
const NON_ASCII_PREFIX = '/* télémétrie */ ';
/** Bound of each wait inside Neovim (first analysis of the example, a request, the re-analysis after the edit). */
const WAIT_MS = 60_000;
/** Bound of the whole nvim run, past which it is killed with its server. */
const RUN_MS = 150_000;

/** A diagnostic as Neovim stores it (0-based lnum/col), reduced by the Lua script. */
interface ShownDiagnostic {
  lnum: number;
  col: number;
  source: string;
  code: string;
  message: string;
  href: string | null;
  related: number;
}

interface TextEditJson {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

interface CodeActionJson {
  title: string;
  kind?: string;
  edit?: { changes?: Record<string, TextEditJson[]> };
  command?: { command: string; arguments?: unknown[] };
}

interface SessionOutput {
  error?: string;
  nvim: { major: number; minor: number; patch: number };
  filetype: string;
  server_pid?: number;
  server_capabilities?: { hover: unknown; code_action: unknown };
  events: { init_ms: number; first_diagnostic_ms?: number; idle_ms?: number; edit_to_diagnostics_ms?: number };
  log: string[];
  diagnostics?: ShownDiagnostic[];
  inspected?: { lnum: number; code: string; sent_diagnostics: number; hover: { kind: string; value: string } | null; code_actions: CodeActionJson[] }[];
  deleted_text?: string;
  modified?: boolean;
  diagnostics_after_edit?: ShownDiagnostic[];
}

interface NvimRun {
  exitCode: number | null;
  stderr: string;
  wallMs: number;
  output: SessionOutput;
}

/** Why this suite cannot run here, or undefined when `nvim` answers `--version`. */
function nvimUnavailable(): string | undefined {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error || probe.status !== 0) return `nvim is not installed or does not run (${probe.error?.message ?? `exit ${probe.status}`}); apt-get install neovim`;
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(predicate: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return predicate();
}

/**
 * Runs the Lua session in its own process group (the server it starts joins that group), bounded by RUN_MS; the
 * group is killed in every case, and the server is checked gone by its pid.
 */
async function runNeovim(workspace: string, file: string, deleteLine: number): Promise<NvimRun> {
  const outputFile = join(workspace, '.nvim-session.json');
  const xdg = join(workspace, '.nvim-home');
  mkdirSync(xdg, { recursive: true });
  const startedAt = Date.now();
  const child = spawn('nvim', ['--headless', '--clean', '-u', sessionScript], {
    cwd: workspace,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Neovim's LSP log, shada and state go to the temporary copy, not the user's home.
      XDG_CACHE_HOME: xdg,
      XDG_STATE_HOME: xdg,
      XDG_DATA_HOME: xdg,
      XDG_CONFIG_HOME: xdg,
      HDL_NODE: process.execPath,
      HDL_SERVER: serverScript,
      HDL_ROOT: workspace,
      HDL_FILE: file,
      HDL_OUTPUT: outputFile,
      HDL_TIMEOUT_MS: String(WAIT_MS),
      HDL_STARTED_AT_MS: String(startedAt),
      HDL_DELETE_LINE: String(deleteLine),
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout.resume();
  let serverPid: number | undefined;
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nvim did not finish within ${RUN_MS} ms; stderr: ${stderr}`)), RUN_MS);
      child.on('error', (error) => (clearTimeout(timer), reject(error)));
      child.on('exit', (code) => (clearTimeout(timer), resolve(code)));
    });
    const wallMs = Date.now() - startedAt;
    assert.ok(existsSync(outputFile), `the Lua session wrote no output (exit ${exitCode}); stderr: ${stderr}`);
    const output = JSON.parse(readFileSync(outputFile, 'utf8')) as SessionOutput;
    serverPid = output.server_pid;
    return { exitCode, stderr, wallMs, output };
  } finally {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone between the check and the kill.
      }
    }
    // Neovim stops its clients on :qa (shutdown, exit, then a kill after 500 ms): the server must not outlive it.
    if (serverPid !== undefined && !(await waitUntil(() => !isAlive(serverPid!), 5_000))) {
      process.kill(serverPid, 'SIGKILL');
      assert.fail(`the language server (pid ${serverPid}) was still running 5 s after nvim quit`);
    }
  }
}

const byPosition = (a: { line: number; ruleId: string }, b: { line: number; ruleId: string }) => a.line - b.line || a.ruleId.localeCompare(b.ruleId);
const shownAsExpectations = (diagnostics: ShownDiagnostic[]) => diagnostics.map((d) => ({ ruleId: d.code, line: d.lnum + 1 })).sort(byPosition);
const unavailable = nvimUnavailable();

describe('Neovim (built-in LSP client) on a copy of examples/clinic-api', { skip: !REQUIRED && unavailable ? `${unavailable}; set HEALTH_DATA_LINT_E2E=required to make this a failure` : false }, () => {
  let workspace: string;
  let openedFile: string;
  /** The opened file as written in the temporary copy (with NON_ASCII_PREFIX), never saved over by Neovim. */
  let diskText: string;
  let expected: { ruleId: string; line: number }[];
  let deleted: Expectation;
  /** 1-based line of the kept finding, where NON_ASCII_PREFIX was inserted. */
  let prefixedLine: number;
  let run: NvimRun;

  before(async () => {
    assert.equal(unavailable, undefined, `HEALTH_DATA_LINT_E2E=required but ${unavailable}`);
    assert.ok(existsSync(serverScript), `${serverScript} is missing: run node scripts/build.mjs first`);
    workspace = mkdtempSync(join(tmpdir(), 'hdl-nvim-'));
    cpSync(join(packageRoot, 'examples', 'clinic-api'), workspace, { recursive: true });
    openedFile = join(workspace, OPENED_FILE);
    // What the example announces for the opened file, read from its `// expect:` comments.
    const announced = readExpectations(workspace).filter((e) => e.file === OPENED_FILE);
    assert.ok(announced.length >= 2, `${OPENED_FILE} announces at least two findings (one to delete, one to keep)`);
    expected = announced.map(({ ruleId, line }) => ({ ruleId, line })).sort(byPosition);
    deleted = announced[0];
    prefixedLine = announced[announced.length - 1].line;
    assert.notEqual(prefixedLine, deleted.line, 'the kept finding is on another line than the deleted one');
    const lines = readFileSync(openedFile, 'utf8').split('\n');
    lines[prefixedLine - 1] = lines[prefixedLine - 1].replace(/^(\s*)/, `$1${NON_ASCII_PREFIX}`);
    diskText = lines.join('\n');
    writeFileSync(openedFile, diskText);
    run = await runNeovim(workspace, openedFile, deleted.line);
  });

  after(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  test('the session ran to the end in Neovim 0.7+ on a typescript buffer', (t) => {
    const { output } = run;
    assert.equal(output.error, undefined, `the Lua session failed: ${output.error}\nserver log:\n${output.log.join('\n')}\nstderr: ${run.stderr}`);
    assert.equal(run.exitCode, 0, `nvim exit code; stderr: ${run.stderr}`);
    assert.ok(output.nvim.major > 0 || output.nvim.minor >= 7, `Neovim ${output.nvim.major}.${output.nvim.minor}`);
    assert.equal(output.filetype, 'typescript', 'didOpen carries the languageId Neovim detected');
    assert.ok(output.server_capabilities?.hover, 'the server advertises hover');
    assert.ok(output.server_capabilities?.code_action, 'the server advertises code actions');
    t.diagnostic(
      `Neovim ${output.nvim.major}.${output.nvim.minor}.${output.nvim.patch}: first diagnostic ${Math.round(output.events.first_diagnostic_ms ?? NaN)} ms after spawn ` +
        `(init.lua ran at ${Math.round(output.events.init_ms)} ms), server idle at ${Math.round(output.events.idle_ms ?? NaN)} ms, ` +
        `edit to new diagnostics ${Math.round(output.events.edit_to_diagnostics_ms ?? NaN)} ms, whole run ${run.wallMs} ms`,
    );
  });

  test('diagnostics carry our source, the rule ids announced at those lines and the documentation link', () => {
    const shown = run.output.diagnostics ?? [];
    assert.deepEqual(shownAsExpectations(shown), expected, 'the rule ids at the lines announced by `// expect:` comments, no more, no less');
    for (const diagnostic of shown) {
      assert.equal(diagnostic.source, 'health-data-lint');
      assert.equal(diagnostic.href, `https://github.com/health-data-lint/health-data-lint/blob/main/rules/${diagnostic.code}.md`);
      assert.ok(diagnostic.message.length > 20, diagnostic.message);
      assert.ok(diagnostic.related >= 2, `${diagnostic.code} has its path from the source to the sink as related information`);
    }
  });

  test('Neovim places each diagnostic where the server meant it, also after non-ASCII text on the line', () => {
    const original = readFileSync(join(packageRoot, 'examples', 'clinic-api', OPENED_FILE), 'utf8').split('\n');
    const edited = diskText.split('\n');
    const shift = Buffer.byteLength(NON_ASCII_PREFIX);
    for (const d of run.output.diagnostics ?? []) {
      // Neovim converted the server's UTF-16 column to a byte column: the text from there on is the example's text
      // from the same place, which only holds if the server counted in UTF-16 as the protocol says.
      const fromShown = Buffer.from(edited[d.lnum], 'utf8').subarray(d.col).toString('utf8');
      const fromExample = Buffer.from(original[d.lnum], 'utf8').subarray(d.col - (d.lnum + 1 === prefixedLine ? shift : 0)).toString('utf8');
      assert.equal(fromShown, fromExample, `${d.code} on line ${d.lnum + 1} at byte ${d.col}`);
      assert.match(fromShown, /^\S/, `${d.code} starts on code, not on blanks`);
    }
    assert.ok((run.output.diagnostics ?? []).some((d) => d.lnum + 1 === prefixedLine), 'a diagnostic sits on the line with non-ASCII text');
  });

  test('hover at each finding explains why the data is health data', () => {
    const inspected = run.output.inspected ?? [];
    assert.equal(inspected.length, expected.length, 'every diagnostic was hovered');
    for (const { code, lnum, hover } of inspected) {
      assert.ok(hover, `a hover at ${code} on line ${lnum + 1}`);
      assert.equal(hover.kind, 'markdown');
      assert.ok(hover.value.includes(`\`${code}\``), `the hover names the rule: ${hover.value}`);
      assert.match(hover.value, /\*\*Why this is health data\*\*\n\n- \S.{10,}/, 'the hover gives the classification reason');
      assert.match(hover.value, /\[Rule documentation\]\(https:\/\/\S+\.md\)/);
    }
  });

  test('code actions for the diagnostics Neovim sends back include the justified suppression and the documentation', () => {
    const uri = pathToFileURL(openedFile).href;
    const lines = diskText.split('\n');
    assert.ok((run.output.inspected ?? []).length > 0, 'diagnostics were inspected');
    for (const { code, lnum, sent_diagnostics: sent, code_actions: actions } of run.output.inspected ?? []) {
      assert.ok(sent >= 1, `Neovim sent the line's diagnostics in the context (line ${lnum + 1})`);
      const titles = actions.map((a) => a.title).join('\n');
      const suppression = actions.find((a) => a.title.startsWith(`Suppress ${code}`));
      assert.ok(suppression, `a suppression fix for ${code} among:\n${titles}`);
      const edits = suppression.edit?.changes?.[uri];
      assert.ok(edits && edits.length === 1, `the suppression edits the opened document (${uri}): ${JSON.stringify(suppression.edit)}`);
      const indent = /^[ \t]*/.exec(lines[lnum])?.[0] ?? '';
      assert.deepEqual(edits[0].range, { start: { line: lnum, character: 0 }, end: { line: lnum, character: 0 } });
      assert.match(edits[0].newText, new RegExp(`^${indent}// health-data-lint-disable-next-line ${code} -- \\S.*\\n$`), 'a comment on the line before, with a justification to fill in');
      const documentation = actions.find((a) => a.command?.command && a.title.includes('documentation'));
      assert.ok(documentation?.command?.arguments?.some((arg) => typeof arg === 'string' && arg.endsWith(`/rules/${code}.md`)), `a documentation action for ${code} among:\n${titles}`);
      if (['unprotected-export', 'third-party-disclosure', 'pseudonymised-export', 'insufficient-legal-basis'].includes(code)) {
        assert.ok(actions.some((a) => a.title.includes('@legalBasis') && a.edit?.changes?.[uri]), `a legal-basis fix for ${code} among:\n${titles}`);
      }
    }
  });

  test('deleting the offending line in the buffer (unsaved) removes its diagnostic and moves the others', () => {
    const { output } = run;
    assert.ok(output.diagnostics_after_edit, `no diagnostics after the edit: ${output.error ?? 'the session stopped before it'}`);
    assert.equal(output.deleted_text, diskText.split('\n')[deleted.line - 1], 'the line deleted is the one announced');
    assert.equal(output.modified, true, 'the buffer was not saved');
    assert.equal(readFileSync(openedFile, 'utf8'), diskText, 'the file on disk is unchanged: the server analysed the buffer');
    const remaining = expected
      .filter((e) => !(e.line === deleted.line && e.ruleId === deleted.ruleId))
      .map((e) => ({ ruleId: e.ruleId, line: e.line > deleted.line ? e.line - 1 : e.line }));
    assert.deepEqual(shownAsExpectations(output.diagnostics_after_edit ?? []), remaining);
    assert.ok((output.diagnostics_after_edit ?? []).every((d) => d.source === 'health-data-lint'));
  });
});
