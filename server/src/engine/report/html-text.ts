// Text for the HTML report: every string is masked (health identifiers) and escaped before it reaches the page.
import { maskHealthIdentifiers } from './mask';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values. */
export function htmlText(text: string): string {
  return maskHealthIdentifiers(text).replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** `code`-quoted spans of a message (`res.json(x)`) as <code>, the rest as text. */
export function htmlWithCode(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 2 ? `<code>${htmlText(part.slice(1, -1))}</code>` : htmlText(part)))
    .join('');
}

/** A path or a chain of paths, with break opportunities after each `/` so narrow table cells wrap between folders. */
export function htmlPath(text: string): string {
  return htmlText(text).replace(/\//g, '/<wbr>');
}
