// Locates the rule documentation shipped in the package (rules/<id>.md) and builds links to it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RULE_META } from '../../../../rules/meta';
import type { RuleId } from '../model';

/**
 * The package's rules/ directory. The bundles live in dist/, the sources in server/src/engine/report/, so
 * walk up from this module to the directory whose package.json is ours rather than assume a depth.
 */
export function findRulesDirectory(from: string = __dirname): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && isOurManifest(manifest) && existsSync(join(directory, 'rules'))) {
      return join(directory, 'rules');
    }
    if (dirname(directory) === directory) return undefined;
  }
}

function isOurManifest(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'health-data-lint';
  } catch {
    return false;
  }
}

/** The Markdown documentation of a rule, or undefined when the package does not ship it. */
export function readRuleDocumentation(ruleId: RuleId, rulesDirectory: string | undefined): string | undefined {
  if (!rulesDirectory) return undefined;
  const file = join(rulesDirectory, RULE_META[ruleId].doc);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The first paragraph after the title: the rule's full description in its own words. */
export function firstParagraph(markdown: string): string | undefined {
  const paragraphs = markdown
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.trim())
    .filter((block) => block !== '' && !block.startsWith('#') && !block.startsWith('```') && !block.startsWith('|'));
  return paragraphs[0]?.replace(/\s*\r?\n\s*/g, ' ');
}

export function ruleDocumentationUrl(ruleId: RuleId, documentationBaseUrl: string): string {
  const base = documentationBaseUrl.endsWith('/') ? documentationBaseUrl : `${documentationBaseUrl}/`;
  return base + RULE_META[ruleId].doc;
}
