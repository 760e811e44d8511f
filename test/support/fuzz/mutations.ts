// Mutations of a source file that an editor sees while someone types, or a generator produces: tokens deleted
// or duplicated, the text cut short, stray Unicode, and expressions nested far deeper than people write.
import ts from 'typescript';
import type { SeededRandom as Random } from '../random';

export type MutationKind = 'delete-tokens' | 'duplicate-tokens' | 'truncate' | 'insert-unicode' | 'nest-deeply';
export const MUTATION_KINDS: readonly MutationKind[] = ['delete-tokens', 'duplicate-tokens', 'truncate', 'insert-unicode', 'nest-deeply'];

export interface Mutation {
  kind: MutationKind;
  /** What was done, short enough for a failure message (offsets, counts). */
  description: string;
  text: string;
}

interface Token {
  start: number;
  end: number;
}

/** The tokens of a file with their offsets (trivia skipped), as TypeScript's scanner sees them. */
export function tokensOf(text: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const tokens: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push({ start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
    if (tokens.length > 200_000) break;
  }
  return tokens;
}

/**
 * Characters that have broken tools before: a lone surrogate, zero-width and bidirectional controls (Trojan
 * Source), a BOM mid-file, line and paragraph separators (line terminators for JavaScript, not for editors),
 * combining marks, astral letters valid in identifiers, a NUL, and an emoji.
 */
const TROUBLESOME = ['\uD800', '\u200B', '\u200D', '\u202E', '\u2066', '\uFEFF', '\u2028', '\u2029', '\u0301', '\u{1D4D0}', '\u0000', '\u{1F489}', 'é', 'ß', '\u00A0', '\r', '`', '${'];

export function mutate(text: string, random: Random, kind: MutationKind = random.pick(MUTATION_KINDS)): Mutation {
  const tokens = tokensOf(text);
  if (tokens.length === 0) return { kind: 'truncate', description: 'empty file', text: '' };
  switch (kind) {
    case 'delete-tokens': {
      const count = random.int(1, 3);
      let result = text;
      const removed: number[] = [];
      // From the end, so earlier offsets stay valid.
      const chosen = [...new Set(Array.from({ length: count }, () => random.int(0, tokens.length - 1)))].sort((a, b) => b - a);
      for (const index of chosen) {
        const token = tokens[index];
        result = result.slice(0, token.start) + result.slice(token.end);
        removed.push(token.start);
      }
      return { kind, description: `deleted the tokens at ${removed.reverse().join(', ')}`, text: result };
    }
    case 'duplicate-tokens': {
      const first = random.int(0, tokens.length - 1);
      const last = Math.min(tokens.length - 1, first + random.int(0, 4));
      const span = text.slice(tokens[first].start, tokens[last].end);
      const times = random.int(1, 3);
      return { kind, description: `duplicated ${JSON.stringify(span.slice(0, 40))} ${times}x at ${tokens[first].start}`, text: text.slice(0, tokens[last].end) + ` ${span}`.repeat(times) + text.slice(tokens[last].end) };
    }
    case 'truncate': {
      const at = random.int(0, text.length - 1);
      return { kind, description: `truncated at ${at} of ${text.length}`, text: text.slice(0, at) };
    }
    case 'insert-unicode': {
      let result = text;
      const inserted: string[] = [];
      for (let i = random.int(1, 4); i > 0; i--) {
        const at = random.next() < 0.5 ? random.pick(tokens).start : random.int(0, result.length);
        const character = random.next() < 0.7 ? random.pick(TROUBLESOME) : String.fromCodePoint(random.int(0x80, 0x2ffff));
        result = result.slice(0, at) + character + result.slice(at);
        inserted.push(`U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase()}@${at}`);
      }
      return { kind, description: `inserted ${inserted.join(' ')}`, text: result };
    }
    case 'nest-deeply': {
      // Wrap an expression-looking token in brackets or a chain, deep enough to go past the compiler's stack.
      const token = random.pick(tokens);
      const depth = random.pick([50, 400, 1_500, 6_000]);
      const shape = random.pick(['parens', 'array', 'call', 'plus-chain', 'member-chain'] as const);
      const original = text.slice(token.start, token.end);
      const nested =
        shape === 'parens' ? `${'('.repeat(depth)}${original}${')'.repeat(depth)}`
        : shape === 'array' ? `${'['.repeat(depth)}${original}${']'.repeat(depth)}`
        : shape === 'call' ? `${'String('.repeat(depth)}${original}${')'.repeat(depth)}`
        : shape === 'plus-chain' ? `${original}${` + ${original}`.repeat(depth)}`
        : `${original}${'.x'.repeat(depth)}`;
      return { kind, description: `nested ${JSON.stringify(original.slice(0, 30))} at ${token.start} in ${depth} levels of ${shape}`, text: text.slice(0, token.start) + nested + text.slice(token.end) };
    }
  }
}
