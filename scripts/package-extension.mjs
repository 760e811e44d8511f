// Packages the VS Code extension as a .vsix with @vscode/vsce (pinned 3.9.x), from a staging copy of the repository
// that holds only the built bundles, schemas, rule pages and a manifest for the editor.
//
// Why a staging copy instead of `vsce package` in the repository:
// - package.json's `files` is the npm package's whitelist (the CLI); vsce refuses a manifest that has both
//   `files` and a .vscodeignore, and the .vsix has its own whitelist (.vscodeignore).
// - vsce refuses a manifest whose devDependency @types/vscode is newer than `engines.vscode`; the types are a
//   development tool and a .vsix manifest needs no devDependencies. `engines.vscode` stays what the extension
//   really needs (vscode-languageclient 11 asks for ^1.91.0), so it installs in code-server 1.100.
// Usage: node scripts/package-extension.mjs [--out <file.vsix>]   (run `node scripts/build.mjs` first)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, `${manifest.name}-${manifest.version}.vsix`));

for (const bundle of ['dist/client.js', 'dist/server.js', 'dist/language-server.js', 'dist/cli.js', 'dist/cli-main.js']) {
  if (!existsSync(join(root, bundle))) {
    console.error(`${bundle} is missing: run \`node scripts/build.mjs\` (or \`npm run package\`, which builds first).`);
    process.exit(2);
  }
}

const staging = mkdtempSync(join(tmpdir(), 'health-data-lint-vsix-'));
try {
  // The development-only fields are left out of the staged manifest (see the header).
  const { devDependencies: _dev, scripts: _scripts, files: _files, ...editorManifest } = manifest;
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(editorManifest, null, 2)}\n`);
  // Copy generously (maps aside, they are large); the .vscodeignore whitelist decides what goes in.
  for (const entry of ['.vscodeignore', 'README.md', 'LICENSE', 'LICENSE.md', 'LICENSE.txt', 'CHANGELOG.md', 'dist', 'schemas', 'rules']) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(staging, entry), { recursive: true, filter: (source) => !source.endsWith('.map') });
  }
  const hasLicense = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((file) => existsSync(join(root, file)));

  mkdirSync(dirname(out), { recursive: true });
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const args = [vsce, 'package', '--no-dependencies', '--out', out, ...(hasLicense ? [] : ['--skip-license'])];
  // stdin closed: vsce asks questions on a terminal (missing fields); here they must fail instead of hanging.
  const result = spawnSync(process.execPath, args, { cwd: staging, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`vsce package failed (exit ${result.status ?? result.signal}); staging copy was ${staging}`);
    process.exitCode = 1;
  }
} finally {
  if (process.exitCode !== 1) rmSync(staging, { recursive: true, force: true });
}
