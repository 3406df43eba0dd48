// The PDF record of an electronically signed privacy release: the consent text, who signed,
// when and from where, and the content hash that verification recomputes. pdf-lib's standard
// fonts cover Latin-1 (WinAnsi) only, so other characters are shown as "?" in the PDF; the
// stored fields and the hash keep the exact text.
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import type { SignedFields } from './referrals.release-hash.js';

const PAGE = { width: 595.28, height: 841.89, margin: 56 }; // A4 in points

/** Replaces what the font cannot encode, character by character. */
function printable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    if (ch === '\n') { out += ch; continue; }
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}

function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else { lines.push(line); line = word; }
    }
    lines.push(line);
  }
  return lines;
}

export async function releasePdf(input: { officeName: string; fields: SignedFields; hash: string; releaseId: string }): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Privacy release ${input.fields.caseReference}`);
  doc.setAuthor(input.officeName);
  doc.setSubject('Privacy release signed electronically');
  doc.setCreationDate(new Date(input.fields.signedAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  let page = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;

  const write = (text: string, font: PDFFont, size: number, gap = 4) => {
    for (const line of wrap(font, size, printable(font, text), width)) {
      if (y < PAGE.margin + size) {
        page = doc.addPage([PAGE.width, PAGE.height]);
        y = PAGE.height - PAGE.margin;
      }
      page.drawText(line, { x: PAGE.margin, y: y - size, size, font, color: rgb(0, 0, 0) });
      y -= size + gap;
    }
  };

  write(input.officeName, bold, 16, 8);
  write(`Privacy release for case ${input.fields.caseReference}`, bold, 13, 14);
  write(input.fields.consentText, regular, 11, 5);
  y -= 12;
  write('Signed electronically', bold, 12, 8);
  const f = input.fields;
  for (const [label, value] of [
    ['Name typed', f.typedName], ['Date typed', f.signedDate], ['Recorded at (UTC)', f.signedAt], ['Constituent id', f.constituentId],
    ['IP address', f.ip], ['Browser', f.userAgent], ['Release id', input.releaseId],
  ] as const) write(`${label}: ${value}`, regular, 10, 4);
  y -= 12;
  write('Content hash (SHA-256 of the canonical JSON of the fields above and the consent text)', bold, 10, 4);
  write(input.hash, mono, 9, 4);
  return Buffer.from(await doc.save());
}
