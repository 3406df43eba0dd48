// The PDF record of an electronically signed privacy release: the consent text, who signed,
// when and from where, and the content hash that verification recomputes. Characters the PDF's
// fonts cannot show are "?" in it (platform/pdf.ts); the stored fields and the hash keep the
// exact text.
import { PDFDocument } from 'pdf-lib';
import { standardFonts, textFlow } from '../../platform/pdf.js';
import type { SignedFields } from './referrals.release-hash.js';

export async function releasePdf(input: { officeName: string; fields: SignedFields; hash: string; releaseId: string }): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Privacy release ${input.fields.caseReference}`);
  doc.setAuthor(input.officeName);
  doc.setSubject('Privacy release signed electronically');
  doc.setCreationDate(new Date(input.fields.signedAt));
  const { regular, bold, mono } = await standardFonts(doc);
  const flow = textFlow(doc);

  flow.write(input.officeName, bold, 16, 8);
  flow.write(`Privacy release for case ${input.fields.caseReference}`, bold, 13, 14);
  flow.write(input.fields.consentText, regular, 11, 5);
  flow.space(12);
  flow.write('Signed electronically', bold, 12, 8);
  const f = input.fields;
  for (const [label, value] of [
    ['Name typed', f.typedName], ['Date typed', f.signedDate], ['Recorded at (UTC)', f.signedAt], ['Constituent id', f.constituentId],
    ['IP address', f.ip], ['Browser', f.userAgent], ['Release id', input.releaseId],
  ] as const) flow.write(`${label}: ${value}`, regular, 10, 4);
  flow.space(12);
  flow.write('Content hash (SHA-256 of the canonical JSON of the fields above and the consent text)', bold, 10, 4);
  flow.write(input.hash, mono, 9, 4);
  return Buffer.from(await doc.save());
}
