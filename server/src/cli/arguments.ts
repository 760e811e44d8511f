// Parses the command line into a command (help, version, scan, inventory, merge) by hand: the options are few and fixed.
import { RULE_IDS } from '../engine/model';
import type { RuleId, Severity } from '../engine/model';

export const OUTPUT_FORMATS = ['stylish', 'json', 'sarif', 'markdown', 'html', 'register'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface CliOptions {
  /** Files or directories to scan, as typed (default `.`). */
  paths: string[];
  /** Explicit tsconfig files (--project, repeatable). */
  projects: string[];
  format: OutputFormat;
  outputFile?: string;
  config?: string;
  /** More unsuppressed warnings than this fail the run (exit 1). */
  maxWarnings?: number;
  /** --rule overrides, applied over the configuration's `rules`. */
  rules: Partial<Record<RuleId, Severity>>;
  /** Report errors only. */
  quiet: boolean;
  /** Progress line on stderr (only ever shown on a terminal). */
  progress: boolean;
  /** --baseline: findings accepted in this file are not reported. */
  baseline?: string;
  /** --write-baseline: record the current findings in this file. */
  writeBaseline?: string;
  /** --changed-since: report only findings on lines changed since this git ref. */
  changedSince?: string;
  /** --cache: reuse the results of files that did not change (and whose dependencies did not) from an earlier run. */
  cache?: boolean;
  /** --cache-location: where the results cache lives (default node_modules/.cache/health-data-lint). */
  cacheLocation?: string;
  /** --jobs: worker threads analysing tsconfig projects in parallel ('auto' = one per CPU); absent = 1. */
  jobs?: number | 'auto';
  /** --shard i/n: analyse only the i-th of n deterministic groups of tsconfig projects (1-based). */
  shard?: { index: number; count: number };
}

export const INVENTORY_FORMATS = ['json', 'markdown', 'csv'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'scan'; options: CliOptions }
  | { kind: 'inventory'; options: CliOptions; format: InventoryFormat }
  | { kind: 'merge'; files: string[]; outputFile?: string };

/** A command line that cannot be run; the CLI prints the message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const VALUE_OPTIONS = new Set([
  '--project',
  '--format',
  '--output-file',
  '--config',
  '--baseline',
  '--write-baseline',
  '--changed-since',
  '--max-warnings',
  '--rule',
  '--cache-location',
  '--jobs',
  '--shard',
]);
const FLAG_OPTIONS = new Set(['--quiet', '--version', '--help', '--no-progress', '--cache', '--no-cache', '-h']);
const RULE_SEVERITIES: readonly Severity[] = ['off', 'warning', 'error', 'information'];

export function parseArguments(argv: readonly string[]): CliCommand {
  const options: CliOptions = { paths: [], projects: [], format: 'stylish', rules: {}, quiet: false, progress: true };
  let wantsHelp = false;
  let wantsVersion = false;
  let onlyPaths = false;
  let inventory = false;
  let merge = false;
  let format: string | undefined;
  /** Options given, for the commands that take only some of them. */
  const given = new Set<string>();

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (onlyPaths || !argument.startsWith('-') || argument === '-') {
      // To scan a folder named "inventory", write ./inventory.
      if (options.paths.length === 0 && !onlyPaths && !inventory && !merge && argument === 'inventory') {
        inventory = true;
        continue;
      }
      // Likewise ./merge for a folder named "merge".
      if (options.paths.length === 0 && !onlyPaths && !inventory && !merge && argument === 'merge') {
        merge = true;
        continue;
      }
      options.paths.push(argument);
      continue;
    }
    if (argument === '--') {
      onlyPaths = true;
      continue;
    }
    const equals = argument.indexOf('=');
    const name = argument.startsWith('--') && equals > 0 ? argument.slice(0, equals) : argument;
    const inlineValue = name === argument ? undefined : argument.slice(equals + 1);

    if (FLAG_OPTIONS.has(name)) {
      if (inlineValue !== undefined) throw new UsageError(`option ${name} takes no value (got "${argument}")`);
      if (name === '--help' || name === '-h') wantsHelp = true;
      else if (name === '--version') wantsVersion = true;
      else if (name === '--quiet') options.quiet = true;
      else if (name === '--cache') options.cache = true;
      else if (name === '--no-cache') options.cache = false;
      else options.progress = false;
      given.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) {
      throw new UsageError(`unknown option "${argument}" (run health-data-lint --help for the list of options)`);
    }
    let value = inlineValue;
    if (value === undefined) {
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`option ${name} needs a value`);
      value = next;
      index++;
    }
    if (value === '') throw new UsageError(`option ${name} needs a non-empty value`);
    given.add(name);
    // The inventory has formats of its own: the format is checked once the command is known.
    if (name === '--format') format = value;
    else applyValueOption(options, name, value);
  }

  if (wantsHelp) return { kind: 'help' };
  if (wantsVersion) return { kind: 'version' };
  if (options.writeBaseline !== undefined && options.changedSince !== undefined) {
    // A baseline records the whole project; written from a partial report it would forget every other finding.
    throw new UsageError('--write-baseline records every finding of the project and cannot be combined with --changed-since');
  }
  if (merge) {
    const others = [...given].filter((name) => name !== '--output-file');
    if (others.length > 0) throw new UsageError(`merge takes SARIF files and --output-file only (got ${others.join(', ')})`);
    if (options.paths.length === 0) throw new UsageError('merge needs the SARIF files to merge: health-data-lint merge <sarif...> [--output-file <file>]');
    return { kind: 'merge', files: options.paths, ...(options.outputFile !== undefined && { outputFile: options.outputFile }) };
  }
  if (options.shard !== undefined && options.writeBaseline !== undefined) {
    // One shard sees only its projects' findings: the baseline it wrote would drop every other shard's.
    throw new UsageError('--write-baseline records every finding of the project and cannot be combined with --shard (write it from an unsharded run)');
  }
  if (options.paths.length === 0) options.paths.push('.');
  if (inventory) {
    if (options.shard !== undefined) throw new UsageError('--shard applies to scans (their SARIF shards are merged with health-data-lint merge), not to the inventory');
    if (format !== undefined && !(INVENTORY_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`inventory --format must be one of ${INVENTORY_FORMATS.join(', ')} (got "${format}")`);
    }
    return { kind: 'inventory', options, format: (format as InventoryFormat | undefined) ?? 'markdown' };
  }
  if (format !== undefined) options.format = parseFormat(format);
  return { kind: 'scan', options };
}

function applyValueOption(options: CliOptions, name: string, value: string): void {
  switch (name) {
    case '--cache-location':
      options.cacheLocation = value;
      options.cache = true;
      return;
    case '--project':
      options.projects.push(value);
      return;
    case '--output-file':
      options.outputFile = value;
      return;
    case '--config':
      options.config = value;
      return;
    case '--baseline':
      options.baseline = value;
      return;
    case '--write-baseline':
      options.writeBaseline = value;
      return;
    case '--changed-since':
      options.changedSince = value;
      return;
    case '--max-warnings':
      if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings must be a whole number of 0 or more (got "${value}")`);
      options.maxWarnings = Number(value);
      return;
    case '--rule': {
      const [ruleId, severity] = parseRuleOverride(value);
      options.rules[ruleId] = severity;
      return;
    }
    case '--jobs':
      options.jobs = parseJobs(value);
      return;
    case '--shard':
      options.shard = parseShard(value);
      return;
  }
}

/** A whole number of workers; 0 or auto: one per CPU. */
function parseJobs(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  if (!/^\d+$/.test(value)) throw new UsageError(`--jobs must be a whole number of 0 or more, or auto (got "${value}")`);
  const jobs = Number(value);
  return jobs === 0 ? 'auto' : jobs;
}

/** `i/n` with 1 <= i <= n, as CI matrices number their jobs. */
function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard expects <i>/<n> with 1 <= i <= n, e.g. --shard 2/4 (got "${value}")`);
  }
  return { index, count };
}

function parseFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')} (got "${value}")`);
}

function parseRuleOverride(value: string): [RuleId, Severity] {
  const match = /^([^=]+)=(.*)$/.exec(value);
  if (!match) throw new UsageError(`--rule expects <rule-id>=<severity>, e.g. --rule log-exposure=warning (got "${value}")`);
  const [, ruleId, severity] = match;
  if (!(RULE_IDS as readonly string[]).includes(ruleId)) {
    throw new UsageError(`--rule: unknown rule "${ruleId}" (rules: ${RULE_IDS.join(', ')})`);
  }
  if (!(RULE_SEVERITIES as readonly string[]).includes(severity)) {
    throw new UsageError(`--rule ${ruleId}: severity must be one of ${RULE_SEVERITIES.join(', ')} (got "${severity}")`);
  }
  return [ruleId as RuleId, severity as Severity];
}
