// Letters as one printable PDF: for each letter, on its own pages, the office's name, the
// address block (placed for a left-window envelope), the date in the office's time zone, the
// case reference, the subject and the text.
import { PDFDocument } from 'pdf-lib';
import type { Office } from '../../../contract/offices.js';
import { standardFonts, textFlow } from '../../platform/pdf.js';
import type { LetterRow } from './messages.repo.js';

export async function lettersPdf(office: Pick<Office, 'name' | 'timeZone' | 'locale'>, letters: LetterRow[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(letters.length === 1 ? `Letter: ${letters[0]!.subject}` : `${letters.length} letters`);
  doc.setAuthor(office.name);
  const { regular, bold } = await standardFonts(doc);
  const flow = textFlow(doc);
  const date = new Intl.DateTimeFormat(office.locale, { dateStyle: 'long', timeZone: office.timeZone });
  letters.forEach((l, i) => {
    if (i > 0) flow.newPage();
    flow.write(office.name, bold, 14, 24);
    for (const line of l.to_address.split('\n')) flow.write(line, regular, 11, 3);
    flow.space(24);
    flow.write(date.format(l.created_at), regular, 11, 3);
    if (l.reference) flow.write(`Our reference: ${l.reference}`, regular, 11, 3);
    flow.space(18);
    flow.write(l.subject, bold, 12, 12);
    flow.write(l.body_text, regular, 11, 4);
  });
  return Buffer.from(await doc.save());
}
