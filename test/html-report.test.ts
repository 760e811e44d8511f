// The health-data map (`--format html`): the bundled CLI writes it for examples/clinic-api; it is self-contained,
// deterministic, masked and matches its golden file; rendered in headless Chromium it shows every place the example
// announces with the right status, loads nothing from the network, works by keyboard and has no axe-core violation
// of WCAG 2.1 A/AA. The Chromium part is skipped when /usr/bin/chromium is missing, unless HEALTH_DATA_LINT_E2E=required.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatHtml } from '../server/src/engine/report/html';
import type { AnalysisResult, DataFlow, Finding, SourceLocation } from '../server/src/engine/model';
import { readExpectations } from './support/fixtures';

const packageRoot = process.cwd();
const example = join(packageRoot, 'examples', 'clinic-api');
const golden = join(packageRoot, 'test', 'golden', 'clinic-api.html');
const artifacts = join(packageRoot, 'test-artifacts');
const reportFile = join(artifacts, 'clinic-api-map.html');
const CHROMIUM = process.env.HEALTH_DATA_LINT_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.HEALTH_DATA_LINT_E2E === 'required';
const FLOW_RULES = new Set(['unprotected-export', 'pseudonymised-export', 'third-party-disclosure', 'log-exposure', 'client-side-storage', 'insufficient-legal-basis']);
/** What examples/clinic-api/README.md says is covered or anonymised ("What the tool should not report"). */
const NOT_GAPS = [
  { where: 'src/routes/patients.ts:22', status: 'covered', mentions: 'care-api' },
  { where: 'src/clients/partner-client.ts:30', status: 'covered', mentions: 'diabetes-cohort' },
  { where: 'src/exports/referral.ts:19', status: 'covered', mentions: '@legalBasis' },
  { where: 'src/jobs/observatory-report.ts:29', status: 'anonymised', mentions: 'aggregateByAgeBand' },
];

let cliRun: { status: number | null; stderr: string };

// The callbacks given to page.evaluate run in Chromium; this project compiles without the DOM library, so the few
// browser globals they use are declared loosely here rather than adding DOM types to the engine's compilation.
declare const document: any;
declare const window: any;
declare const Image: any;
declare function getComputedStyle(element: unknown): any;

function writeExampleMap(): void {
  mkdirSync(artifacts, { recursive: true });
  const run = spawnSync(process.execPath, [join(packageRoot, 'dist', 'cli.js'), example, '--format', 'html', '--output-file', reportFile, '--no-progress'], {
    cwd: packageRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, SOURCE_DATE_EPOCH: '' },
  });
  cliRun = { status: run.status, stderr: run.stderr };
}

before(writeExampleMap);

test('the CLI writes the map of examples/clinic-api as one self-contained page that matches the golden file', () => {
  assert.ok(existsSync(reportFile), `no report written:\n${cliRun.stderr}`);
  assert.equal(cliRun.status, 1, 'the exit code still says there are findings at error severity');
  const html = readFileSync(reportFile, 'utf8');
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  assert.doesNotMatch(html, /<script\b/i, 'no script: the page works without JavaScript');
  assert.doesNotMatch(html, /\s(src|srcset|poster|data)=/i, 'no embedded resource');
  assert.doesNotMatch(html, /<link\b|@import|url\(/i, 'no stylesheet, font or image to fetch');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
  for (const match of html.matchAll(/href="([^"]*)"/g)) {
    assert.ok(match[1]!.startsWith('#') || match[1]!.startsWith('https://'), `unexpected link ${match[1]}`);
  }
  assert.ok(!html.includes(packageRoot), 'no machine path: paths are relative to the scanned directory');
  assert.ok(!html.includes('2 85 07 75 112 048 17'), 'the NIR of the seed file is never printed in full');

  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, html);
  assert.ok(existsSync(golden), 'test/golden/clinic-api.html is missing: run `UPDATE_GOLDEN=1 npm test` once and review it');
  assert.equal(html, readFileSync(golden, 'utf8'), 'the map differs from test/golden/clinic-api.html (review, then UPDATE_GOLDEN=1 npm test)');
});

function location(file: string, line: number): SourceLocation {
  return { file, line, column: 3, endLine: line, endColumn: 20 };
}

/** A hand-made result with a health identifier in a source text and a message, and a covered flow. */
function syntheticResult(): AnalysisResult {
  const root = '/project';
  const nir = '2 85 07 75 112 048 17';
  const uncovered: DataFlow = {
    sink: { kind: 'third-party', label: 'analytics (Segment)' },
    recipient: 'segment',
    location: location(`${root}/src/track.ts`, 12),
    functions: [{ file: `${root}/src/track.ts`, name: 'trackVisit' }],
    categories: ['health-identifier'],
    sources: [{ text: `patient.nir ?? '${nir}'`, location: location(`${root}/src/track.ts`, 10), categories: ['health-identifier'] }],
    steps: [],
    status: 'uncovered',
    pseudonymised: false,
    ruleId: 'third-party-disclosure',
  };
  const covered: DataFlow = {
    ...uncovered,
    sink: { kind: 'export', label: 'HTTP response' },
    recipient: undefined,
    location: location(`${root}/src/routes.ts`, 30),
    functions: [{ file: `${root}/src/routes.ts`, name: 'getVisit' }],
    categories: ['encounter'],
    sources: [{ text: 'visit.reason', location: location(`${root}/src/routes.ts`, 28), categories: ['encounter'] }],
    status: 'covered',
    ruleId: undefined,
    basis: [{ origin: 'register', ids: ['gdpr-6-1-e', 'gdpr-9-2-h'], processingId: 'care', location: location(`${root}/health-data-register.yaml`, 4) }],
  };
  const finding: Finding = {
    ruleId: 'third-party-disclosure',
    severity: 'error',
    message: `Health data (\`patient.nir ?? '${nir}'\`) goes to segment.`,
    location: uncovered.location,
    flows: [],
    related: [],
    categories: ['health-identifier'],
    recipient: 'segment',
    fingerprint: 'f',
  };
  return {
    findings: [finding],
    skipped: [],
    projects: [{ root, files: 2, typesMissing: false }],
    notices: [],
    flows: [uncovered, covered],
    register: { file: `${root}/health-data-register.yaml`, entries: [{ id: 'care', purpose: 'Care', location: location(`${root}/health-data-register.yaml`, 4) }, { id: 'old', purpose: 'Gone', location: location(`${root}/health-data-register.yaml`, 9) }] },
    staleRegisterEntries: [{ id: 'old', location: location(`${root}/health-data-register.yaml`, 9), message: 'register entry "old" matches no analysed code' }],
  };
}

test('the map masks health identifiers, is byte-stable, and dates itself only when asked', () => {
  const result = syntheticResult();
  const options = { root: '/project', documentationBaseUrl: 'https://docs.example/rules/' };
  const html = formatHtml(result, options);
  assert.equal(formatHtml(result, options), html, 'same input, same bytes');
  assert.ok(!html.includes('112 048'), 'the NIR is masked everywhere');
  assert.ok(html.includes('2 ** ** ** *** *** 17'), 'masked the way the other reports mask it');
  assert.doesNotMatch(html, /\d{4}-\d{2}-\d{2}T/, 'no timestamp by default');
  assert.ok(formatHtml(result, { ...options, generatedAt: '2026-01-02T03:04:05Z' }).includes('2026-01-02T03:04:05Z'));
  assert.match(html, /register entry <strong>care<\/strong> \(health-data-register\.yaml, line 4\): Art\. 6\(1\)\(e\) GDPR, Art\. 9\(2\)\(h\) GDPR/);
  assert.match(html, /<span class="badge badge-gap">stale<\/span> register entry &quot;old&quot; matches no analysed code/);
  assert.match(html, /1 register entry matches no code/);
});

test('a gap whose finding is suppressed with a justification is shown as accepted, with the justification', () => {
  const result = syntheticResult();
  const finding = result.findings[0]!;
  result.findings[0] = { ...finding, suppressed: { justification: 'pseudonymous visit counter, DPIA-12', location: finding.location } };
  const html = formatHtml(result, { root: '/project', documentationBaseUrl: 'https://docs.example/rules/' });
  const row = html.slice(html.indexOf('<tr id="place-1">'), html.indexOf('</tr>', html.indexOf('<tr id="place-1">')));
  assert.match(row, /src\/<wbr>track\.ts:12/);
  assert.match(row, /<span class="badge badge-accepted">accepted with a justification<\/span>/);
  assert.match(row, /suppressed in the code with the justification “pseudonymous visit counter, DPIA-12”/);
  assert.match(html, /<strong>0<\/strong> with a gap, 1 accepted with a justification, 1 covered/);
});

function chromiumUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium)`;
  return undefined;
}

const unavailable = chromiumUnavailable();

describe('the map in headless Chromium', { skip: !REQUIRED && unavailable ? `${unavailable}; set HEALTH_DATA_LINT_E2E=required to make this a failure` : false }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page asked for, whatever its scheme. */
  const requested: string[] = [];

  before(async () => {
    assert.equal(unavailable, undefined, unavailable);
    // Loaded from node_modules at run time: bundled by esbuild, playwright-core cannot find its own browsers.json.
    const { chromium } = createRequire(join(packageRoot, 'package.json'))('playwright-core') as typeof import('playwright-core');
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: root ? ['--no-sandbox'] : [] });
    // The page's own CSP forbids scripts; axe-core is injected by the test, so only this context bypasses it.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.route('**/*', (route) => {
      requested.push(route.request().url());
      return route.request().url().startsWith('file:') ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  test('loads nothing but the file itself, and renders without JavaScript under its own CSP', async () => {
    assert.deepEqual(requested.filter((url) => /^https?:/i.test(url)), [], 'no http(s) request');
    assert.deepEqual(requested, [pathToFileURL(reportFile).href]);
    const strict = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await strict.newPage();
      const blocked: string[] = [];
      plain.on('request', (request) => blocked.push(request.url()));
      await plain.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
      assert.equal(await plain.locator('h1').textContent(), 'Health data map: clinic-api');
      assert.ok(await plain.locator('svg[role="img"]').isVisible(), 'the diagram is drawn without JavaScript');
      assert.deepEqual(blocked, [pathToFileURL(reportFile).href]);
    } finally {
      await strict.close();
    }
  });

  test('shows every place the example announces, with its recipient group, status and protection', async () => {
    const expected = readExpectations(example).filter((expectation) => FLOW_RULES.has(expectation.ruleId));
    assert.ok(expected.length >= 6, 'the example announces its data-flow findings');
    for (const expectation of expected) {
      const row = page.locator('tr', { has: page.locator('th[scope="row"]', { hasText: `${expectation.file}:${expectation.line}` }) });
      assert.equal(await row.count(), 1, `one row for ${expectation.file}:${expectation.line}`);
      assert.equal(await row.locator('td .badge').first().textContent(), 'gap', `${expectation.file}:${expectation.line} is a gap`);
      assert.ok((await row.locator('details summary').textContent())?.includes(expectation.ruleId), `its finding is ${expectation.ruleId}`);
    }
    for (const place of NOT_GAPS) {
      const row = page.locator('tr', { has: page.locator('th[scope="row"]', { hasText: place.where }) });
      assert.equal(await row.locator('td .badge').first().textContent(), place.status, `${place.where} is ${place.status}`);
      assert.ok((await row.textContent())?.includes(place.mentions), `${place.where} names ${place.mentions}`);
    }
    // The notifiable-case list goes through an anonymiser that linkable-anonymisation rejects: not anonymised after all.
    const cases = page.locator('tr', { has: page.locator('th[scope="row"]', { hasText: 'src/jobs/observatory-report.ts:30' }) });
    assert.equal(await cases.locator('td .badge').first().textContent(), 'gap');
    assert.match((await cases.textContent()) ?? '', /toNotifiableCase.*does not really anonymise/);

    const groups = await page.locator('main h2').allTextContents();
    for (const title of ['Partner and outbound APIs', 'Third-party services', 'Clients of the application’s API', 'Files and exports', 'Logs', 'The user’s browser or device']) {
      assert.ok(groups.includes(title), `a section for ${title}`);
    }
    const sentry = page.locator('section', { has: page.locator('h2', { hasText: 'Third-party services' }) });
    assert.ok(await sentry.locator('h3', { hasText: 'sentry' }).isVisible());
    assert.equal(await page.locator('h1').count(), 1);
    const register = page.locator('section', { has: page.locator('h2', { hasText: 'Processing register' }) });
    assert.match((await register.locator('tr', { hasText: 'nightly-research-export' }).textContent()) ?? '', /insufficient/);
  });

  test('the diagram has a text alternative: a title, a description and the same paths as a table', async () => {
    const svg = page.locator('svg[role="img"]');
    const labelledBy = (await svg.getAttribute('aria-labelledby'))?.split(' ') ?? [];
    assert.deepEqual(labelledBy, ['diagram-title', 'diagram-desc']);
    assert.match((await page.locator('#diagram-title').textContent()) ?? '', /sources, processing steps and recipients/);
    assert.match((await page.locator('#diagram-desc').textContent()) ?? '', /\d+ recipients/);
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'The diagram as a table' }) });
    const recipientsInTable = new Set(await table.locator('tbody tr td:nth-child(3)').allTextContents());
    const recipientHeadings = await page.locator('main section h3').evaluateAll((headings) => headings.map((heading) => heading.firstChild?.textContent?.trim() ?? ''));
    assert.deepEqual([...recipientsInTable].sort(), [...new Set(recipientHeadings)].sort(), 'every recipient of the map is in the diagram table');
    assert.equal(await table.locator('th[scope="col"]').count(), 4);

    // axe-core cannot see the background of SVG text (it reports it as incomplete): check the contrast from the colours.
    const painted = await svg.evaluate((element) => ({
      text: [...element.querySelectorAll('text')].map((node) => node.getAttribute('fill') ?? ''),
      lines: [...element.querySelectorAll('path, rect')].map((node) => node.getAttribute('stroke') ?? ''),
      fills: [...element.querySelectorAll('rect')].map((node) => node.getAttribute('fill') ?? ''),
    }));
    assert.deepEqual([...new Set(painted.fills)], ['#ffffff'], 'boxes are white, like the page');
    for (const colour of new Set(painted.text)) assert.ok(contrastOnWhite(colour) >= 4.5, `text ${colour} has ${contrastOnWhite(colour).toFixed(2)}:1 on white`);
    for (const colour of new Set(painted.lines)) assert.ok(contrastOnWhite(colour) >= 3, `lines ${colour} have ${contrastOnWhite(colour).toFixed(2)}:1 on white (1.4.11)`);
  });

  test('by keyboard: Tab reaches the skip link first, it moves focus to the map, and focus is visible', async () => {
    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const active = document.activeElement;
      const box = active.getBoundingClientRect();
      return { text: active.textContent, href: active.getAttribute('href'), top: box.top, bottom: box.bottom, outline: getComputedStyle(active).outlineStyle };
    });
    assert.equal(skip.text, 'Skip to the map');
    assert.equal(skip.href, '#main');
    assert.ok(skip.top >= 0 && skip.bottom <= 900, `the focused skip link is on screen (${skip.top}..${skip.bottom})`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => {
      const active = document.activeElement;
      const style = getComputedStyle(active);
      return { inMain: !!active.closest('main'), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assert.ok(next.inMain, 'the next Tab stays in the map');
    assert.notEqual(next.outline, 'none', 'the focused link has a visible outline');
    assert.ok(next.width >= 2);
    // The diagram scrolls sideways on narrow screens: its region is reachable by keyboard.
    let reached = false;
    for (let presses = 0; presses < 40 && !reached; presses++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('diagram') ?? false);
    }
    assert.ok(reached, 'Tab reaches the diagram region');
  });

  test('axe-core finds no WCAG 2.1 A/AA violation', async () => {
    const axeSource = readFileSync(join(packageRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
    await page.evaluate(() => document.querySelectorAll('details').forEach((details: { open: boolean }) => (details.open = true)));
    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(async () => {
      type Rule = { id: string; help: string; nodes: { target: string[] }[] };
      const axe = window.axe as { run: (context: unknown, options: object) => Promise<{ violations: Rule[]; incomplete: Rule[]; passes: unknown[] }> };
      return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    });
    const violations = results.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')})`);
    assert.deepEqual(violations, []);
    assert.ok(results.passes.length > 10, 'axe ran its checks');
    // What axe could not decide is only the SVG text, whose contrast the diagram test computes.
    const undecided = results.incomplete.flatMap((rule) => rule.nodes.map((node) => `${rule.id} ${node.target.join(' ')}`));
    assert.deepEqual(undecided.filter((entry) => !/^color-contrast text\[/.test(entry)), []);
  });

  test('the screenshot shows the diagram drawn in the status colours, and the page reflows at 320 px', async () => {
    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'clinic-api-map.png'), fullPage: true });
    const diagram = await page.locator('svg[role="img"]').screenshot({ path: join(artifacts, 'clinic-api-diagram.png') });
    const box = await page.locator('svg[role="img"]').boundingBox();
    assert.ok(box && box.width > 800 && box.height > 300, `the diagram has its size (${box?.width}x${box?.height})`);
    const colours = await countColours(page, diagram, { gap: [0xb4, 0x23, 0x18], covered: [0x1a, 0x7f, 0x37], text: [0x1f, 0x23, 0x28] });
    assert.ok(colours.gap > 200, `gap arrows and boxes are drawn (${colours.gap} red pixels)`);
    assert.ok(colours.covered > 100, `covered arrows are drawn (${colours.covered} green pixels)`);
    assert.ok(colours.text > 500, `labels are drawn (${colours.text} text pixels)`);

    await page.setViewportSize({ width: 320, height: 640 });
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
    assert.ok(widths.page <= widths.view + 1, `no horizontal scrolling of the page at 320 px (${widths.page} > ${widths.view})`);
    await page.screenshot({ path: join(artifacts, 'clinic-api-map-320.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

/** WCAG 2.1 contrast ratio of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}

/** Counts pixels close to each colour, decoding the PNG in a blank page (JavaScript on, no file access needed). */
async function countColours(page: Page, png: Buffer, colours: Record<string, [number, number, number]>): Promise<Record<string, number>> {
  const blank = await page.context().newPage();
  try {
    return await blank.evaluate(
      async ({ data, targets }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        const counts: Record<string, number> = Object.fromEntries(Object.keys(targets).map((name) => [name, 0]));
        for (let index = 0; index < pixels.length; index += 4) {
          for (const [name, [r, g, b]] of Object.entries(targets)) {
            if (Math.abs(pixels[index]! - r) + Math.abs(pixels[index + 1]! - g) + Math.abs(pixels[index + 2]! - b) < 30) counts[name]!++;
          }
        }
        return counts;
      },
      { data: png.toString('base64'), targets: colours },
    );
  } finally {
    await blank.close();
  }
}
