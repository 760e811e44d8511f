// What protects a place where health data leaves, in sentences a data-protection officer can read (HTML fragments).
import { parseBasisId } from '../legal/ids';
import type { DataFlow, Finding, LegalBasisRecord, RuleId } from '../model';
import { anonymiserNames, unsoundAnonymisers, type MapPlace } from './data-map';
import { displayFilePath } from './paths';
import { htmlText, htmlWithCode } from './html-text';
import { ruleDocumentationUrl } from './rule-docs';
import { STATUS_STYLE } from './html-diagram';

const GAP_TEXT: Partial<Record<RuleId, string>> = {
  'unprotected-export': 'no legal basis is recorded and the data is not anonymised.',
  'pseudonymised-export': 'the data is only pseudonymised, which keeps it personal data, and no legal basis is recorded.',
  'third-party-disclosure': 'no recorded legal basis names this third party.',
  'log-exposure': 'health data is written to logs; a legal basis never covers logs (keep the data out of them).',
  'client-side-storage': 'health data is left in the browser; a legal basis never covers that (keep it on the server).',
  'insufficient-legal-basis': 'a legal basis is recorded but it is not sufficient for this flow.',
};

/** `Art. 6(1)(e) GDPR, Art. 9(2)(h) GDPR`: the articles people know, the ids are in the glossary. */
export function basisArticles(ids: readonly string[]): string {
  return ids.map((id) => parseBasisId(id)?.article.replace(/ \(.*\)$/, '') ?? id).join(', ');
}

function describeBasis(basis: LegalBasisRecord, root: string): string {
  const where = basis.location ? ` (${htmlText(displayFilePath(root, basis.location.file))}, line ${basis.location.line})` : '';
  const articles = basis.ids.length > 0 ? `: ${htmlText(basisArticles(basis.ids))}` : '';
  const recipient = basis.recipient !== undefined ? `, for the recipient ${htmlText(basis.recipient)}` : '';
  if (basis.origin === 'register') return `register entry <strong>${htmlText(basis.processingId ?? '')}</strong>${where}${articles}${recipient}`;
  if (basis.ids.length === 0 && basis.processingId !== undefined) {
    return `<code>@processing ${htmlText(basis.processingId)}</code> in the code${where}, which names no register entry`;
  }
  return `<code>@legalBasis</code> in the code${where}${articles}${recipient}`;
}

function describeBases(bases: readonly LegalBasisRecord[] | undefined, root: string): string {
  const unique = new Map<string, LegalBasisRecord>();
  for (const basis of bases ?? []) unique.set(`${basis.origin}:${basis.processingId ?? ''}:${basis.ids.join(' ')}:${basis.location?.file}:${basis.location?.line}`, basis);
  return [...unique.values()].map((basis) => describeBasis(basis, root)).join('; ');
}

/** One sentence per distinct way the place's flows are (or are not) protected. */
function flowSentence(flow: DataFlow, root: string, unsound: ReadonlySet<string>): string {
  switch (flow.status) {
    case 'covered':
      return `Covered by ${describeBases(flow.basis, root)}.`;
    case 'anonymised': {
      const names = anonymiserNames(flow);
      const declared = names.map((name) => `<code>${htmlText(name)}</code>`).join(', ') || 'a declared anonymiser';
      const reported = names.filter((name) => unsound.has(name));
      if (reported.length > 0) {
        return (
          `Declared anonymised by ${declared}, but the analysis reports that ${reported.map((name) => `<code>${htmlText(name)}</code>`).join(', ')} ` +
          'does not really anonymise: people can still be singled out, so this is still health data (see <a href="#other-findings">other findings</a>).'
        );
      }
      return `Anonymised by ${declared} before it leaves: it is no longer health data.`;
    }
    case 'insufficient':
      return `${capitalise(GAP_TEXT['insufficient-legal-basis']!)} Recorded: ${describeBases(flow.basis, root)}.`;
    case 'uncovered': {
      const gap = (flow.ruleId && GAP_TEXT[flow.ruleId]) ?? GAP_TEXT['unprotected-export']!;
      const found = flow.basis && flow.basis.length > 0 ? ` Found, but it cannot cover this: ${describeBases(flow.basis, root)}.` : '';
      return `${capitalise(gap)}${found}`;
    }
  }
}

/** The protection cell: a status badge (text, not colour alone), the sentences, and the finding in a disclosure. */
export function protectionCell(place: MapPlace, root: string, documentationBaseUrl: string, findings: readonly Finding[]): string {
  const style = STATUS_STYLE[place.status];
  const unsound = unsoundAnonymisers(findings);
  const sentences = [...new Set(place.flows.map((flow) => flowSentence(flow, root, unsound)))];
  const parts = [`<span class="badge badge-${place.status}">${htmlText(style.word)}</span>`];
  if (place.finding?.suppressed) {
    parts.push(`<p>The finding is suppressed in the code with the justification “${htmlText(place.finding.suppressed.justification)}”.</p>`);
  }
  parts.push(...sentences.map((sentence) => `<p>${sentence}</p>`));
  const pseudonymisations = [...new Set(place.flows.flatMap((flow) => flow.steps.filter((step) => step.kind === 'pseudonymise').map((step) => step.description)))];
  if (pseudonymisations.length > 0) {
    parts.push(`<p>Pseudonymised on the way (still personal data): ${pseudonymisations.map((text) => htmlWithCode(text)).join('; ')}.</p>`);
  }
  if (place.finding) {
    const finding = place.finding;
    parts.push(
      `<details><summary>What the analysis reports (<code>${htmlText(finding.ruleId)}</code>, ${htmlText(finding.severity)})</summary>` +
        `<p>${htmlWithCode(finding.message)}</p>` +
        `<p><a href="${htmlText(ruleDocumentationUrl(finding.ruleId, documentationBaseUrl))}">Documentation of the rule <code>${htmlText(finding.ruleId)}</code></a></p></details>`,
    );
  }
  return parts.join('');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
