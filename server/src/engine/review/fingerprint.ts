// Canonical text of a code fragment for fingerprints: the same expression reformatted gives the same text.
import { ts } from '../program/compiler';

/**
 * Baselines and code scanning match findings by fingerprint, so a fingerprint must survive what a formatter or a
 * colleague does to unchanged code: line breaks inside a call, indentation, quote style, trailing commas,
 * comments, semicolons, parentheses around a lone arrow parameter. The text is tokenised (not matched with
 * regular expressions, so a quote inside a string or a comma inside a string stays what it is), those
 * differences are dropped, and the tokens are joined without whitespace. Whitespace inside string literals is
 * dropped too: fingerprints made before this normalisation removed every whitespace character, and keeping that
 * makes the fingerprints of code that uses single quotes and no comments unchanged.
 */
export function normaliseCodeText(text: string): string {
  const tokens = tokenise(text);
  const kept: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const next = tokens[index + 1];
    if (token.kind === ts.SyntaxKind.SemicolonToken) continue;
    if (token.kind === ts.SyntaxKind.CommaToken && next !== undefined && CLOSERS.has(next.kind)) continue;
    // `(x) => ...` and `x => ...` are the same function; prettier and dprint disagree on which to write.
    if (
      token.kind === ts.SyntaxKind.OpenParenToken &&
      tokens[index + 1]?.kind === ts.SyntaxKind.Identifier &&
      tokens[index + 2]?.kind === ts.SyntaxKind.CloseParenToken &&
      tokens[index + 3]?.kind === ts.SyntaxKind.EqualsGreaterThanToken
    ) {
      kept.push(tokens[index + 1].text);
      index += 2;
      continue;
    }
    kept.push(token.text);
  }
  return kept.join('').replace(/\s+/g, '');
}

const CLOSERS = new Set([ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken]);

interface Token {
  kind: ts.SyntaxKind;
  text: string;
}

/** Tokens without trivia (whitespace, comments); string literals re-quoted with single quotes. */
function tokenise(text: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, text);
  const tokens: Token[] = [];
  // Brace depth at which each open template substitution (`${`) started, to rescan its closing `}`.
  const templates: number[] = [];
  let braces = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken) braces++;
    else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (templates.length > 0 && templates[templates.length - 1] === braces) {
        kind = scanner.reScanTemplateToken(/* isTaggedTemplate */ false);
        if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
      } else {
        braces--;
      }
    }
    if (kind === ts.SyntaxKind.TemplateHead) templates.push(braces);
    if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral) {
      // Single-quoted literals keep their text (escapes included), so existing fingerprints stay as they were.
      const raw = scanner.getTokenText();
      tokens.push({ kind: ts.SyntaxKind.StringLiteral, text: raw.startsWith("'") ? raw : singleQuoted(scanner.getTokenValue()) });
    } else {
      tokens.push({ kind, text: scanner.getTokenText() });
    }
  }
  return tokens;
}

function singleQuoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
