// Plain text documents as PDF (A4, pdf-lib's standard fonts): privacy releases and letters.
// The standard fonts cover Latin-1 (WinAnsi) only, so characters they cannot encode are shown
// as "?"; whatever the PDF renders, the stored text keeps the exact characters.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export const A4 = { width: 595.28, height: 841.89, margin: 56 }; // points

/** Replaces what the font cannot encode, character by character. */
export function printable(font: PDFFont, text: string): string {
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

/** Lines of at most `width` points, breaking at spaces; line breaks in the text are kept. */
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

export type Fonts = { regular: PDFFont; bold: PDFFont; mono: PDFFont };

export async function standardFonts(doc: PDFDocument): Promise<Fonts> {
  return {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.Courier),
  };
}

/** Writes wrapped text down the page from the top margin, starting a new page when one is full. */
export function textFlow(doc: PDFDocument) {
  const width = A4.width - 2 * A4.margin;
  let page: PDFPage = doc.addPage([A4.width, A4.height]);
  let y = A4.height - A4.margin;
  return {
    /** Starts the next text on a fresh page. */
    newPage() {
      page = doc.addPage([A4.width, A4.height]);
      y = A4.height - A4.margin;
    },
    write(text: string, font: PDFFont, size: number, gap = 4) {
      for (const line of wrap(font, size, printable(font, text), width)) {
        if (y < A4.margin + size) this.newPage();
        page.drawText(line, { x: A4.margin, y: y - size, size, font, color: rgb(0, 0, 0) });
        y -= size + gap;
      }
    },
    space(points: number) {
      y -= points;
    },
  };
}
