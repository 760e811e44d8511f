// Drives the VS Code workbench in a browser page the way a user does (keyboard shortcuts, mouse) and reads what
// is on screen. Selectors checked against VS Code 1.100 (code-server 4.100.3); /work/shared/notes/vscode-e2e.md.
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from './code-server';

// The functions passed to `page.evaluate` run in the browser. The test tsconfig has no DOM lib (the server must
// not see browser globals), so the little of the DOM they use is declared here, for this module only.
interface DomElement {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  readonly textContent: string | null;
  readonly className: string;
  readonly dataset: Record<string, string | undefined>;
  readonly style: { top: string };
  readonly parentElement: DomElement | null;
}
declare const document: DomElement;
declare function requestAnimationFrame(callback: () => void): number;

export async function waitForWorkbench(page: Page, timeoutMs: number): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Opens a file with Quick Open (Ctrl+P) and waits until its tab is the active one. */
export async function openFile(page: Page, relativePath: string, timeoutMs: number): Promise<void> {
  const name = relativePath.split('/').at(-1)!;
  await pollUntil(
    `Quick Open to list ${relativePath}`,
    async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(relativePath);
      // The file search of a fresh window can take a moment to index: retry until the row shows.
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.press('Enter');
      return true;
    },
    timeoutMs,
    500,
  );
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: timeoutMs });
}

/** Moves the cursor to a line with Go to Line (Ctrl+G), which also scrolls it into view. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

export type SquiggleSeverity = 'error' | 'warning' | 'info';

/**
 * The lines (1-based) of the active editor that show a squiggle of a severity. Monaco draws a squiggle in the
 * view overlay at the same `top` as the line number in the margin, which is how a squiggle is tied to a line.
 */
export async function squiggleLines(page: Page, severity: SquiggleSeverity): Promise<number[]> {
  return page.evaluate((className) => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const lineAt = new Map<string, number>();
    for (const row of editor.querySelectorAll('.margin-view-overlays > div')) {
      const number = row.querySelector('.line-numbers')?.textContent?.trim();
      if (number) lineAt.set(row.style.top, Number(number));
    }
    const lines = new Set<number>();
    for (const squiggle of editor.querySelectorAll(`.view-overlays .${className}`)) {
      const line = lineAt.get(squiggle.parentElement?.style.top ?? '');
      if (line !== undefined) lines.add(line);
    }
    return [...lines].sort((a, b) => a - b);
  }, `squiggly-${severity}`);
}

/** The centre of the first squiggle on a line of the active editor, in page coordinates. */
async function squiggleCentre(page: Page, line: number, severity: SquiggleSeverity): Promise<{ x: number; y: number }> {
  const centre = await page.evaluate(
    ({ line, className }) => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      const marginRow = [...(editor?.querySelectorAll('.margin-view-overlays > div') ?? [])].find(
        (row) => row.querySelector('.line-numbers')?.textContent?.trim() === String(line),
      );
      if (!editor || !marginRow) return undefined;
      const squiggle = [...editor.querySelectorAll(`.view-overlays .${className}`)].find((s) => s.parentElement?.style.top === marginRow.style.top);
      const box = squiggle?.getBoundingClientRect();
      return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : undefined;
    },
    { line, className: `squiggly-${severity}` },
  );
  if (!centre) throw new Error(`no ${severity} squiggle on line ${line}`);
  return centre;
}

/**
 * Hovers the squiggle on a line and returns the hover's text once it holds every string of `mustContain`: the
 * editor fills a hover in parts (the problem, each provider's content, then its quick-fix link).
 */
export async function hoverSquiggle(page: Page, line: number, severity: SquiggleSeverity, mustContain: readonly string[], timeoutMs: number): Promise<string> {
  const complete = (text: string) => mustContain.every((part) => text.includes(part));
  return pollUntil(
    `a hover on line ${line} containing ${mustContain.map((part) => `"${part}"`).join(', ')}`,
    async () => {
      const { x, y } = await squiggleCentre(page, line, severity);
      // Moving away and back opens the hover anew if an earlier attempt showed it before every part was there.
      await page.mouse.move(x, y - 200);
      await page.mouse.move(x, y);
      const hover = page.locator('.monaco-hover:not(.hidden)').filter({ visible: true }).first();
      await hover.waitFor({ state: 'visible', timeout: 5_000 });
      return pollUntil('the hover to be complete', async () => {
        const text = await hover.innerText();
        return complete(text) && text;
      }, 5_000, 100).catch(() => undefined);
    },
    timeoutMs,
    500,
  );
}

/** Puts the cursor on the squiggle of a line and opens the Quick Fix menu (Ctrl+.); returns the action titles. */
export async function openQuickFixMenu(page: Page, line: number, severity: SquiggleSeverity, timeoutMs: number): Promise<string[]> {
  // The workbench keeps earlier, hidden action widgets in the DOM: only the visible one is the menu.
  const rows = page.locator('.action-widget').filter({ visible: true }).locator('.monaco-list-row.action');
  await pollUntil(
    `the Quick Fix menu on line ${line}`,
    async () => {
      await page.keyboard.press('Escape');
      const { x, y } = await squiggleCentre(page, line, severity);
      await page.mouse.click(x, y);
      // The mouse leaves the squiggle, or its hover opens over the editor and takes the keyboard.
      await page.mouse.move(x, 5);
      await page.locator('.monaco-hover:not(.hidden)').filter({ visible: true }).waitFor({ state: 'detached', timeout: 5_000 }).catch(() => page.keyboard.press('Escape'));
      await page.keyboard.press('Control+.');
      await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
      return true;
    },
    timeoutMs,
    500,
  );
  return rows.locator('.title').allInnerTexts();
}

/** Applies the action of the open Quick Fix menu whose title starts with `titlePrefix`. */
export async function applyQuickFix(page: Page, titlePrefix: string): Promise<void> {
  const widget = page.locator('.action-widget').filter({ visible: true });
  // With the keyboard, as from Ctrl+.: a mouse click is swallowed by the pointer block the menu lays over the page
  // until the mouse moves into it.
  const rows = widget.locator('.monaco-list-row.action');
  const count = await rows.count();
  for (let moves = 0; ; moves++) {
    const focused = (await widget.locator('.monaco-list-row.action.focused').first().getAttribute('aria-label')) ?? '';
    if (focused.startsWith(titlePrefix)) break;
    if (moves > count) throw new Error(`no "${titlePrefix}" in the Quick Fix menu (last focused: ${focused})`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await pollUntil('the Quick Fix menu to close', async () => (await widget.count()) === 0, 10_000);
}

/** The text of the status bar item an extension contributed (its id is `<publisher>.<name>`). */
export async function statusBarItemText(page: Page, extensionId: string): Promise<string | undefined> {
  const item = page.locator(`.statusbar-item[id="${extensionId}"]`);
  return (await item.count()) > 0 ? (await item.first().innerText()).trim() : undefined;
}

export interface ProblemRow {
  severity: 'error' | 'warning' | 'info' | 'unknown';
  /** The file as the panel groups it: folder relative to the workspace, then name (`src/routes/observations.ts`). */
  file: string;
  line: number;
  column: number;
  message: string;
  source: string;
  code: string;
}

/** Opens the Problems panel (Ctrl+Shift+M) if it is not visible. */
export async function showProblems(page: Page): Promise<void> {
  if (await page.locator('.markers-panel').isVisible()) return;
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
}

/**
 * Every problem in the Problems panel. The tree is virtualised (only rows on screen exist), so it is scrolled
 * from top to bottom and rows are collected by index; a problem's file is the file row above it.
 */
export async function readProblems(page: Page): Promise<ProblemRow[]> {
  await showProblems(page);
  const list = page.locator('.markers-panel .monaco-list').first();
  const box = await list.boundingBox();
  if (!box) return [];
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await scrollListToTop(page, list, box.height);
  const rows = new Map<number, RawRow>();
  for (let step = 0; step < 500; step++) {
    const visible = await list.evaluate(readVisibleRows);
    for (const row of visible) rows.set(row.index, row);
    if (visible.length === 0 || visible.some((row) => row.last)) break;
    await page.mouse.wheel(0, Math.max(100, box.height - 44));
    await nextFrames(page);
  }
  // A row missed (a list that re-rendered while it was read) would give the next problems the wrong file.
  const indices = [...rows.keys()].sort((a, b) => a - b);
  if (indices.some((index, position) => index !== position)) throw new Error(`the Problems panel was not read whole (rows ${indices.join(',')})`);
  // Back to the top, where a person starts reading (and where a screenshot shows the first files).
  await scrollListToTop(page, list, box.height);
  const problems: ProblemRow[] = [];
  let file = '';
  for (const row of [...rows.values()].sort((a, b) => a.index - b.index)) {
    if (row.kind === 'file') file = row.file;
    else if (row.kind === 'marker') problems.push({ ...row.problem, file });
  }
  return problems;
}

/** Scrolls a workbench list up until its rows container is at offset 0 (wheel steps of one list height). */
async function scrollListToTop(page: Page, list: Locator, height: number): Promise<void> {
  const scrolled = () => list.evaluate((element: DomElement) => -parseFloat(element.querySelector('.monaco-list-rows')?.style.top || '0'));
  for (let step = 0; step < 200 && (await scrolled()) > 0; step++) {
    await page.mouse.wheel(0, -height);
    await nextFrames(page);
  }
}

/** Waits until the page has painted twice: a scrolled list has rendered its new rows by then. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

type RawRow =
  | { index: number; last: boolean; kind: 'file'; file: string }
  | { index: number; last: boolean; kind: 'marker'; problem: Omit<ProblemRow, 'file'> }
  | { index: number; last: boolean; kind: 'other' };

/** Runs in the page: the rows of the Problems tree that are rendered now. */
function readVisibleRows(list: DomElement): RawRow[] {
  return [...list.querySelectorAll('.monaco-list-row')].map((row): RawRow => {
    const index = Number(row.dataset.index);
    const last = row.dataset.lastElement === 'true';
    const text = (selector: string) => row.querySelector(selector)?.textContent?.trim() ?? '';
    if (row.querySelector('.marker-icon')) {
      const icon = row.querySelector('.marker-icon')!.className;
      const severity = /\berror\b/.test(icon) ? 'error' : /\bwarning\b/.test(icon) ? 'warning' : /\binfo\b/.test(icon) ? 'info' : 'unknown';
      const position = /Ln (\d+), Col (\d+)/.exec(text('.marker-line'));
      return {
        index,
        last,
        kind: 'marker',
        problem: {
          severity,
          line: Number(position?.[1] ?? 0),
          column: Number(position?.[2] ?? 0),
          message: text('.marker-message'),
          source: text('.marker-source'),
          code: text('.marker-code'),
        },
      };
    }
    if (row.querySelector('.label-name') && (row.getAttribute('aria-label') ?? '').includes('problems in file')) {
      const folder = text('.label-description');
      return { index, last, kind: 'file', file: folder ? `${folder}/${text('.label-name')}` : text('.label-name') };
    }
    return { index, last, kind: 'other' };
  });
}

export interface ShownCodeLens {
  text: string;
  /** The line (1-based) the lens stands above. */
  line: number;
}

/**
 * The CodeLenses of the active editor on screen. Monaco draws a lens in a zone above its line (a content widget
 * `.codelens-decoration`), so a lens belongs to the first line whose margin row starts below the lens's middle.
 */
export async function codeLenses(page: Page): Promise<ShownCodeLens[]> {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const lines = [...editor.querySelectorAll('.margin-view-overlays > div')]
      .map((row) => ({ line: Number(row.querySelector('.line-numbers')?.textContent?.trim()), top: row.getBoundingClientRect().y }))
      .filter((row) => row.line > 0)
      .sort((a, b) => a.top - b.top);
    return [...editor.querySelectorAll('.codelens-decoration')]
      .map((lens) => {
        const box = lens.getBoundingClientRect();
        return { text: lens.textContent?.trim() ?? '', line: lines.find((row) => row.top >= box.y + box.height / 2)?.line ?? 0 };
      })
      .filter((lens) => lens.text.length > 0);
  });
}

/** Clicks the command of a CodeLens of the active editor, found by its text. */
export async function clickCodeLens(page: Page, text: string): Promise<void> {
  await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: text }).first().click();
}

export interface ShownTreeView {
  /** The message the extension shows above the tree (empty when there is none). */
  message: string;
  /** The text of each row on screen, top to bottom (label, then description). */
  rows: string[];
}

/** What a tree view contributed by an extension shows, found by its title; undefined while it is not visible. */
export async function treeViewContent(page: Page, title: string): Promise<ShownTreeView | undefined> {
  const pane = page.locator('.pane', { has: page.locator('.pane-header .title', { hasText: title }) }).first();
  if (!(await pane.isVisible())) return undefined;
  const message = pane.locator('.tree-explorer-viewlet-tree-view > .message').first();
  const shown = (await message.count()) > 0 && !/\bhide\b/.test((await message.getAttribute('class')) ?? '');
  // Rows are positioned in a virtualised list: their order in the DOM is not their order on screen.
  const rows = await pane
    .locator('.customview-tree .monaco-list-row')
    .evaluateAll((elements: DomElement[]) =>
      elements
        .map((row) => ({ index: Number(row.dataset.index), text: (row.textContent ?? '').replace(/\s+/g, ' ').trim() }))
        .sort((a, b) => a.index - b.index)
        .map((row) => row.text),
    );
  return { message: shown ? (await message.innerText()).trim() : '', rows };
}
