// Reads back the text of a PDF made with pdf-lib's standard fonts, for tests that check what
// a generated document says.
import { inflateSync } from 'node:zlib';

/** The text drawn in the PDF (hex strings in its content streams), a line per string. */
export function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes).toString('latin1');
  let text = '';
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) text += `${Buffer.from(t[1]!, 'hex').toString('latin1')}\n`;
  }
  return text;
}
