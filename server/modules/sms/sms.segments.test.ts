// SMS segmentation: GSM-7 (extension characters count twice) 160 single / 153 per part,
// UCS-2 70 / 67, never cutting an escape sequence, a surrogate pair or a grapheme.
import { describe, expect, it } from 'vitest';
import { isGsm7, splitSms } from './sms.segments.js';

const lengths = (text: string) => splitSms(text).segments.map((s) => s.length);

describe('splitSms', () => {
  it('keeps GSM-7 text of up to 160 characters in one segment, and cuts longer text into parts of 153', () => {
    expect(splitSms('')).toEqual({ encoding: 'GSM-7', segments: [''], units: 0 });
    expect(splitSms('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: ['a'.repeat(160)], units: 160 });
    expect(lengths('a'.repeat(161))).toEqual([153, 8]);
    expect(lengths('a'.repeat(306))).toEqual([153, 153]);
    expect(lengths('a'.repeat(307))).toEqual([153, 153, 1]);
  });

  it('counts the extension table twice and never cuts an escape sequence', () => {
    expect(splitSms('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: ['€'.repeat(80)] });
    expect(lengths('€'.repeat(81))).toEqual([76, 5]); // 152 septets: a 77th euro would need 154
    // A brace landing on septet 153 moves whole to the next part.
    const text = `${'a'.repeat(152)}{${'b'.repeat(10)}`;
    expect(splitSms(text).segments).toEqual(['a'.repeat(152), `{${'b'.repeat(10)}`]);
    for (const ch of '^{}\\[~]|€\f') expect(splitSms(ch).units).toBe(2);
    expect(splitSms('Café, £5 @ 10:00!\r\n¿Qué?').encoding).toBe('GSM-7');
  });

  it('uses UCS-2 for anything outside GSM-7: 70 single, 67 per part', () => {
    expect(isGsm7('ç')).toBe(false); // only the capital Ç is in GSM-7
    expect(splitSms('ç'.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: ['ç'.repeat(70)] });
    expect(lengths('ç'.repeat(71))).toEqual([67, 4]);
    expect(lengths(`${'a'.repeat(200)}ś`)).toEqual([67, 67, 67]);
    expect(splitSms('Привет').encoding).toBe('UCS-2');
  });

  it('never cuts a surrogate pair or an emoji sequence across parts', () => {
    expect(splitSms('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: ['😀'.repeat(35)] });
    const parts = splitSms(`${'a'.repeat(66)}😀bcd`).segments; // 71 units: two parts, the pair kept whole
    expect(parts).toEqual(['a'.repeat(66), '😀bcd']);
    const family = '👨‍👩‍👧‍👦'; // 11 code units, one grapheme
    const withFamily = splitSms(`${'x'.repeat(60)}${family}y`).segments;
    expect(withFamily).toEqual(['x'.repeat(60), `${family}y`]);
    for (const part of splitSms('🇬🇧🇺🇸é'.repeat(40)).segments) {
      expect(part.length).toBeLessThanOrEqual(67);
      expect(/^[\uDC00-\uDFFF]/.test(part) || /[\uD800-\uDBFF]$/.test(part)).toBe(false);
    }
  });

  it('cuts a single grapheme longer than a part at code points, still never inside a surrogate pair', () => {
    const zalgo = `a${'\u0301'.repeat(100)}`; // one grapheme, 101 code units
    const parts = splitSms(zalgo).segments;
    expect(parts.map((p) => p.length)).toEqual([67, 34]);
    expect(parts.join('')).toBe(zalgo);
    const tags = `🏴${'\u{E0067}'.repeat(40)}`; // a flag-like tag sequence: 82 code units in one grapheme
    const tagParts = splitSms(tags).segments;
    expect(tagParts.join('')).toBe(tags);
    for (const part of tagParts) {
      expect(part.length).toBeLessThanOrEqual(67);
      expect(/^[\uDC00-\uDFFF]/.test(part) || /[\uD800-\uDBFF]$/.test(part)).toBe(false);
    }
  });

  it('puts every character back when the parts are joined', () => {
    const samples = ['Hello world '.repeat(30), `{${'[]'.repeat(100)}}`, 'Grüße aus Köln — 😀 '.repeat(20)];
    for (const text of samples) expect(splitSms(text).segments.join('')).toBe(text);
  });
});
