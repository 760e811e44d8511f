// Reads the columns of `CREATE TABLE` statements in SQL migrations (constraints and indexes are not columns).
import { tagFromText, withSiblings, type SchemaField } from './model';

const NOT_COLUMNS = /^(constraint|primary|foreign|unique|check|index|key|exclude|like|period|fulltext|spatial)\b/i;

export function parseSqlSchema(text: string): SchemaField[] {
  const fields: Omit<SchemaField, 'siblings'>[] = [];
  const create = /create\s+(?:(?:global\s+|local\s+)?(?:temporary|temp|unlogged)\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:[`"[]?[\w$]+[`"\]]?\.)?[`"[]?[\w$]+[`"\]]?)\s*\(/gi;
  for (let match = create.exec(text); match; match = create.exec(text)) {
    const table = match[1].split('.').pop()!.replace(/[`"[\]]/g, '');
    let depth = 1;
    let start = create.lastIndex;
    let position = start;
    const columns: { text: string; offset: number }[] = [];
    for (; position < text.length && depth > 0; position++) {
      const ch = text[position];
      if (ch === '-' && text[position + 1] === '-') {
        const end = text.indexOf('\n', position);
        position = end < 0 ? text.length : end;
        continue;
      }
      if (ch === "'") {
        const end = text.indexOf("'", position + 1);
        position = end < 0 ? text.length : end;
        continue;
      }
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      if ((ch === ',' && depth === 1) || depth === 0) {
        columns.push({ text: text.slice(start, position), offset: start });
        start = position + 1;
      }
    }
    create.lastIndex = position;
    for (const column of columns) {
      const leading = /^\s*(?:--[^\n]*\n\s*)*/.exec(column.text)![0];
      const definition = column.text.slice(leading.length);
      const name = /^[`"[]?([\w$]+)[`"\]]?\s+\w/.exec(definition);
      if (!name || NOT_COLUMNS.test(definition)) continue;
      const offset = column.offset + leading.length;
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column1 = offset - before.lastIndexOf('\n');
      // A tag in the comment above the column or at the end of its line.
      const lineEnd = text.indexOf('\n', offset);
      const rest = text.slice(offset + definition.length, lineEnd < 0 ? text.length : lineEnd);
      // The end of the previous column's line (its trailing comment) belongs to that column.
      const ownLeading = leading.includes('\n') ? leading.slice(leading.indexOf('\n') + 1) : '';
      const tag = tagFromText(`${ownLeading}\n${definition}\n${rest}`);
      fields.push({ origin: 'sql', container: table, field: name[1], line, column: column1, ...(tag && { tag }) });
    }
  }
  return withSiblings(fields);
}
