// The configuration the engine runs with (after loading and validation by config/load.ts), and its defaults.
import type { HealthCategory, RuleId, Severity, SinkKind } from './model';

export interface ExtraTerm {
  /** A word or identifier ("hba1c", "suiviDiabete"); matched on tokens like built-in terms. */
  term: string;
  categories: HealthCategory[];
}

export interface ExtraSink {
  /** Module specifier the function comes from ("@acme/telemetry"); absent = match by name only. */
  module?: string;
  /** Exported function, or `Class.method` / `object.method` ("track", "Telemetry.send"). */
  name: string;
  kind: SinkKind;
  recipient?: string;
  /** 0-based index of the argument that carries data; absent = every argument. */
  argument?: number;
}

export interface HealthDataLintConfig {
  /** Extra health terms (added to the built-in vocabulary). */
  terms?: ExtraTerm[];
  /** Terms that must never count as health data in this project ("cold", "treatment"). */
  ignoreTerms?: string[];
  /** Extra type names that are health records, with their categories ("Dossier": ["patient-record"]). */
  healthTypes?: Record<string, HealthCategory[]>;
  /** Fields that are health data whatever their name: `"Type.field"` or `"field"` → categories (the field view and the flows). */
  healthFields?: Record<string, HealthCategory[]>;
  /** Fields that are never health data: `"Type.field"` or `"field"`. */
  notHealthFields?: string[];
  sinks?: ExtraSink[];
  /** Functions (names, or `module#name`) whose return value is anonymous. */
  anonymisers?: string[];
  /** Functions whose return value is pseudonymised. */
  pseudonymisers?: string[];
  rules?: Partial<Record<RuleId, Severity>>;
  /** Path of the processing register, relative to the config file (default health-data-register.yaml). */
  register?: string;
  jurisdictions?: string[];
  /** Globs of files never analysed. */
  ignore?: string[];
  /** Origins of the application's own backend (browser requests there are internal). */
  ownOrigins?: string[];
  /** Names for URL prefixes: { "research-partner": ["https://ingest.partner.example/"] }. */
  recipients?: Record<string, string[]>;
  /** Files larger than this (bytes) are skipped with a notice. */
  maxFileSize?: number;
  /** Analysis steps allowed per file before it is skipped with a notice. */
  workBudget?: number;
  /** Base URL of the rule documentation (helpUri, codeDescription.href). */
  documentationBaseUrl?: string;
}

export const DEFAULT_SEVERITIES: Record<RuleId, Severity> = {
  'unprotected-export': 'error',
  'pseudonymised-export': 'error',
  'third-party-disclosure': 'error',
  'log-exposure': 'error',
  'client-side-storage': 'error',
  'insufficient-legal-basis': 'error',
  'linkable-anonymisation': 'error',
  'exported-health-field': 'off', // information in the editor; off in the CLI (contract)
  'hardcoded-health-identifier': 'error',
};

export const DEFAULT_MAX_FILE_SIZE = 1_000_000;
export const DEFAULT_WORK_BUDGET = 2_000_000;
export const DEFAULT_DOCUMENTATION_BASE_URL =
  'https://github.com/health-data-lint/health-data-lint/blob/main/rules/';
