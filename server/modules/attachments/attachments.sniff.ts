// What an uploaded file really is, from its bytes: file-type recognises binary formats by
// their signatures (and zip-based office files by their entries); anything it does not know
// must be valid UTF-8 text, and text that is markup (HTML, SVG: script risk) is refused.
// The declared Content-Type and the extension are never trusted.
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';

/** Enough of the start of a file for any signature, including the first zip entries. */
const HEAD_BYTES = 1024 * 1024;

/** Passes bytes through unchanged, keeping the head and checking the whole is UTF-8. */
export class Inspector extends Transform {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  isUtf8 = true;
  hasNul = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.kept < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.kept);
      this.chunks.push(part);
      this.kept += part.length;
    }
    if (this.isUtf8) {
      try {
        this.decoder.decode(chunk, { stream: true });
        if (chunk.includes(0)) this.hasNul = true;
      } catch {
        this.isUtf8 = false;
      }
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.isUtf8) {
      try {
        this.decoder.decode(); // a multi-byte character cut off at the end
      } catch {
        this.isUtf8 = false;
      }
    }
    cb();
  }

  get head(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Allowed binary types (as file-type names them) and the extensions a download may carry. */
const BINARY: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/heic': ['heic'],
  'image/heif': ['heif', 'heic'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
};
const TEXT: Record<string, string[]> = { 'text/plain': ['txt', 'text', 'log', 'md'], 'text/csv': ['csv'], 'message/rfc822': ['eml'] };

export type Verdict = { ok: true; contentType: string; extensions: string[] } | { ok: false; detected: string };

// Markup a browser would run if it ever rendered the file: refused even as "text".
const MARKUP = /<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>/]|svg[\s>/]|iframe[\s>/]|\?xml)/i;
// An email starts with header fields; these are ones every real message has one of.
const EMAIL_HEADERS = /^(?:(?:Return-Path|Received|Delivered-To|From|To|Subject|Date|Message-ID|MIME-Version|Content-Type|X-[A-Za-z0-9-]+):[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)+\r?\n/i;

export async function classify(inspector: Inspector, fileName: string): Promise<Verdict> {
  const head = inspector.head;
  const found = await fileTypeFromBuffer(head);
  if (found) {
    const exts = BINARY[found.mime];
    return exts ? { ok: true, contentType: found.mime, extensions: exts } : { ok: false, detected: found.mime };
  }
  if (!inspector.isUtf8 || inspector.hasNul) return { ok: false, detected: 'application/octet-stream' };
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (MARKUP.test(text.slice(0, 64 * 1024))) return { ok: false, detected: /<svg[\s>/]/i.test(text) ? 'image/svg+xml' : 'text/html' };
  if (EMAIL_HEADERS.test(text.slice(0, 64 * 1024)) && /^From:/im.test(text)) return { ok: true, contentType: 'message/rfc822', extensions: TEXT['message/rfc822']! };
  // A CSV is text whichever way you look at it: the name says how to present it.
  if (/\.csv$/i.test(fileName)) return { ok: true, contentType: 'text/csv', extensions: TEXT['text/csv']! };
  return { ok: true, contentType: 'text/plain', extensions: TEXT['text/plain']! };
}

/**
 * A file name safe to store and to send back: the last path segment only, no control or
 * reserved characters, no leading dots, at most 200 characters, and an extension that
 * matches what the content is (so "invoice.html" holding a PNG downloads as "invoice.html.png").
 */
export function safeFileName(given: string | undefined, extensions: string[]): string {
  let name = (given ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  name = name.replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*]/g, '').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  if (!name) name = 'attachment';
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1]?.toLowerCase();
  if (!ext || !extensions.includes(ext)) name = `${name.slice(0, 190)}.${extensions[0]}`;
  return name.length > 200 ? `${name.slice(0, 190)}.${extensions[0]}` : name;
}

/** classify() for bytes already in memory (the portal's photos). */
export async function classifyBytes(bytes: Buffer, fileName: string): Promise<Verdict> {
  const inspector = new Inspector();
  await pipeline(Readable.from([bytes]), inspector, new Writable({ write: (_chunk, _enc, cb) => cb() }));
  return classify(inspector, fileName);
}
