// Bundles the bench (bench/src/main.ts and what it imports, the protocol-test client included) into
// bench/out/bench.js, and the profiler helper into bench/out/profile.js, with esbuild, like scripts/build.mjs does for the product.
import { build } from 'esbuild';

await build({
  entryPoints: { bench: 'bench/src/main.ts', profile: 'bench/src/profile.ts' },
  outdir: 'bench/out',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['typescript'],
  // tinyglobby's fdir ships ESM that reads import.meta.url; in a CommonJS bundle it comes from __filename.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
