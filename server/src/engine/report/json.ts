// The machine-readable report: the analysis result as documented by schemas/output.schema.json.
import { HEALTH_CATEGORIES } from '../model';
import type { AnalysisResult, Finding, LegalBasisRecord, RelatedLocation, SourceLocation } from '../model';
import { countFindings } from './counts';
import { ruleDocumentationUrl } from './rule-docs';
import { sortFindings } from './stylish';
import { TOOL_NAME, TOOL_VERSION } from './tool';

/** Bumped only on incompatible changes of the JSON shape; new fields do not change it. */
export const JSON_OUTPUT_FORMAT_VERSION = 1;

export interface JsonReportOptions {
  documentationBaseUrl: string;
}

export function formatJson(result: AnalysisResult, options: JsonReportOptions): string {
  return `${JSON.stringify(toJsonReport(result, options), null, 2)}\n`;
}

export function toJsonReport(result: AnalysisResult, options: JsonReportOptions): object {
  const { baselined, ...counts } = countFindings(result.findings);
  return {
    formatVersion: JSON_OUTPUT_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary: {
      ...counts,
      filesAnalysed: result.projects.reduce((sum, project) => sum + project.files, 0),
      filesSkipped: result.skipped.length,
      typesMissing: result.projects.some((project) => project.typesMissing),
      ...(result.baseline && { baselined }),
    },
    findings: sortFindings(result.findings).map((finding) => toJsonFinding(finding, options.documentationBaseUrl)),
    skipped: result.skipped.map((skipped) => ({ file: skipped.file, reason: skipped.reason, message: skipped.message })),
    projects: result.projects.map((project) => ({
      ...(project.configFile !== undefined && { configFile: project.configFile }),
      root: project.root,
      files: project.files,
      typesMissing: project.typesMissing,
    })),
    notices: [...result.notices],
    ...(result.baseline && {
      baseline: {
        file: result.baseline.file,
        matched: result.baseline.matched,
        fixed: result.baseline.fixed.map(({ fingerprint, ruleId, file, message }) => ({ fingerprint, ruleId, file, message })),
      },
    }),
    ...((result.staleRegisterEntries ?? []).length > 0 && {
      staleRegisterEntries: result.staleRegisterEntries!.map((entry) => ({ id: entry.id, location: toJsonLocation(entry.location), message: entry.message })),
    }),
  };
}

function toJsonFinding(finding: Finding, documentationBaseUrl: string): object {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    location: toJsonLocation(finding.location),
    // Categories in the contract's order, so the output does not depend on discovery order.
    categories: HEALTH_CATEGORIES.filter((category) => finding.categories.includes(category)),
    ...(finding.recipient !== undefined && { recipient: finding.recipient }),
    fingerprint: finding.fingerprint,
    documentationUrl: ruleDocumentationUrl(finding.ruleId, documentationBaseUrl),
    ...(finding.sinkMatchedBy !== undefined && { sinkMatchedBy: finding.sinkMatchedBy }),
    flows: finding.flows.map((flow) => flow.map(toJsonRelated)),
    related: finding.related.map(toJsonRelated),
    ...(finding.basis !== undefined && { basis: finding.basis.map(toJsonBasis) }),
    ...(finding.suppressed !== undefined && {
      suppressed: { justification: finding.suppressed.justification, location: toJsonLocation(finding.suppressed.location) },
    }),
    ...(finding.suppressionProblem !== undefined && { suppressionProblem: finding.suppressionProblem }),
    ...(finding.baselineState !== undefined && { baselineState: finding.baselineState }),
  };
}

function toJsonLocation(location: SourceLocation): SourceLocation {
  const { file, line, column, endLine, endColumn } = location;
  return { file, line, column, endLine, endColumn };
}

function toJsonRelated(related: RelatedLocation): object {
  return { location: toJsonLocation(related.location), message: related.message };
}

function toJsonBasis(basis: LegalBasisRecord): object {
  return {
    origin: basis.origin,
    ids: [...basis.ids],
    ...(basis.processingId !== undefined && { processingId: basis.processingId }),
    ...(basis.recipient !== undefined && { recipient: basis.recipient }),
    ...(basis.location !== undefined && { location: toJsonLocation(basis.location) }),
  };
}
