// Reads object, input and interface types of a GraphQL SDL file; the operation roots (Query, Mutation, Subscription) hold no data.
import { tagFromText, withSiblings, type SchemaField } from './model';

const OPERATION_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export function parseGraphqlSchema(text: string): SchemaField[] {
  const fields: Omit<SchemaField, 'siblings'>[] = [];
  const lines = text.split(/\r?\n/);
  let type: string | undefined;
  let docs: string[] = [];
  let inBlockString = false;
  lines.forEach((raw, index) => {
    const line = raw.replace(/#.*$/, (comment) => (/@(not)?healthdata/i.test(comment) ? comment : ''));
    const quotes = (line.match(/"""/g) ?? []).length;
    if (inBlockString || quotes > 0) {
      docs.push(line);
      if (quotes % 2 === 1) inBlockString = !inBlockString;
      return;
    }
    const open = /^\s*(?:extend\s+)?(type|input|interface)\s+(\w+)[^{]*\{/.exec(line);
    if (open) {
      type = OPERATION_TYPES.has(open[2]) ? undefined : open[2];
      docs = [];
      return;
    }
    if (/^\s*\}/.test(line)) {
      type = undefined;
      return;
    }
    if (!type) return;
    if (/^\s*"/.test(line)) {
      docs.push(line);
      return;
    }
    const field = /^(\s*)(\w+)\s*(\([^)]*\))?\s*:/.exec(line);
    if (field) {
      const tag = tagFromText([...docs, raw].join('\n'));
      fields.push({ origin: 'graphql', container: type, field: field[2], line: index + 1, column: field[1].length + 1, ...(tag && { tag }) });
    }
    docs = [];
  });
  return withSiblings(fields);
}
