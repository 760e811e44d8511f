// The report formatters, one per output format; each turns an AnalysisResult into text and nothing else.
export { formatStylish, sortFindings, type StylishOptions } from './stylish';
export { formatJson, toJsonReport, JSON_OUTPUT_FORMAT_VERSION, type JsonReportOptions } from './json';
export { formatSarif, buildSarifLog, FINGERPRINT_KEY, type SarifOptions } from './sarif';
export { formatMarkdown, type MarkdownOptions } from './markdown';
export { formatHtml, type HtmlReportOptions } from './html';
export { buildDataMap, type DataMap } from './data-map';
export { formatRegisterDraft, type RegisterDraftOptions } from './register-draft';
export { countFindings, type FindingCounts } from './counts';
export { baselineSummary } from './baseline-summary';
export { findRepositoryRoot, displayFilePath } from './paths';
export { findRulesDirectory, ruleDocumentationUrl } from './rule-docs';
export { TOOL_NAME, TOOL_VERSION } from './tool';
