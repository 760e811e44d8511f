// Bundles the bench (bench/src/main.ts and what it imports, the protocol-test client included) into
// bench/out/bench.js with esbuild, like scripts/build.mjs does for the product.
import { build } from 'esbuild';

await build({
  entryPoints: ['bench/src/main.ts'],
  outfile: 'bench/out/bench.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['typescript'],
});
