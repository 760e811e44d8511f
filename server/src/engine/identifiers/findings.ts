// hardcoded-health-identifier: finds valid NIR / INS / SSN literals in a source file and reports them masked.
import { createHash } from 'node:crypto';
import { ts } from '../program/compiler';
import type { Finding, RuleId, Severity } from '../model';
import { findHealthIdentifiers } from './index';

const KIND_TEXT = {
  nir: 'a valid French social security number (NIR)',
  ins: 'an INS-qualified national health identifier',
  ssn: 'a valid US Social Security number',
} as const;

export function hardcodedIdentifierFindings(sourceFile: ts.SourceFile, severities: Record<RuleId, Severity>): Finding[] {
  const severity = severities['hardcoded-health-identifier'];
  if (severity === 'off') return [];
  const findings: Finding[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) || ts.isJsxText(node)) {
      const text = node.text;
      if (/\d{3}/.test(text)) {
        for (const match of findHealthIdentifiers(text, { name: contextName(node) })) {
          const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
          const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd());
          findings.push({
            ruleId: 'hardcoded-health-identifier',
            severity,
            message:
              `This literal contains ${KIND_TEXT[match.kind]} (${match.masked}). A number that identifies a person for health purposes is health data (GDPR Art. 4(15), Recital 35); ` +
              `in source code it is copied to every clone, build and log (Art. 32). Fix: use a synthetic test identifier with an invalid key, or load real values from protected storage.`,
            location: { file: sourceFile.fileName, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
            flows: [],
            related: [],
            categories: ['health-identifier'],
            fingerprint: createHash('sha256').update(`hardcoded-health-identifier\0${sourceFile.fileName.split(/[\\/]/).pop()}\0${match.masked}\0${contextName(node) ?? ''}`).digest('hex').slice(0, 32),
            sinkMatchedBy: 'symbol',
          });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}

function contextName(node: ts.Node): string | undefined {
  let parent = node.parent;
  while (parent && (ts.isTemplateSpan(parent) || ts.isTemplateExpression(parent) || ts.isParenthesizedExpression(parent))) parent = parent.parent;
  if (!parent) return undefined;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) return parent.name.getText();
  if (ts.isBinaryExpression(parent)) return parent.left.getText();
  return undefined;
}
