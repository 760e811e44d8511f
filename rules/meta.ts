// Rule metadata shared by the engine, the reports (SARIF driver rules) and the editor (codeDescription).
import type { RuleId } from '../server/src/engine/model';

export interface RuleMeta {
  id: RuleId;
  /** One line, shown in SARIF shortDescription and rule lists. */
  shortDescription: string;
  /** GDPR articles and other tags (SARIF properties.tags). */
  tags: string[];
  /** SARIF precision. */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** GitHub code scanning security-severity (0-10), where it applies. */
  securitySeverity?: number;
  /** Documentation file beside the rule, relative to rules/. */
  doc: string;
  /** How to fix, in one sentence (Markdown summary for pull requests). */
  fix: string;
}

export const RULE_META: Record<RuleId, RuleMeta> = {
  'unprotected-export': {
    id: 'unprotected-export',
    shortDescription: 'Health data leaves the system with neither anonymisation nor a recorded legal basis.',
    tags: ['privacy', 'health-data', 'GDPR-Art-9', 'GDPR-Art-6', 'GDPR-Art-5-1-a'],
    precision: 'high',
    securitySeverity: 7.5,
    doc: 'unprotected-export.md',
    fix: 'Anonymise before it leaves (aggregate, generalise, through an `@anonymises` function), or record the legal basis: `@legalBasis gdpr-6-1-e gdpr-9-2-h` on the exporting function, or `@processing <register-id>`.',
  },
  'pseudonymised-export': {
    id: 'pseudonymised-export',
    shortDescription: 'Pseudonymised health data leaves the system without a recorded legal basis: it is still personal data.',
    tags: ['privacy', 'health-data', 'GDPR-Art-4-5', 'GDPR-Recital-26', 'GDPR-Art-9'],
    precision: 'high',
    securitySeverity: 7.0,
    doc: 'pseudonymised-export.md',
    fix: 'A hash or an ID mapping is not anonymisation: record the legal basis for the export, or truly anonymise (aggregate with a k-threshold, drop the stable identifier).',
  },
  'third-party-disclosure': {
    id: 'third-party-disclosure',
    shortDescription: 'Health data reaches a third-party SDK or API without a recorded legal basis naming that recipient.',
    tags: ['privacy', 'health-data', 'GDPR-Art-9', 'GDPR-Art-28', 'GDPR-Art-44'],
    precision: 'high',
    securitySeverity: 8.0,
    doc: 'third-party-disclosure.md',
    fix: 'Send ids or counts instead of health data, or record a basis that names the recipient: `@legalBasis ... @recipient <sdk>`, or a register entry listing it in `recipients`.',
  },
  'log-exposure': {
    id: 'log-exposure',
    shortDescription: 'Health data is written to logs.',
    tags: ['privacy', 'health-data', 'GDPR-Art-5-1-c', 'GDPR-Art-5-1-f', 'GDPR-Art-32'],
    precision: 'high',
    securitySeverity: 6.5,
    doc: 'log-exposure.md',
    fix: 'Log an event name and an opaque id, never the record; no legal basis covers logs.',
  },
  'client-side-storage': {
    id: 'client-side-storage',
    shortDescription: 'Health data is stored in the browser (localStorage, sessionStorage, IndexedDB, cookies) or put in a URL.',
    tags: ['privacy', 'health-data', 'GDPR-Art-5-1-f', 'GDPR-Art-32'],
    precision: 'high',
    securitySeverity: 6.5,
    doc: 'client-side-storage.md',
    fix: 'Keep health data in memory or on the server and pass an opaque id; no legal basis covers browser storage or URLs.',
  },
  'insufficient-legal-basis': {
    id: 'insufficient-legal-basis',
    shortDescription: 'A legal basis is recorded for a health-data flow but is not valid for it.',
    tags: ['privacy', 'health-data', 'GDPR-Art-9-2', 'GDPR-Art-6-1', 'GDPR-Art-30', 'LIL-Art-66'],
    precision: 'high',
    securitySeverity: 6.0,
    doc: 'insufficient-legal-basis.md',
    fix: 'Complete the recorded basis: an Art. 9(2) condition with an Art. 6(1) basis, the categories and recipients of the flow, and a French formality (mr-00x, CNIL authorisation) for research in France.',
  },
  'linkable-anonymisation': {
    id: 'linkable-anonymisation',
    shortDescription: 'A declared anonymiser keeps a stable identifier or exact quasi-identifiers next to health data.',
    tags: ['privacy', 'health-data', 'GDPR-Recital-26', 'WP29-Opinion-05-2014', 'CNIL-SAN-2024-013'],
    precision: 'high',
    securitySeverity: 7.0,
    doc: 'linkable-anonymisation.md',
    fix: 'Drop stable identifiers (hashed ones too) and generalise quasi-identifiers (age bands, year, region, counts with a k-threshold), or stop calling it an anonymiser and record a basis.',
  },
  'exported-health-field': {
    id: 'exported-health-field',
    shortDescription: 'A health-data field whose data reaches an export sink without anonymisation or a recorded basis.',
    tags: ['privacy', 'health-data', 'GDPR-Art-30'],
    precision: 'medium',
    doc: 'exported-health-field.md',
    fix: `Follow the field's routes: anonymise it or record a basis where it leaves.`,
  },
  'hardcoded-health-identifier': {
    id: 'hardcoded-health-identifier',
    shortDescription: 'A real-looking health identifier (French NIR, INS, US SSN) is written in source code.',
    tags: ['privacy', 'health-data', 'GDPR-Art-4-15', 'GDPR-Art-32'],
    precision: 'very-high',
    securitySeverity: 5.0,
    doc: 'hardcoded-health-identifier.md',
    fix: 'Replace the identifier with a synthetic one with an invalid check key, or load it from protected storage.',
  },
};
