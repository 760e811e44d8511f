// Meta-test of the rule documentation, the README rule table and the example project's expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { RULE_IDS, type RuleId } from '../server/src/engine/model';
import { RULE_META } from '../rules/meta';

/** The tests run from a bundle (dist-test/ or a temporary directory): find the checkout by its rules/meta.ts. */
function findRepositoryRoot(): string {
  for (const start of [resolve(__dirname, '..'), process.cwd()]) {
    let directory = start;
    for (;;) {
      if (existsSync(join(directory, 'rules', 'meta.ts')) && existsSync(join(directory, 'package.json'))) return directory;
      const parent = resolve(directory, '..');
      if (parent === directory) break;
      directory = parent;
    }
  }
  throw new Error('cannot find the repository root (a folder with rules/meta.ts) from ' + __dirname);
}

const root = findRepositoryRoot();

/** Headings every rule doc has, in this order (other sections may sit between them). */
const REQUIRED_HEADINGS = [
  '## Why it matters',
  '## Examples',
  '### Fails',
  '### Passes',
  '## How to fix',
  '## Options',
  '## When not to use it',
];

/** Rules that follow data to a sink: their docs must say which sinks or recipients they know. */
const FLOW_RULES: RuleId[] = [
  'unprotected-export',
  'pseudonymised-export',
  'third-party-disclosure',
  'log-exposure',
  'client-side-storage',
  'insufficient-legal-basis',
  'exported-health-field',
];

const ARTICLE_CITATION = /\b(Art\. \d+(\(\d+\))?|Recital \d+)/;
const SUPPRESSION_SYNTAX = /health-data-lint-disable-next-line [a-z-]+ -- \S/;

function readDoc(ruleId: RuleId): string {
  return readFileSync(join(root, 'rules', RULE_META[ruleId].doc), 'utf8');
}

function headingsOf(markdown: string): string[] {
  return withoutCodeBlocks(markdown)
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.trimEnd());
}

/** Markdown without fenced blocks, so a `# comment` inside a sample is not taken for a heading. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

interface CodeBlock {
  language: string;
  code: string;
  line: number;
}

function codeBlocksOf(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    blocks.push({ language: match[1], code: match[2], line: markdown.slice(0, match.index).split('\n').length });
  }
  return blocks;
}

/** Syntax errors only: samples are fragments (imports of modules that are not there), so no type check. */
function parseErrors(code: string, fileName: string): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (sourceFile as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((diagnostic) => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

/** Text between a heading and the next heading of the same or a higher level. */
function sectionText(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trimEnd() === heading);
  if (start < 0) return '';
  const level = heading.indexOf(' ');
  const end = lines.findIndex((line, index) => index > start && /^#{1,6} /.test(line) && line.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

test('RULE_META has exactly the rule ids of the model, each under its own id', () => {
  assert.deepEqual(Object.keys(RULE_META).sort(), [...RULE_IDS].sort());
  for (const id of RULE_IDS) assert.equal(RULE_META[id].id, id);
});

for (const ruleId of RULE_IDS) {
  test(`rules/${RULE_META[ruleId].doc} documents ${ruleId}`, () => {
    const docPath = join(root, 'rules', RULE_META[ruleId].doc);
    assert.ok(existsSync(docPath), `missing documentation file ${docPath}`);
    const markdown = readDoc(ruleId);
    const headings = headingsOf(markdown);

    assert.equal(headings[0], `# ${ruleId}`, 'the doc starts with the rule id as its title');
    const description = markdown.split('\n').slice(1).join('\n').split(/^## /m)[0].trim();
    assert.ok(description.length > 80, 'a description paragraph follows the title');

    let previous = 0;
    for (const heading of REQUIRED_HEADINGS) {
      const index = headings.indexOf(heading, previous);
      assert.ok(index >= 0, `heading "${heading}" missing or out of order; headings are:\n${headings.join('\n')}`);
      previous = index + 1;
    }

    assert.match(sectionText(markdown, '## Why it matters'), ARTICLE_CITATION, 'Why it matters cites an article');
    assert.match(sectionText(markdown, '## When not to use it'), SUPPRESSION_SYNTAX, 'the suppression syntax is shown');
    if (FLOW_RULES.includes(ruleId)) {
      assert.ok(
        headings.includes('## Sinks') || headings.includes('## Recipients'),
        'a data-flow rule lists its sinks or recipients',
      );
    }
  });

  test(`rules/${RULE_META[ruleId].doc}: examples that fail and pass, in TypeScript that parses`, () => {
    const markdown = readDoc(ruleId);
    for (const subsection of ['### Fails', '### Passes']) {
      const blocks = codeBlocksOf(sectionText(markdown, subsection)).filter((block) => block.language === 'ts');
      assert.ok(blocks.length > 0, `${subsection} has at least one ts code block`);
    }
    for (const block of codeBlocksOf(markdown).filter((b) => b.language === 'ts')) {
      assert.deepEqual(parseErrors(block.code, `${ruleId}.ts`), [], `ts block at line ${block.line} parses`);
    }
  });
}

test('every ts code block parses, and a sample that is not TypeScript is not labelled ts', () => {
  // Guard the guard: a broken sample must be caught by parseErrors.
  assert.notDeepEqual(parseErrors('const x = {', 'broken.ts'), []);
  assert.deepEqual(parseErrors('const x: number = 1;', 'fine.ts'), []);
});

test('README links every rule doc in its rule table', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const id of RULE_IDS) {
    assert.ok(readme.includes(`(rules/${RULE_META[id].doc})`), `README links rules/${RULE_META[id].doc}`);
  }
});

// The example project is the demo of every rule: its expect comments are the promise the README repeats.
const exampleRoot = join(root, 'examples', 'clinic-api');

function sourceFilesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (name === 'node_modules' || name === 'types') return [];
    if (statSync(path).isDirectory()) return sourceFilesUnder(path);
    return /\.(ts|tsx|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each `// expect: <rule>` comment of the example, with the 1-based line of the finding (the next line). */
function exampleExpectations(): { file: string; ruleId: string; line: number }[] {
  return sourceFilesUnder(exampleRoot).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, index) => {
        const expectation = /^\s*\/\/ expect: ([a-z-]+)\s*$/.exec(text);
        return expectation ? [{ ruleId: expectation[1], line: index + 2 }] : [];
      })
      .map(({ ruleId, line }) => ({ file: relative(exampleRoot, file).split('\\').join('/'), ruleId, line })),
  );
}

test('examples/clinic-api expects only known rules, shows every rule the CLI reports by default, and lists them in its README', () => {
  const expectations = exampleExpectations();
  for (const { file, ruleId } of expectations) {
    assert.ok((RULE_IDS as readonly string[]).includes(ruleId), `${file}: unknown rule ${ruleId}`);
  }
  const shown = new Set(expectations.map((e) => e.ruleId));
  for (const id of RULE_IDS.filter((rule) => rule !== 'exported-health-field')) {
    assert.ok(shown.has(id), `the example shows ${id}`);
  }
  const readme = readFileSync(join(exampleRoot, 'README.md'), 'utf8');
  const tableRows = readme
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  for (const { file, ruleId, line } of expectations) {
    assert.ok(
      tableRows.some((cells) => cells[1] === `\`${file}\`` && cells[2] === `\`${ruleId}\`` && cells[3] === String(line)),
      `examples/clinic-api/README.md lists ${ruleId} in ${file} at line ${line}`,
    );
  }
  const listedFindings = tableRows.filter((cells) => /^\d+$/.test(cells[3] ?? '')).length;
  assert.equal(listedFindings, expectations.length, 'the README lists no finding that the code does not expect');
});
