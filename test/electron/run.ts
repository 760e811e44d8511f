// Runs the editor end-to-end suite in a desktop VS Code with @vscode/test-electron: the one given by
// VSCODE_EXECUTABLE_PATH, else the copy the package downloads (cached in .vscode-test/). The extension is loaded from
// this repository (build it first), other extensions are disabled, and the editor opens a temporary copy of
// examples/clinic-api so the suite may edit files.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';

/** How long the download may stay idle before it is abandoned (the package's default waits much longer). */
const DOWNLOAD_IDLE_TIMEOUT_MS = 20_000;

/** The repository root: the nearest ancestor holding the extension's manifest and the example. */
function repositoryRoot(start: string): string {
  for (let directory = resolve(start); ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'examples', 'clinic-api'))) return directory;
    if (dirname(directory) === directory) throw new Error(`cannot find the repository root from ${start}`);
  }
}

/** A fresh profile: no welcome page or walkthrough, so that the first editor is the suite's; nothing saved behind its back. */
function createProfile(root: string): string {
  const userDataDirectory = join(root, 'user-data');
  mkdirSync(join(userDataDirectory, 'User'), { recursive: true });
  // No auto-save: the suite checks that unsaved edits are analysed from the editor's buffer.
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'files.autoSave': 'off',
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
  };
  writeFileSync(join(userDataDirectory, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return userDataDirectory;
}

async function main(): Promise<number> {
  const root = repositoryRoot(__dirname);
  for (const bundle of ['dist/client.js', 'dist/server.js', 'dist/language-server.js']) {
    if (!existsSync(join(root, bundle))) {
      console.error(`${bundle} is missing: run \`npm run build\` first (npm run test:electron does).`);
      return 2;
    }
  }
  const scratch = mkdtempSync(join(tmpdir(), 'hdl-electron-'));
  const workspace = join(scratch, 'clinic-api');
  cpSync(join(root, 'examples', 'clinic-api'), workspace, { recursive: true });
  try {
    const executable = await obtainVSCode(root);
    if (!executable) return 2;
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { HEALTH_DATA_LINT_E2E_WORKSPACE: workspace },
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${createProfile(scratch)}`, `--extensions-dir=${join(scratch, 'extensions')}`],
    });
    return 0;
  } catch (error) {
    if (error instanceof TestRunFailedError) {
      console.error(`The editor tests failed: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** VSCODE_EXECUTABLE_PATH, else a download; undefined (with the reason on stderr) when neither works. */
async function obtainVSCode(root: string): Promise<string | undefined> {
  const configured = process.env.VSCODE_EXECUTABLE_PATH;
  if (configured) {
    if (existsSync(configured)) {
      console.log(`VS Code: ${configured}`);
      return configured;
    }
    console.error(`VSCODE_EXECUTABLE_PATH is ${configured}, which does not exist.`);
    return undefined;
  }
  const version = process.env.VSCODE_TEST_VERSION || 'stable';
  console.log(`VS Code: ${version}, downloaded into .vscode-test/ unless already there (set VSCODE_EXECUTABLE_PATH to use an installed one).`);
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: join(root, '.vscode-test'), timeout: DOWNLOAD_IDLE_TIMEOUT_MS });
  } catch (error) {
    // The download rejects with an Error or, for some failures, a bare string.
    const reason = error instanceof Error ? error.message : String(error);
    console.error(
      [
        `Could not obtain VS Code to run the editor tests: ${reason}`,
        'The download needs https://update.code.visualstudio.com. Without access to it, point VSCODE_EXECUTABLE_PATH',
        'at an installed desktop VS Code (the `code` binary of a Linux .tar.gz, `Code.exe` on Windows, or',
        '`Visual Studio Code.app/Contents/MacOS/Electron` on macOS) and run `npm run test:electron` again.',
      ].join('\n'),
    );
    return undefined;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
