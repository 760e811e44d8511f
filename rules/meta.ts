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
}

export const RULE_META: Record<RuleId, RuleMeta> = {
  'unprotected-export': {
    id: 'unprotected-export',
    shortDescription: 'Health data leaves the system with neither anonymisation nor a recorded legal basis.',
    tags: ['privacy', 'health-data', 'GDPR-Art-9', 'GDPR-Art-6', 'GDPR-Art-5-1-a'],
    precision: 'high',
    securitySeverity: 7.5,
    doc: 'unprotected-export.md',
  },
  'pseudonymised-export': {
    id: 'pseudonymised-export',
    shortDescription: 'Pseudonymised health data leaves the system without a recorded legal basis: it is still personal data.',
    tags: ['privacy', 'health-data', 'GDPR-Art-4-5', 'GDPR-Recital-26', 'GDPR-Art-9'],
    precision: 'high',
    securitySeverity: 7.0,
    doc: 'pseudonymised-export.md',
  },
  'third-party-disclosure': {
    id: 'third-party-disclosure',
    shortDescription: 'Health data reaches a third-party SDK or API without a recorded legal basis naming that recipient.',
    tags: ['privacy', 'health-data', 'GDPR-Art-9', 'GDPR-Art-28', 'GDPR-Art-44'],
    precision: 'high',
    securitySeverity: 8.0,
    doc: 'third-party-disclosure.md',
  },
  'log-exposure': {
    id: 'log-exposure',
    shortDescription: 'Health data is written to logs.',
    tags: ['privacy', 'health-data', 'GDPR-Art-5-1-c', 'GDPR-Art-5-1-f', 'GDPR-Art-32'],
    precision: 'high',
    securitySeverity: 6.5,
    doc: 'log-exposure.md',
  },
  'client-side-storage': {
    id: 'client-side-storage',
    shortDescription: 'Health data is stored in the browser (localStorage, sessionStorage, IndexedDB, cookies) or put in a URL.',
    tags: ['privacy', 'health-data', 'GDPR-Art-5-1-f', 'GDPR-Art-32'],
    precision: 'high',
    securitySeverity: 6.5,
    doc: 'client-side-storage.md',
  },
  'insufficient-legal-basis': {
    id: 'insufficient-legal-basis',
    shortDescription: 'A legal basis is recorded for a health-data flow but is not valid for it.',
    tags: ['privacy', 'health-data', 'GDPR-Art-9-2', 'GDPR-Art-6-1', 'GDPR-Art-30', 'LIL-Art-66'],
    precision: 'high',
    securitySeverity: 6.0,
    doc: 'insufficient-legal-basis.md',
  },
  'linkable-anonymisation': {
    id: 'linkable-anonymisation',
    shortDescription: 'A declared anonymiser keeps a stable identifier or exact quasi-identifiers next to health data.',
    tags: ['privacy', 'health-data', 'GDPR-Recital-26', 'WP29-Opinion-05-2014', 'CNIL-SAN-2024-013'],
    precision: 'high',
    securitySeverity: 7.0,
    doc: 'linkable-anonymisation.md',
  },
  'exported-health-field': {
    id: 'exported-health-field',
    shortDescription: 'A health-data field whose data reaches an export sink without anonymisation or a recorded basis.',
    tags: ['privacy', 'health-data', 'GDPR-Art-30'],
    precision: 'medium',
    doc: 'exported-health-field.md',
  },
  'hardcoded-health-identifier': {
    id: 'hardcoded-health-identifier',
    shortDescription: 'A real-looking health identifier (French NIR, INS, US SSN) is written in source code.',
    tags: ['privacy', 'health-data', 'GDPR-Art-4-15', 'GDPR-Art-32'],
    precision: 'very-high',
    securitySeverity: 5.0,
    doc: 'hardcoded-health-identifier.md',
  },
};
