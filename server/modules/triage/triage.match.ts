// Whether a triage rule's conditions hold for what arrived. Pure: the engine gathers the facts
// (a Subject) once and tries every rule on them. Text conditions look at a bounded prefix of
// the subject and body (MAX_TEXT), words match whole words with case and accents ignored, and
// a rule's own pattern is refused at save time unless a ReDoS checker finds it safe, so no
// message can make a rule run for long.
import { checkSync } from 'recheck';
import type { TriageConditions } from '../../../contract/triage.js';
import { DomainError } from '../../platform/errors.js';

/** Characters of subject + body that text conditions see. */
export const MAX_TEXT = 20_000;

/** The facts about an item (or a case opened by staff) that rules can test. */
export type Subject = {
  channel: string;
  /** The sender's email (lower case) or phone (E.164). */
  senderAddress: string | null;
  knownSender: boolean;
  constituentTags: string[];
  text: string;
  language: string | null;
  wardIds: string[];
  /** The category at this point and everything above it (a rule on a parent matches its children). */
  categoryLineage: string[];
  at: Date;
  timeZone: string;
  hasAttachment: boolean;
  urgent: boolean;
};

/** Lower case, accents folded, so "Calefacción" and "calefaccion" match alike. */
export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regex for a rule's words: any of them, as whole words (letters or digits on neither side). */
export function wordsRegex(words: string[]): RegExp {
  const alternatives = [...new Set(words.map((w) => escape(fold(w.trim()).replace(/\s+/g, ' ')).replace(/ /g, '\\s+')))].sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');
}

/** Refuses a pattern that is not a valid regular expression or could backtrack catastrophically. */
export function checkPattern(pattern: string, field = 'conditions.pattern'): void {
  try {
    new RegExp(pattern, 'iu');
  } catch (err) {
    throw new DomainError('validation_failed', { field, message: `The pattern is not a valid regular expression: ${(err as Error).message}` });
  }
  const verdict = checkSync(pattern, 'iu', { timeout: 5_000 });
  if (verdict.status === 'vulnerable') {
    throw new DomainError('validation_failed', {
      field, message: `The pattern could take ${verdict.complexity.type === 'exponential' ? 'exponential' : 'polynomial'} time on some messages (near ${JSON.stringify(verdict.attack.pattern).slice(0, 80)}); rewrite it without nested or overlapping repetition, or use words instead`,
    });
  }
  if (verdict.status === 'unknown') throw new DomainError('validation_failed', { field, message: 'The pattern is too complex to prove safe; simplify it or use words instead' });
}

/** Minutes since local midnight in the office's time zone. */
function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return n('hour') * 60 + n('minute');
}
const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function inHours(hours: { from: string; to: string }, at: Date, timeZone: string): boolean {
  const now = localMinutes(at, timeZone);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

const domainOf = (address: string | null) => (address?.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : null);

export type Matcher = (s: Subject) => boolean;

/** Compiles a rule's conditions once; the result is tried on many subjects. */
export function compile(c: TriageConditions): Matcher {
  const words = c.words ? wordsRegex(c.words) : null;
  const pattern = c.pattern ? new RegExp(c.pattern, 'iu') : null;
  const tests: Matcher[] = [];
  if (c.channels) tests.push((s) => c.channels!.includes(s.channel as never));
  if (c.senders) tests.push((s) => s.senderAddress !== null && c.senders!.includes(s.senderAddress.toLowerCase()));
  if (c.senderDomains) {
    tests.push((s) => {
      const d = domainOf(s.senderAddress?.toLowerCase() ?? null);
      return d !== null && c.senderDomains!.some((x) => d === x || d.endsWith(`.${x}`));
    });
  }
  if (c.knownSender !== undefined) tests.push((s) => s.knownSender === c.knownSender);
  if (c.constituentTags) tests.push((s) => s.constituentTags.some((t) => c.constituentTags!.some((x) => x.toLowerCase() === t.toLowerCase())));
  if (words) tests.push((s) => words.test(fold(s.text.slice(0, MAX_TEXT))));
  if (pattern) tests.push((s) => pattern.test(s.text.slice(0, MAX_TEXT)));
  if (c.languages) tests.push((s) => s.language !== null && c.languages!.some((l) => s.language === l || s.language!.startsWith(`${l}-`)));
  if (c.wardIds) tests.push((s) => s.wardIds.some((w) => c.wardIds!.includes(w)));
  if (c.categoryIds) tests.push((s) => s.categoryLineage.some((id) => c.categoryIds!.includes(id)));
  if (c.hours) tests.push((s) => inHours(c.hours!, s.at, s.timeZone));
  if (c.hasAttachment !== undefined) tests.push((s) => s.hasAttachment === c.hasAttachment);
  if (c.urgent !== undefined) tests.push((s) => s.urgent === c.urgent);
  return (s) => tests.every((t) => t(s));
}
