// Reads back the text of a PDF made with pdf-lib's standard fonts, for tests that check what
// a generated document says.
import { inflateSync } from 'node:zlib';

/** The text drawn in the PDF (hex strings in its content streams), a line per string. */
export function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes).toString('latin1');
  let text = '';
  // pdf-lib ends a stream with "\nendstream"; a compressed stream whose last byte happens to
  // be \r would lose it to an optional "\r" before the "\n", so both readings are tried.
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)(\r?)\nendstream/g)) {
    const content = [m[1]!, m[1]! + m[2]!].map(inflated).find((c) => c !== null);
    if (content === undefined || content === null) continue;
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) text += `${Buffer.from(t[1]!, 'hex').toString('latin1')}\n`;
  }
  return text;
}

function inflated(data: string): string | null {
  try {
    return inflateSync(Buffer.from(data, 'latin1')).toString('latin1');
  } catch {
    return null;
  }
}
