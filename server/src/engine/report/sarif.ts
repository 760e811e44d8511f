// The SARIF 2.1.0 report for code scanning: one run, rules with their documentation, results with code flows.
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { RULE_META } from '../../../../rules/meta';
import { DEFAULT_SEVERITIES } from '../config';
import { RULE_IDS } from '../model';
import type { AnalysisResult, BaselineEntry, Finding, RelatedLocation, RuleId, Severity, SkippedFile, SourceLocation } from '../model';
import { relativePosixPath } from './paths';
import { findRulesDirectory, firstParagraph, readRuleDocumentation, ruleDocumentationUrl } from './rule-docs';
import { sortFindings } from './stylish';
import { TOOL_INFORMATION_URI, TOOL_NAME, TOOL_VERSION } from './tool';

export interface SarifOptions {
  /** Artifact URIs are relative to it (uriBaseId SRCROOT): the enclosing git work tree, else the scanned directory. */
  repoRoot: string;
  documentationBaseUrl: string;
  /** Where rules/<id>.md are read from; default: the package's rules/ directory. */
  rulesDirectory?: string;
  /** run.automationDetails.id; code scanning takes the part before the last `/` as the analysis category. */
  automationId?: string;
}

const SOURCE_ROOT = 'SRCROOT';
export const FINGERPRINT_KEY = 'healthDataLint/v1';

export function formatSarif(result: AnalysisResult, options: SarifOptions): string {
  return `${JSON.stringify(buildSarifLog(result, options), null, 2)}\n`;
}

export function buildSarifLog(result: AnalysisResult, options: SarifOptions): Sarif.Log {
  const artifacts = new ArtifactTable(options.repoRoot);
  const rulesDirectory = options.rulesDirectory ?? findRulesDirectory();
  const rules = RULE_IDS.map((ruleId) => toReportingDescriptor(ruleId, options.documentationBaseUrl, rulesDirectory));
  const results = sortFindings(result.findings).map((finding) => toResult(finding, artifacts, result.baseline?.file));
  for (const entry of result.baseline?.fixed ?? []) results.push(toAbsentResult(entry));
  const notifications = [
    ...result.skipped.map((skipped) => toSkippedNotification(skipped, artifacts)),
    ...result.projects
      .filter((project) => project.typesMissing)
      .map(
        (project): Sarif.Notification => ({
          level: 'note',
          descriptor: { id: 'types-missing' },
          message: {
            text:
              `Types were missing for the project at ${project.configFile ?? project.root} (dependencies not installed): ` +
              'sinks and types were matched by import specifiers and names.',
          },
        }),
      ),
    ...result.notices.map((notice): Sarif.Notification => ({ level: 'note', message: { text: notice } })),
    ...(result.staleRegisterEntries ?? []).map(
      (entry): Sarif.Notification => ({
        level: 'warning',
        descriptor: { id: 'stale-register-entry' },
        message: { text: entry.message },
        locations: [{ physicalLocation: { artifactLocation: artifacts.locationOf(entry.location.file), region: { startLine: entry.location.line, startColumn: entry.location.column } } }],
        properties: { processingId: entry.id },
      }),
    ),
  ];

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: TOOL_VERSION,
        semanticVersion: TOOL_VERSION,
        informationUri: TOOL_INFORMATION_URI,
        rules,
      },
    },
    automationDetails: { id: options.automationId ?? `${TOOL_NAME}/` },
    originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(options.repoRoot) } },
    invocations: [
      {
        executionSuccessful: true,
        ...(notifications.length > 0 && { toolExecutionNotifications: notifications }),
      },
    ],
    results,
    artifacts: artifacts.list(),
    columnKind: 'utf16CodeUnits',
  };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

function toReportingDescriptor(
  ruleId: RuleId,
  documentationBaseUrl: string,
  rulesDirectory: string | undefined,
): Sarif.ReportingDescriptor {
  const meta = RULE_META[ruleId];
  const helpUri = ruleDocumentationUrl(ruleId, documentationBaseUrl);
  const documentation = readRuleDocumentation(ruleId, rulesDirectory);
  const fallbackHelp = `${meta.shortDescription} See ${helpUri}`;
  const defaultSeverity = DEFAULT_SEVERITIES[ruleId];
  return {
    id: ruleId,
    name: pascalCase(ruleId),
    shortDescription: { text: meta.shortDescription },
    fullDescription: { text: (documentation && firstParagraph(documentation)) || meta.shortDescription },
    helpUri,
    help: { text: documentation ?? fallbackHelp, markdown: documentation ?? fallbackHelp },
    defaultConfiguration: {
      // exported-health-field is off by default in the CLI only; its level when enabled is note.
      ...(defaultSeverity === 'off' && { enabled: false }),
      level: toLevel(defaultSeverity),
    },
    properties: {
      tags: [...meta.tags],
      precision: meta.precision,
      ...(meta.securitySeverity !== undefined && { 'security-severity': meta.securitySeverity.toFixed(1) }),
      'problem.severity': defaultSeverity === 'error' ? 'error' : defaultSeverity === 'warning' ? 'warning' : 'recommendation',
    },
  };
}

function toResult(finding: Finding, artifacts: ArtifactTable, baselineFile: string | undefined): Sarif.Result {
  const codeFlows = finding.flows
    .filter((flow) => flow.length > 0)
    .map(
      (flow): Sarif.CodeFlow => ({
        threadFlows: [
          { locations: flow.map((step) => ({ location: toLocation(step.location, artifacts, step.message) })) },
        ],
      }),
    );
  const relatedLocations = finding.related.map(
    (related: RelatedLocation, index): Sarif.Location => ({
      id: index + 1,
      ...toLocation(related.location, artifacts, related.message),
    }),
  );
  const properties: Sarif.PropertyBag = { categories: [...finding.categories] };
  if (finding.recipient !== undefined) properties.recipient = finding.recipient;
  if (finding.sinkMatchedBy !== undefined) properties.sinkMatchedBy = finding.sinkMatchedBy;
  if (finding.suppressionProblem !== undefined) properties.suppressionProblem = finding.suppressionProblem;
  return {
    ruleId: finding.ruleId,
    ruleIndex: RULE_IDS.indexOf(finding.ruleId),
    level: toLevel(finding.severity),
    message: { text: finding.message },
    locations: [toLocation(finding.location, artifacts)],
    ...(codeFlows.length > 0 && { codeFlows }),
    ...(relatedLocations.length > 0 && { relatedLocations }),
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.baselineState !== undefined && { baselineState: finding.baselineState }),
    // An empty list says "known not suppressed"; absence would mean "unknown" (SARIF 3.27.23).
    suppressions: finding.suppressed
      ? [
          {
            kind: 'inSource',
            justification: finding.suppressed.justification,
            location: toLocation(finding.suppressed.location, artifacts),
          },
        ]
      : finding.baselineState === 'unchanged'
        ? // Accepted in a baseline file: suppressed outside the source, so that viewers and code scanning do not count it.
          [{ kind: 'external', status: 'accepted', justification: `accepted in the baseline ${baselineFile ?? ''}`.trim() }]
        : [],
    properties,
  };
}

/** A baseline entry no finding matches any more: reported as `absent` (fixed), a pass rather than a problem. */
function toAbsentResult(entry: BaselineEntry): Sarif.Result {
  const ruleIndex = (RULE_IDS as readonly string[]).indexOf(entry.ruleId);
  return {
    ruleId: entry.ruleId,
    ...(ruleIndex >= 0 && { ruleIndex }),
    kind: 'pass',
    level: 'none',
    // No location: the code is gone, and a region-less location would be one code scanning cannot show.
    message: { text: `Fixed since the baseline (${entry.file}): ${entry.message}` },
    partialFingerprints: { [FINGERPRINT_KEY]: entry.fingerprint },
    baselineState: 'absent',
    properties: { file: entry.file },
  };
}

function toSkippedNotification(skipped: SkippedFile, artifacts: ArtifactTable): Sarif.Notification {
  // Files too large or binary are skipped by design; the others hide code that may leak health data.
  const level = skipped.reason === 'too-large' || skipped.reason === 'binary' ? 'note' : 'warning';
  return {
    level,
    descriptor: { id: 'analysis-skipped' },
    message: { text: `File not analysed (${skipped.reason}): ${skipped.message}` },
    locations: [{ physicalLocation: { artifactLocation: artifacts.locationOf(skipped.file) } }],
    properties: { reason: skipped.reason },
  };
}

function toLocation(location: SourceLocation, artifacts: ArtifactTable, message?: string): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: artifacts.locationOf(location.file),
      region: {
        startLine: location.line,
        startColumn: location.column,
        endLine: location.endLine,
        endColumn: location.endColumn,
      },
    },
    ...(message !== undefined && { message: { text: message } }),
  };
}

/** The run's artifacts, each file listed once; locations refer to them by index. */
class ArtifactTable {
  private readonly indexByFile = new Map<string, number>();
  private readonly artifacts: Sarif.Artifact[] = [];

  constructor(private readonly repoRoot: string) {}

  locationOf(file: string): Sarif.ArtifactLocation {
    let index = this.indexByFile.get(file);
    if (index === undefined) {
      index = this.artifacts.length;
      this.indexByFile.set(file, index);
      const sourceLanguage = sourceLanguageOf(file);
      this.artifacts.push({
        location: this.uriOf(file),
        roles: ['analysisTarget'],
        ...(sourceLanguage !== undefined && { sourceLanguage }),
      });
    }
    return { ...this.uriOf(file), index };
  }

  list(): Sarif.Artifact[] {
    return this.artifacts;
  }

  private uriOf(file: string): Sarif.ArtifactLocation {
    const relative = relativePosixPath(this.repoRoot, file);
    if (relative === undefined) return { uri: pathToFileURL(file).href };
    return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
  }
}

function sourceLanguageOf(file: string): string | undefined {
  if (/\.[cm]?tsx?$/i.test(file)) return 'typescript';
  if (/\.[cm]?jsx?$/i.test(file)) return 'javascript';
  return undefined;
}

function directoryUri(directory: string): string {
  const uri = pathToFileURL(directory).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function toLevel(severity: Severity): Sarif.ReportingConfiguration.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function pascalCase(ruleId: string): string {
  return ruleId.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}
