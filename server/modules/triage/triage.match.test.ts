// The rule matcher on its own: every condition, whole-word and accent-folded words, sender
// domains, office-local hours across midnight, category lineage, and patterns refused when
// they could backtrack catastrophically.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.js';
import { checkPattern, compile, inHours, MAX_TEXT, type Subject } from './triage.match.js';

const base: Subject = {
  channel: 'email', senderAddress: 'ana@mail.example.org', knownSender: true, constituentTags: ['VIP'], text: 'There is a gas leak on Calle Mayor',
  language: 'en', wardIds: ['w1'], categoryLineage: ['child', 'parent'], at: new Date('2026-12-07T08:30:00Z'), timeZone: 'Europe/London', hasAttachment: false, urgent: false,
};

describe('compile', () => {
  it('matches everything with no conditions, and needs every condition given', () => {
    expect(compile({})(base)).toBe(true);
    expect(compile({ channels: ['email'], knownSender: true })(base)).toBe(true);
    expect(compile({ channels: ['email'], knownSender: false })(base)).toBe(false);
    expect(compile({ channels: ['sms'] })(base)).toBe(false);
  });

  it('matches words as whole words, ignoring case and accents', () => {
    expect(compile({ words: ['GAS LEAK'] })(base)).toBe(true);
    expect(compile({ words: ['gas'] })({ ...base, text: 'A trip to Vegas' })).toBe(false);
    expect(compile({ words: ['kill'] })({ ...base, text: 'No skill needed' })).toBe(false);
    expect(compile({ words: ['calefacción'] })({ ...base, text: 'Sin CALEFACCION desde ayer' })).toBe(true);
    expect(compile({ words: ['no   heating'] })({ ...base, text: 'we have no\nheating' })).toBe(true);
    expect(compile({ words: ['a.b'] })({ ...base, text: 'axb' })).toBe(false);
  });

  it('looks only at the first MAX_TEXT characters', () => {
    const late = `${'x '.repeat(MAX_TEXT)} gas leak`;
    expect(compile({ words: ['gas leak'] })({ ...base, text: late })).toBe(false);
    expect(compile({ pattern: 'gas\\s+leak' })({ ...base, text: late })).toBe(false);
  });

  it('matches senders exactly and domains with their subdomains', () => {
    expect(compile({ senders: ['ana@mail.example.org'] })(base)).toBe(true);
    expect(compile({ senderDomains: ['example.org'] })(base)).toBe(true);
    expect(compile({ senderDomains: ['ample.org'] })(base)).toBe(false);
    expect(compile({ senderDomains: ['example.org'] })({ ...base, senderAddress: '+447700900456' })).toBe(false);
  });

  it('matches tags without case, wards, languages with regions, lineage, attachments and urgency', () => {
    expect(compile({ constituentTags: ['vip'] })(base)).toBe(true);
    expect(compile({ wardIds: ['w2'] })(base)).toBe(false);
    expect(compile({ languages: ['es'] })({ ...base, language: 'es-MX' })).toBe(true);
    expect(compile({ languages: ['es'] })({ ...base, language: null })).toBe(false);
    expect(compile({ categoryIds: ['parent'] })(base)).toBe(true);
    expect(compile({ categoryIds: ['other'] })(base)).toBe(false);
    expect(compile({ hasAttachment: true })(base)).toBe(false);
    expect(compile({ urgent: false })(base)).toBe(true);
  });

  it('tries a pattern case-insensitively', () => {
    expect(compile({ pattern: 'calle\\s+\\w+' })(base)).toBe(true);
    expect(compile({ pattern: '^\\d+$' })(base)).toBe(false);
  });
});

describe('inHours', () => {
  // 08:30 UTC on 7 December is 08:30 in London and 03:30 in New York.
  const at = new Date('2026-12-07T08:30:00Z');
  it('uses the office time zone, from inclusive and to exclusive', () => {
    expect(inHours({ from: '08:30', to: '17:00' }, at, 'Europe/London')).toBe(true);
    expect(inHours({ from: '08:31', to: '17:00' }, at, 'Europe/London')).toBe(false);
    expect(inHours({ from: '08:00', to: '17:00' }, at, 'America/New_York')).toBe(false);
  });
  it('spans midnight when from is after to', () => {
    expect(inHours({ from: '22:00', to: '06:00' }, at, 'America/New_York')).toBe(true);
    expect(inHours({ from: '22:00', to: '06:00' }, at, 'Europe/London')).toBe(false);
  });
});

describe('checkPattern', () => {
  const refusal = (p: string) => {
    try {
      checkPattern(p);
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      return (err as DomainError).message;
    }
    return null;
  };
  it('accepts ordinary patterns', () => {
    expect(refusal('\\b(pothole|road)s?\\b')).toBeNull();
    expect(refusal('no (heat|heating) since \\d+ days')).toBeNull();
  });
  it('refuses invalid and catastrophic patterns with a reason', () => {
    expect(refusal('(unclosed')).toMatch(/not a valid regular expression/);
    expect(refusal('(a+)+$')).toMatch(/exponential time/);
    expect(refusal('(x|x)*y')).toMatch(/exponential time/);
    expect(refusal('.*a.*b.*c')).toMatch(/polynomial time/);
  });
});
