// The editor settings (`healthDataLint.*`), typed once for the client and the server, normalised with defaults.
// Settings that extend the project's configuration file (terms, sinks, anonymisers...) are kept as the user wrote
// them: the analysis validates them against the configuration schema and reports problems by key.
import { RULE_IDS, type RuleId, type Severity } from '../engine/model';

export type RunTrigger = 'onType' | 'onSave';

/** The part of the settings that changes what the engine does, applied over `health-data-lint.config.json`. */
export interface ConfigOverrides {
  /** Severity overrides per rule. */
  rules: Partial<Record<RuleId, Severity>>;
  /** Replaces the configuration file's `jurisdictions` when not empty. */
  jurisdictions: string[];
  /** Register path relative to the workspace folder; replaces the configuration file's `register` when not empty. */
  register: string;
  /** Added to the configuration file's lists (raw: validated by the analysis). */
  terms: unknown[];
  sinks: unknown[];
  anonymisers: unknown[];
  /** Replaces the configuration file's `maxFileSize` when set. */
  maxFileSize?: number;
}

export interface Settings extends ConfigOverrides {
  enable: boolean;
  run: RunTrigger;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, run: 'onType', jurisdictions: [], register: '', terms: [], sinks: [], anonymisers: [] };

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'off'];

/** Reads whatever the client sent (possibly nothing, possibly hand-edited JSON) into complete settings. */
export function settingsFrom(raw: unknown): Settings {
  const value = isRecord(raw) ? raw : {};
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    rules: rulesFrom(value.rules),
    run: value.run === 'onSave' || value.run === 'onType' ? value.run : DEFAULT_SETTINGS.run,
    jurisdictions: Array.isArray(value.jurisdictions) ? value.jurisdictions.filter((j): j is string => typeof j === 'string' && j.length > 0) : [],
    register: typeof value.register === 'string' ? value.register.trim() : '',
    terms: Array.isArray(value.terms) ? value.terms : [],
    sinks: Array.isArray(value.sinks) ? value.sinks : [],
    anonymisers: Array.isArray(value.anonymisers) ? value.anonymisers : [],
    ...(typeof value.maxFileSize === 'number' && { maxFileSize: value.maxFileSize }),
  };
}

/** The engine-relevant part of the settings, as sent to the analysis worker. */
export function overridesOf(settings: Settings): ConfigOverrides {
  const { enable: _enable, run: _run, ...overrides } = settings;
  return overrides;
}

function rulesFrom(raw: unknown): Partial<Record<RuleId, Severity>> {
  if (!isRecord(raw)) return {};
  const rules: Partial<Record<RuleId, Severity>> = {};
  for (const [id, severity] of Object.entries(raw)) {
    // Unknown ids and severities are dropped rather than failing the analysis: settings are edited by hand.
    if ((RULE_IDS as readonly string[]).includes(id) && (SEVERITIES as readonly unknown[]).includes(severity)) {
      rules[id as RuleId] = severity as Severity;
    }
  }
  return rules;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
