// Reads the models of a Prisma schema (`model X { field Type ... }`): a small line parser for the subset that declares fields.
import { tagFromText, withSiblings, type SchemaField } from './model';

export function parsePrismaSchema(text: string): SchemaField[] {
  const fields: Omit<SchemaField, 'siblings'>[] = [];
  const lines = text.split(/\r?\n/);
  let model: string | undefined;
  let docs: string[] = [];
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    const open = /^\s*(model|type|view)\s+(\w+)\s*\{/.exec(line);
    if (open) {
      model = open[2];
      docs = [];
      return;
    }
    if (!model) return;
    if (/^\s*\}/.test(line)) {
      model = undefined;
      return;
    }
    const doc = /^\s*\/\/\/(.*)$/.exec(line);
    if (doc) {
      docs.push(doc[1]);
      return;
    }
    const field = /^(\s*)(\w+)\s+(\w+)(\[\])?\??/.exec(line);
    if (field && !line.trim().startsWith('@@') && !line.trim().startsWith('//')) {
      const trailing = /\/\/\/?(.*)$/.exec(line.slice(field[0].length))?.[1] ?? '';
      const tag = tagFromText([...docs, trailing].join('\n'));
      fields.push({ origin: 'prisma', container: model, field: field[2], line: index + 1, column: field[1].length + 1, ...(tag && { tag }) });
    }
    docs = [];
  });
  return withSiblings(fields);
}
