// How a text message is cut into SMS segments (3GPP TS 23.038 / 23.040). GSM-7 when every
// character is in the GSM 03.38 default alphabet or its extension table (an extension
// character is an escape plus a code, so it counts twice and is never cut in half): 160
// septets in a single message, 153 per part of a concatenated one (the User Data Header takes
// the rest). Anything else is UCS-2: 70 UTF-16 code units single, 67 per part; a surrogate
// pair is never cut, and neither is a grapheme (an emoji sequence, a letter with its accents)
// unless it alone is longer than a part.
//
// Twilio's own calculator (npm sms-segments-calculator) counts segments but exposes no
// splitting; the rules are small enough to own, using the runtime's Intl.Segmenter for
// graphemes (current Unicode data, where the calculator's grapheme-splitter dates from 2017).

export type SmsEncoding = 'GSM-7' | 'UCS-2';
export type SmsSegments = { encoding: SmsEncoding; segments: string[]; units: number };

// The GSM 03.38 default alphabet (one septet each), as Unicode.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// The extension table: ESC (0x1B) plus one septet each.
const GSM_EXTENDED = new Set('\f^{}\\[~]|€');

export const LIMITS = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } } as const;

const graphemes = (text: string): string[] => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

/** The septets of one character in GSM-7, or null when it has none. */
function septets(ch: string): 1 | 2 | null {
  if (GSM_BASIC.has(ch)) return 1;
  if (GSM_EXTENDED.has(ch)) return 2;
  return null;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (septets(ch) === null) return false;
  return true;
}

/** Units a grapheme takes: septets in GSM-7, UTF-16 code units in UCS-2. */
const unitsOf = (g: string, encoding: SmsEncoding): number =>
  encoding === 'UCS-2' ? g.length : [...g].reduce((n, ch) => n + (septets(ch) ?? 0), 0);

/** Cuts one grapheme too long for a part at code points (never inside a surrogate pair). */
function cutOversized(g: string, encoding: SmsEncoding, part: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const cp of g) {
    if (unitsOf(current + cp, encoding) > part) {
      out.push(current);
      current = '';
    }
    current += cp;
  }
  if (current) out.push(current);
  return out;
}

/** The segments a text is sent as (an empty text is one empty segment). */
export function splitSms(text: string): SmsSegments {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const limit = LIMITS[encoding];
  const pieces = graphemes(text).flatMap((g) => (unitsOf(g, encoding) > limit.part ? cutOversized(g, encoding, limit.part) : [g]));
  const units = pieces.reduce((n, g) => n + unitsOf(g, encoding), 0);
  if (units <= limit.single) return { encoding, segments: [text], units };
  const segments: string[] = [];
  let current = '';
  let used = 0;
  for (const g of pieces) {
    const n = unitsOf(g, encoding);
    if (used + n > limit.part) {
      segments.push(current);
      current = '';
      used = 0;
    }
    current += g;
    used += n;
  }
  if (current) segments.push(current);
  return { encoding, segments, units };
}
