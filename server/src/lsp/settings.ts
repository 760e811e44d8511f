// The editor settings (`healthDataLint.*`), typed once for the client and the server, normalised with defaults.
import { RULE_IDS, type RuleId, type Severity } from '../engine/model';

export type RunTrigger = 'onType' | 'onSave';

export interface Settings {
  enable: boolean;
  /** Severity overrides per rule, applied over the project's configuration file. */
  rules: Partial<Record<RuleId, Severity>>;
  run: RunTrigger;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, run: 'onType' };

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'off'];

/** Reads whatever the client sent (possibly nothing, possibly hand-edited JSON) into complete settings. */
export function settingsFrom(raw: unknown): Settings {
  const value = isRecord(raw) ? raw : {};
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    rules: rulesFrom(value.rules),
    run: value.run === 'onSave' || value.run === 'onType' ? value.run : DEFAULT_SETTINGS.run,
  };
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
