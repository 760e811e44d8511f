// Writes a whole synthetic health monorepo of about the requested number of lines: a shared package, service
// packages (one clinical resource kind each) and an app that mounts their routers, with a tsconfig, type
// declarations for its dependencies, and a manifest of every flow planted on purpose (`bench-expected.json`).
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CARE_AREAS, RESOURCE_KINDS } from './kinds';
import { SeededRandom } from '../../../test/support/random';
import { sharedPackage, WIDELY_IMPORTED_FILE } from './shared-package';
import { type PlantedFlow, SourceWriter } from './source-writer';
import { unitPackage } from './unit-package';

export interface GenerateOptions {
  /** Directory to write into (emptied first). */
  outDir: string;
  /** About how many source lines to generate (the result is the first unit boundary past it). */
  lines: number;
  seed: number;
  /** The repository root: where the dependency declarations and @types/node are taken from. */
  repoRoot: string;
  /**
   * `single` (the default): one tsconfig.json at the root for every package. `packages`: a tsconfig.json per package
   * extending a root tsconfig.base.json, and none at the root (a monorepo whose packages are type-checked one by one).
   */
  layout?: ProjectLayout;
}

export type ProjectLayout = 'single' | 'packages';

export interface ProjectManifest {
  generator: 'health-data-lint-bench';
  seed: number;
  targetLines: number;
  /** Lines of TypeScript in the project's own packages (declaration stubs excluded). */
  lines: number;
  files: number;
  packages: number;
  planted: PlantedFlow[];
  plantedByRule: Record<string, number>;
  /** A file nothing imports (for the "leaf file changed" runs). */
  leafFile: string;
  /** A file every service package imports (for the "widely imported file changed" runs). */
  widelyImportedFile: string;
  /** A file with a planted finding of its own (for the editor's local-edit latency). */
  localEditFile: string;
  /** How the tsconfigs are laid out (see `GenerateOptions.layout`); absent in manifests written before it existed. */
  layout?: ProjectLayout;
}

export const MANIFEST_FILE = 'bench-expected.json';

/** Dependency declarations the generated code imports (subsets of the real @types, shared with the rule fixtures). */
const DEPENDENCY_STUBS = ['express.d.ts', 'axios.d.ts', 'winston.d.ts', 'sentry__node.d.ts'];

export function generateProject(options: GenerateOptions): ProjectManifest {
  const random = new SeededRandom(options.seed);
  const files: SourceWriter[] = sharedPackage();
  let lines = files.reduce((sum, f) => sum + f.lineCount, 0);
  const routers: { name: string; router: string }[] = [];
  let leafFile = '';
  let localEditFile = '';
  for (let index = 0; lines < options.lines || routers.length === 0; index++) {
    const area = CARE_AREAS[index % CARE_AREAS.length]!;
    const kind = RESOURCE_KINDS[(index + Math.floor(index / CARE_AREAS.length)) % RESOURCE_KINDS.length]!;
    const name = `${area}-${String(index + 1).padStart(4, '0')}`;
    const unit = unitPackage({ name, area, kind, random, first: index === 0 });
    if (index === 0) {
      leafFile = unit.leafFile;
      localEditFile = unit.controllerFile;
    }
    routers.push({ name, router: unit.routerName });
    files.push(...unit.files);
    lines += unit.files.reduce((sum, f) => sum + f.lineCount, 0) + 2; // + its import and mount in the app
  }
  files.push(appServer(routers));
  lines = files.reduce((sum, f) => sum + f.lineCount, 0);

  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  for (const file of files) write(options.outDir, file.file, file.text());
  writeProjectFiles(options, [...new Set(files.map((f) => f.file.split('/').slice(0, 2).join('/')))]);

  const planted = files.flatMap((f) => f.planted);
  const plantedByRule: Record<string, number> = {};
  for (const flow of planted) plantedByRule[flow.ruleId] = (plantedByRule[flow.ruleId] ?? 0) + 1;
  const manifest: ProjectManifest = {
    generator: 'health-data-lint-bench',
    seed: options.seed,
    targetLines: options.lines,
    lines,
    files: files.length,
    packages: routers.length + 2,
    planted,
    plantedByRule,
    leafFile,
    widelyImportedFile: WIDELY_IMPORTED_FILE,
    localEditFile,
    layout: options.layout ?? 'single',
  };
  write(options.outDir, MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function appServer(routers: { name: string; router: string }[]): SourceWriter {
  const w = new SourceWriter('packages/app/src/server.ts').line(
    '// HTTP entry point: mounts every service package under /api.',
    "import express from 'express';",
    "import { logger } from '@clinic/shared';",
  );
  for (const { name, router } of routers) w.line(`import { ${router} } from '@clinic/${name}';`);
  w.line('', 'const app = express();', 'app.use(express.json());');
  for (const { router } of routers) w.line(`app.use('/api', ${router});`);
  w.line('', "app.listen(3000, () => logger.info('clinic api listening', { port: 3000 }));");
  return w;
}

/** `packageDirectories`: `packages/<name>` of every package written. */
function writeProjectFiles({ outDir, repoRoot, layout = 'single' }: GenerateOptions, packageDirectories: string[]): void {
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module: 'preserve',
      moduleResolution: 'bundler',
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      paths: { '@clinic/*': ['./packages/*/src/index.ts'] },
    },
    include: ['packages/*/src/**/*.ts', 'types/**/*.d.ts'],
  };
  if (layout === 'single') write(outDir, 'tsconfig.json', JSON.stringify(tsconfig, null, 2) + '\n');
  else {
    // `paths` in the base resolve against the base's folder, so every package sees the others by name alike.
    write(outDir, 'tsconfig.base.json', JSON.stringify({ compilerOptions: tsconfig.compilerOptions }, null, 2) + '\n');
    const own = { extends: '../../tsconfig.base.json', include: ['src/**/*.ts', '../../types/**/*.d.ts'] };
    for (const directory of packageDirectories) write(outDir, `${directory}/tsconfig.json`, JSON.stringify(own, null, 2) + '\n');
  }
  write(outDir, 'package.json', JSON.stringify({ name: 'clinic-monorepo', private: true, version: '1.0.0' }, null, 2) + '\n');
  for (const stub of DEPENDENCY_STUBS) {
    const target = join(outDir, 'types', stub);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(repoRoot, 'test', 'fixtures', 'stubs', stub), target);
  }
  // @types/node as a project would have it installed (a link: nothing is downloaded or copied).
  const nodeTypes = join(repoRoot, 'node_modules', '@types', 'node');
  if (!existsSync(nodeTypes)) throw new Error(`missing ${nodeTypes}: the generated project needs @types/node`);
  mkdirSync(join(outDir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(nodeTypes, join(outDir, 'node_modules', '@types', 'node'), 'dir');
}

function write(root: string, relativePath: string, text: string): void {
  const target = join(root, relativePath);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
