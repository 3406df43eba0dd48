// Character encodings of imported files: telling UTF-16 by its byte-order mark (or its
// zero bytes), checking that a file said to be UTF-8 really is (before any row is written,
// so a spreadsheet saved as windows-1252 is refused with advice rather than imported as
// mojibake), and transcoding other encodings to UTF-8 on the way to the CSV parser.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { ImportEncoding } from '../../../contract/imports.js';

/** utf16le/utf16be from a byte-order mark or from the zero bytes of ASCII text; utf8 from its mark. */
export function detectEncoding(head: Buffer): ImportEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.3 && even < pairs * 0.05) return 'utf16le';
  if (even > pairs * 0.3 && odd < pairs * 0.05) return 'utf16be';
  return null;
}

export type Utf8Problem = { offset: number; line: number; byte: number };

/** Bytes at the end of `buf` that start a multi-byte character not finished in it. */
function incompleteTail(buf: Buffer): number {
  let i = buf.length - 1;
  let k = 0;
  while (i >= 0 && k < 3 && (buf[i]! & 0xc0) === 0x80) {
    i--;
    k++;
  }
  if (i < 0) return 0;
  const lead = buf[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - i < need ? buf.length - i : 0;
}

/** Index of the first byte of `buf` that is not valid UTF-8 (buf is known to be invalid). */
function firstInvalid(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  // The longest valid prefix, found by halving (each probe backs off a split character).
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const cut = mid - incompleteTail(buf.subarray(0, mid));
    if (isUtf8(buf.subarray(0, cut))) lo = mid;
    else hi = mid;
  }
  return lo - incompleteTail(buf.subarray(0, lo));
}

/** Checks a stream of chunks as UTF-8, remembering where the first invalid byte is. */
export class Utf8Checker {
  problem: Utf8Problem | null = null;
  private offset = 0;
  private lines = 1;
  private carry = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (this.problem) return;
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    const whole = buf.subarray(0, buf.length - tail);
    if (!isUtf8(whole)) {
      const at = firstInvalid(whole);
      this.problem = { offset: this.offset + at, line: this.lines + countLines(whole.subarray(0, at)), byte: whole[at]! };
      return;
    }
    this.lines += countLines(whole);
    this.offset += whole.length;
    this.carry = Buffer.from(buf.subarray(buf.length - tail));
  }

  end(): Utf8Problem | null {
    if (!this.problem && this.carry.length) this.problem = { offset: this.offset, line: this.lines, byte: this.carry[0]! };
    return this.problem;
  }
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

export function utf8Advice(p: Utf8Problem, how: 'cli' | 'upload'): string {
  const where = `line ${p.line.toLocaleString('en-GB')}, byte ${p.offset.toLocaleString('en-GB')} is 0x${p.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const fix = how === 'cli'
    ? 'run it again with --encoding windows-1252 (files saved by Excel on Windows) or --encoding latin1'
    : 'choose its encoding: windows-1252 for files saved by Excel on Windows, or latin1';
  return `The file is not valid UTF-8 (${where}). It was probably saved in another encoding: ${fix}.`;
}

/** The chunks as UTF-8 (a UTF-8 byte-order mark is left for the CSV parser to drop). */
export async function* toUtf8(source: AsyncIterable<Buffer>, encoding: ImportEncoding): AsyncGenerator<Buffer> {
  if (encoding === 'utf8') {
    yield* source;
    return;
  }
  const decoder = iconv.getDecoder(encoding === 'utf16be' ? 'utf-16be' : encoding);
  for await (const chunk of source) {
    const text = decoder.write(chunk);
    if (text) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.end();
  if (rest) yield Buffer.from(rest, 'utf8');
}
