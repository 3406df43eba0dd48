// The strict merge-field renderer for reply templates: `{{name}}` with a name from the fixed
// list in contract/messages.ts, substituted as plain text in one pass. No expressions, helpers,
// partials or lookups exist, so a template can never run code or reach data beyond the list.
import { TEMPLATE_MERGE_FIELDS, type TemplateMergeField } from '../../../contract/messages.js';

export type MergeValues = Record<TemplateMergeField, string>;

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

type Piece = { text: string } | { field: TemplateMergeField };

const isMergeField = (name: string): name is TemplateMergeField => Object.hasOwn(TEMPLATE_MERGE_FIELDS, name);

/** Splits a template into text and merge fields; throws MergeError naming what is wrong. */
export function parseTemplate(source: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    const strayClose = source.indexOf('}}', at);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) throw new MergeError(`"}}" at position ${strayClose + 1} closes nothing`);
    if (open === -1) {
      pieces.push({ text: source.slice(at) });
      break;
    }
    if (open > at) pieces.push({ text: source.slice(at, open) });
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw new MergeError(`"{{" at position ${open + 1} is never closed with "}}"`);
    const name = source.slice(open + 2, close).trim();
    if (/[{}]/.test(name) || name === '') throw new MergeError(`Malformed merge field "${source.slice(open, close + 2)}" at position ${open + 1}`);
    if (!isMergeField(name)) throw new MergeError(`Unknown merge field "{{${name}}}"; use one of ${Object.keys(TEMPLATE_MERGE_FIELDS).map((f) => `{{${f}}}`).join(', ')}`);
    pieces.push({ field: name });
    at = close + 2;
  }
  return pieces;
}

/** The merge fields a template uses (validating it). */
export const fieldsOf = (source: string): TemplateMergeField[] => parseTemplate(source).flatMap((p) => ('field' in p ? [p.field] : []));

export function render(source: string, values: MergeValues): string {
  return parseTemplate(source).map((p) => ('field' in p ? values[p.field] : p.text)).join('');
}
