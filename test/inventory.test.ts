// The field inventory: command line parsing, golden JSON and Markdown inventories of a project with TypeScript, Prisma,
// OpenAPI, GraphQL and SQL declarations, and the CSV's shape.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseArguments } from '../server/src/cli/arguments';
import { runCli } from '../server/src/cli/run';
import { findRepositoryRoot } from './support/fixtures';

const root = findRepositoryRoot();
const project = join(root, 'test', 'fixtures', 'inventory', 'clinic-schemas');

async function inventory(format: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(['inventory', project, '--format', format, '--no-progress'], {
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { write: (text: string) => ((stderr += text), true) },
    cwd: root,
    env: {},
  });
  return { exitCode, stdout, stderr };
}

describe('inventory command line', () => {
  test('`inventory` is a command with its own formats, markdown by default; ./inventory is a folder', () => {
    const plain = parseArguments(['inventory', 'src']);
    assert.equal(plain.kind, 'inventory');
    assert.equal(plain.kind === 'inventory' && plain.format, 'markdown');
    assert.deepEqual(plain.kind === 'inventory' && plain.options.paths, ['src']);
    const csv = parseArguments(['inventory', '--format=csv', '--output-file', 'fields.csv']);
    assert.equal(csv.kind, 'inventory');
    assert.equal(csv.kind === 'inventory' && csv.format, 'csv');
    assert.equal(csv.kind === 'inventory' && csv.options.outputFile, 'fields.csv');
    const folder = parseArguments(['./inventory']);
    assert.equal(folder.kind, 'scan');
    assert.deepEqual(folder.kind === 'scan' && folder.options.paths, ['./inventory']);
  });
});

describe('inventory of a project with schema files', () => {
  test('JSON matches the golden inventory', async () => {
    const { exitCode, stdout } = await inventory('json');
    assert.equal(exitCode, 0);
    assert.equal(stdout, readFileSync(join(root, 'test', 'golden', 'inventory-clinic-schemas.json'), 'utf8'));
  });

  test('Markdown matches the golden inventory', async () => {
    const { exitCode, stdout } = await inventory('markdown');
    assert.equal(exitCode, 0);
    assert.equal(stdout, readFileSync(join(root, 'test', 'golden', 'inventory-clinic-schemas.md'), 'utf8'));
  });

  test('one field declared in TypeScript, Prisma, GraphQL and SQL is one row, with each route and its status', async () => {
    const { stdout } = await inventory('json');
    const fields = JSON.parse(stdout).fields as Array<Record<string, any>>;
    const byField = (name: string): Record<string, any> => fields.find((f) => f.field === name) ?? assert.fail(`no row for ${name}`);
    const diagnosis = fields.filter((f) => f.field === 'diagnosis');
    assert.equal(diagnosis.length, 1);
    assert.deepEqual(diagnosis[0].declarations.map((d: { origin: string }) => d.origin).sort(), ['graphql', 'prisma', 'sql', 'typescript']);
    assert.deepEqual(
      diagnosis[0].routes.map((r: { recipient: string; status: string }) => `${r.recipient}:${r.status}`),
      ['HTTP response:covered', 'research.partner.example:pseudonymised'],
    );
    const allergies = byField('allergies');
    assert.ok(allergies.routes.some((r: { status: string; rule?: string }) => r.status === 'uncovered' && r.rule === 'unprotected-export'));
    // Overrides are the reason shown: a configured field, a JSDoc tag, a schema tag; excluded fields are absent.
    assert.equal(byField('freeText').why.kind, 'config');
    assert.equal(byField('wellbeingScore').why.kind, 'tag');
    assert.equal(byField('bloodType').why.kind, 'tag');
    assert.equal(byField('testCode').why.kind, 'tag');
    for (const excluded of ['diagnosisCount', 'treatmentRoom', 'fullName', 'full_name', 'orderId']) {
      assert.equal(fields.find((f) => f.field === excluded), undefined, `${excluded} is not health data`);
    }
  });

  test('CSV has one line per field and neutralises cells a spreadsheet would run as formulas', async () => {
    const { exitCode, stdout } = await inventory('csv');
    assert.equal(exitCode, 0);
    const lines = stdout.trimEnd().split('\r\n');
    const json = JSON.parse((await inventory('json')).stdout);
    assert.equal(lines[0], 'type,field,categories,why,file,line,type_exported,declarations,routes,statuses');
    assert.equal(lines.length - 1, json.fields.length);
    assert.ok(lines.some((line) => line.startsWith('Patient,allergies,allergy,')));
    assert.ok(lines.every((line) => !/(^|,)[=+@-]/.test(line)), 'no cell starts with a formula character');
  });
});
