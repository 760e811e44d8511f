// Bundles the editor end-to-end suite (test/electron/) into out/electron-test/: run.js starts VS Code with
// @vscode/test-electron, suite/index.js runs in the extension host. Kept apart from scripts/build.mjs so that
// `npm test` (node:test over test/*.test.ts) never picks these up; `npm run test:electron` runs them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
rmSync('out/electron-test', { recursive: true, force: true });
await Promise.all([
  // @vscode/test-electron stays a runtime dependency: it loads its archive helpers lazily.
  build({ ...common, entryPoints: ['test/electron/run.ts'], outfile: 'out/electron-test/run.js', external: ['@vscode/test-electron'] }),
  // `vscode` is provided by the extension host; TypeScript (read by the expectation helper) is required from
  // node_modules rather than bundled; mocha is bundled (its package is ESM-only).
  // Its parallel runner resolves worker files by path; it is never used here (one process, serial), hence the override.
  build({
    ...common,
    entryPoints: ['test/electron/suite/index.ts'],
    outfile: 'out/electron-test/suite/index.js',
    external: ['vscode', 'typescript'],
    logOverride: { 'require-resolve-not-external': 'silent' },
  }),
]);
