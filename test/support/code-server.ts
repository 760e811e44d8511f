// code-server for the real-editor test: finds the installation scripts/e2e/install-code-server.sh made, installs
// a .vsix into a throwaway profile, starts VS Code's server on a free port and stops it with all it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Keep in step with scripts/e2e/install-code-server.sh. */
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM_PATH = process.env.HEALTH_DATA_LINT_CHROMIUM ?? '/usr/bin/chromium';

function installationPrefix(): string {
  const home = process.env.HEALTH_DATA_LINT_E2E_HOME ?? join(homedir(), '.cache', 'health-data-lint-e2e');
  return join(home, `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerEntry(): string {
  return join(installationPrefix(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Why the real-editor test cannot run here (empty: it can). */
export function missingRequirements(): string[] {
  const missing: string[] = [];
  // The marker is written last by the installer: without it the installation is incomplete.
  if (!existsSync(join(installationPrefix(), '.installed')) || !existsSync(codeServerEntry())) {
    missing.push(`code-server ${CODE_SERVER_VERSION} is not installed in ${installationPrefix()} (run \`npm run e2e:install\`)`);
  }
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    missing.push(`Chromium is not at ${CHROMIUM_PATH} (Debian package \`chromium\`, or set HEALTH_DATA_LINT_CHROMIUM)`);
  }
  return missing;
}

/** A port nobody listens on now (the OS picks it; code-server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs` saying what it waited for. */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A throwaway VS Code profile: user data (settings) and extensions, both under `root`. */
export interface Profile {
  userDataDir: string;
  extensionsDir: string;
}

export function createProfile(root: string, settings: Record<string, unknown>): Profile {
  const profile = { userDataDir: join(root, 'user-data'), extensionsDir: join(root, 'extensions') };
  mkdirSync(join(profile.userDataDir, 'User'), { recursive: true });
  mkdirSync(profile.extensionsDir, { recursive: true });
  writeFileSync(join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return profile;
}

/** Options every code-server invocation gets: no global config file, no telemetry, no update or trust prompts. */
function commonArguments(profile: Profile): string[] {
  return ['--config', '/dev/null', '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--disable-telemetry', '--disable-update-check'];
}

/** `code-server --install-extension <vsix>`, as a user would; returns the directory the extension was unpacked to. */
export async function installExtension(profile: Profile, vsix: string, extensionId: string): Promise<string> {
  const child = spawn(process.execPath, [codeServerEntry(), ...commonArguments(profile), '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await exitOf(child, 120_000);
  if (code !== 0) throw new Error(`code-server --install-extension exited with ${code}:\n${output}`);
  const installed = readdirSync(profile.extensionsDir).find((name) => name.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
  if (!installed) throw new Error(`the extension is not in ${profile.extensionsDir} after installing:\n${output}`);
  return join(profile.extensionsDir, installed);
}

export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Starts code-server on `folder` and waits until it answers /healthz; its output goes to `logFile`. */
  static async start(profile: Profile, folder: string, logFile: string): Promise<CodeServer> {
    const port = await freePort();
    const args = [codeServerEntry(), ...commonArguments(profile), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-workspace-trust', folder];
    // Its own process group, so stopping it also stops the extension host and our language server it spawned.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const log = createWriteStream(logFile);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const server = new CodeServer(child, `http://127.0.0.1:${port}`);
    try {
      await pollUntil(
        'code-server to answer /healthz',
        async () => {
          if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} (see ${logFile})`);
          const response = await fetch(`${server.url}/healthz`);
          return response.ok;
        },
        60_000,
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** The workbench URL for `folder`. */
  folderUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  /** SIGTERM to the whole process group, SIGKILL if it is still there after 10 s. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return this.killGroup('SIGKILL');
    this.killGroup('SIGTERM');
    const code = await exitOf(this.child, 10_000).catch(() => undefined);
    // Children (extension host, language server) may outlive the parent: the group is killed either way.
    this.killGroup('SIGKILL');
    if (code === undefined) await exitOf(this.child, 5_000).catch(() => undefined);
  }

  private killGroup(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`process ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
