// Reads `health-data-lint-disable-next-line <rule-id> -- <justification>` comments and says which findings they suppress.
import { RULE_IDS, type RuleId } from './model';

export interface Suppression {
  /** Position of the directive comment (1-based). */
  line: number;
  column: number;
  /** The line whose findings it suppresses: the next line that is not only comments. */
  appliesToLine: number;
  /** Known rule ids named by the comment. */
  ruleIds: RuleId[];
  justification?: string;
  /** Why it does not (fully) work: missing justification, unknown rule id...; empty when it is well formed. */
  problems: string[];
}

const DIRECTIVE = 'health-data-lint-disable-next-line';
/** Directive-like words that are not supported, so a typo or an ESLint habit does not silently suppress nothing. */
const DIRECTIVE_LIKE = /health-data-lint-(?:disable|enable)[\w-]*/;
const KNOWN_RULES = new Set<string>(RULE_IDS);

export const JUSTIFICATION_REQUIRED = 'a justification is required after `--`';

interface Comment {
  /** Text between the delimiters. */
  text: string;
  /** Offset of the comment's first character (`/`). */
  start: number;
  end: number;
}

/** Characters after which `/` starts a regular expression rather than a division. */
const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_KEYWORDS = /(?:^|[^\w$])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/;

/**
 * The comments of a JavaScript/TypeScript source, skipping strings, template literals and regular expressions
 * so that `"// health-data-lint-disable-next-line"` in a string is not taken for a directive.
 */
function scanComments(source: string): Comment[] {
  const comments: Comment[] = [];
  const templateDepths: number[] = []; // brace depth at which each open `${` returns to its template
  let braceDepth = 0;
  let lastSignificant = '';
  let index = 0;
  const length = source.length;

  const skipString = (quote: string): void => {
    index++;
    while (index < length && source[index] !== quote && source[index] !== '\n') {
      index += source[index] === '\\' ? 2 : 1;
    }
    index++;
  };
  /** Reads template text up to its end or to `${`; returns true when it stopped at `${`. */
  const skipTemplateText = (): boolean => {
    while (index < length) {
      const char = source[index];
      if (char === '\\') index += 2;
      else if (char === '`') {
        index++;
        return false;
      } else if (char === '$' && source[index + 1] === '{') {
        index += 2;
        return true;
      } else index++;
    }
    return false;
  };

  while (index < length) {
    const char = source[index]!;
    const next = source[index + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index);
      const stop = end < 0 ? length : end;
      comments.push({ text: source.slice(index + 2, stop), start: index, end: stop });
      index = stop;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      const stop = end < 0 ? length : end + 2;
      comments.push({ text: source.slice(index + 2, end < 0 ? length : end), start: index, end: stop });
      index = stop;
    } else if (char === '"' || char === "'") {
      skipString(char);
      lastSignificant = 'a';
    } else if (char === '`') {
      index++;
      if (skipTemplateText()) templateDepths.push(braceDepth);
      lastSignificant = 'a';
    } else if (char === '/' && (REGEX_PRECEDERS.has(lastSignificant) || REGEX_KEYWORDS.test(source.slice(Math.max(0, index - 12), index).trimEnd()))) {
      index++;
      let inClass = false;
      while (index < length && source[index] !== '\n') {
        const current = source[index];
        if (current === '\\') index++;
        else if (current === '[') inClass = true;
        else if (current === ']') inClass = false;
        else if (current === '/' && !inClass) break;
        index++;
      }
      index++;
      lastSignificant = 'a';
    } else {
      if (char === '{') braceDepth++;
      if (char === '}') {
        if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
          templateDepths.pop();
          index++;
          if (skipTemplateText()) templateDepths.push(braceDepth);
          lastSignificant = 'a';
          continue;
        }
        braceDepth--;
      }
      if (!/\s/.test(char)) lastSignificant = /[\w$)\]]/.test(char) ? 'a' : char;
      index++;
    }
  }
  return comments;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let index = 0; index < source.length; index++) if (source[index] === '\n') starts.push(index + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Lines (1-based) holding only comments, whitespace and JSX comment braces (`{/* ... *\/}`). */
function commentOnlyLines(source: string, comments: readonly Comment[], starts: readonly number[]): Set<number> {
  const blanked = source.split('');
  for (const comment of comments) {
    for (let offset = comment.start; offset < comment.end; offset++) if (blanked[offset] !== '\n') blanked[offset] = ' ';
  }
  const text = blanked.join('');
  const lines = new Set<number>();
  const touched = new Set<number>();
  for (const comment of comments) {
    for (let line = lineOf(starts, comment.start); line <= lineOf(starts, Math.max(comment.start, comment.end - 1)); line++) touched.add(line);
  }
  for (const line of touched) {
    const start = starts[line - 1]!;
    const end = line < starts.length ? starts[line]! - 1 : text.length;
    if (/^[\s{}]*$/.test(text.slice(start, end))) lines.add(line);
  }
  return lines;
}

function parseDirective(body: string): { ruleIds: RuleId[]; justification?: string; problems: string[] } {
  const separator = body.search(/(?:^|\s)--(?:\s|$)/);
  const rulesPart = separator < 0 ? body : body.slice(0, separator);
  const justification = separator < 0 ? '' : body.slice(separator).replace(/^\s*--/, '').trim();
  const problems: string[] = [];
  const ruleIds: RuleId[] = [];
  const written = rulesPart.split(/[\s,]+/).filter((word) => word !== '');
  for (const word of written) {
    if (KNOWN_RULES.has(word)) {
      if (!ruleIds.includes(word as RuleId)) ruleIds.push(word as RuleId);
    } else {
      problems.push(`unknown rule id "${word}" (expected one of: ${RULE_IDS.join(', ')})`);
    }
  }
  if (written.length === 0) problems.push(`name the rule to suppress: \`${DIRECTIVE} <rule-id> -- <justification>\``);
  // A placeholder left as the editor's quick fix wrote it (`<reason>`, `<justification>`) justifies nothing.
  const placeholder = /^<[^<>]*>$/.test(justification);
  if (justification === '') problems.push(JUSTIFICATION_REQUIRED);
  else if (placeholder) problems.push(`replace the placeholder ${justification} with the reason this flow is acceptable: ${JUSTIFICATION_REQUIRED}`);
  const justified = justification !== '' && !placeholder;
  return { ruleIds, ...(justified ? { justification } : {}), problems };
}

export function parseSuppressions(sourceText: string): Suppression[] {
  const comments = scanComments(sourceText);
  const starts = lineStarts(sourceText);
  const onlyComments = commentOnlyLines(sourceText, comments, starts);
  const suppressions: Suppression[] = [];
  for (const comment of comments) {
    const found = DIRECTIVE_LIKE.exec(comment.text);
    if (!found) continue;
    const offset = comment.start + 2 + found.index;
    const line = lineOf(starts, offset);
    const column = offset - starts[line - 1]! + 1;
    let appliesToLine = lineOf(starts, Math.max(comment.start, comment.end - 1)) + 1;
    while (onlyComments.has(appliesToLine)) appliesToLine++;
    if (found[0] !== DIRECTIVE) {
      suppressions.push({
        line,
        column,
        appliesToLine,
        ruleIds: [],
        problems: [`"${found[0]}" is not supported: write \`${DIRECTIVE} <rule-id> -- <justification>\` on the line before the finding`],
      });
      continue;
    }
    // Inside /* */, a leading `*` of a continuation line is decoration, not text.
    const body = comment.text.slice(found.index + DIRECTIVE.length).replace(/\n\s*\*?/g, ' ');
    suppressions.push({ line, column, appliesToLine, ...parseDirective(body) });
  }
  return suppressions;
}

export type SuppressionMatch =
  | { status: 'suppressed'; suppression: Suppression; justification: string }
  /** A comment names the rule for this line but does not suppress it: the finding is reported with `problem`. */
  | { status: 'not-suppressed'; suppression: Suppression; problem: string };

/** Whether a finding of `ruleId` on `line` is suppressed, or why a comment meant for it does not suppress it. */
export function matchSuppression(suppressions: readonly Suppression[], ruleId: RuleId, line: number): SuppressionMatch | undefined {
  // A comment whose rule ids are all unknown may well have meant this rule: say why it did not work.
  const forLine = suppressions.filter(
    (suppression) => suppression.appliesToLine === line && (suppression.ruleIds.includes(ruleId) || suppression.ruleIds.length === 0),
  );
  const effective = forLine.find((suppression) => suppression.ruleIds.includes(ruleId) && suppression.justification !== undefined);
  if (effective) return { status: 'suppressed', suppression: effective, justification: effective.justification! };
  const broken = forLine[0];
  if (broken) {
    return { status: 'not-suppressed', suppression: broken, problem: `the suppression comment on line ${broken.line} does not apply: ${broken.problems.join('; ')}` };
  }
  return undefined;
}
