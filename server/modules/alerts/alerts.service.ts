// Area alerts' rules for residents: subscribe (double opt-in: a pending subscription and a
// confirmation email, within the limits per address and per client), confirm, list an
// address's subscriptions, unsubscribe. A link names one subscription of one office
// (alerts.tokens); the manage page lists every subscription of that subscription's address in
// that office only. Unsubscribing deletes the subscription at once.
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope } from '../../platform/scope.js';
import * as publicReports from '../cases/cases.public-reports.js';
import { addressLabel } from '../geo/geo.register.repo.js';
import * as geo from '../geo/geo.service.js';
import { checkFormToken, clientHash } from '../intake/intake.form-token.js';
import { enqueueEmail } from '../messages/messages.outbox.js';
import { FormProblems } from '../portal/portal.forms.js';
import { translator, type Translator } from '../portal/portal.i18n.js';
import * as portal from '../portal/portal.service.js';
import { alertsPath, nextDigestAt } from './alerts.schedule.js';
import { areaLabel, describe, describeAll, frequencyLabel, type AlertReport } from './alerts.present.js';
import * as repo from './alerts.repo.js';
import { parseAlertForm, parseFollowForm, type AlertForm } from './alerts.schemas.js';
import { matchesOf } from './alerts.send.js';
import { checkToken, emailHash, issueToken, MAX_AGE_MS, type TokenPurpose } from './alerts.tokens.js';

export type Office = { id: string; slug: string; name: string; timeZone: string };
export type Limits = { perEmailPerHour: number; perIpPerHour: number };
export type Address = { id: string; label: string; lat: number; lng: number };
export type Choices = { wards: { id: string; name: string }[]; categories: { id: string; path: string[] }[] };

/** Subscriptions one address may have in an office (pending ones included). */
export const MAX_PER_EMAIL = 20;
const MATCHES_SHOWN = 10;
const HOUR_MS = 3_600_000;


/** What the form offers: the office's wards and the public form's categories. */
export async function choices(db: Executor, office: portal.Office): Promise<Choices> {
  const wards = await geo.listBoundaries(systemScope(db, office.id), { layer: 'ward', includeRetired: false });
  const form = await portal.reportForm(db, office, 0);
  return { wards: wards.map((w) => ({ id: w.id, name: w.name })).sort((a, b) => a.name.localeCompare(b.name)), categories: form.items };
}

const problem = (field: string, key: string, values?: Record<string, string | number>) => new FormProblems([{ field, key, ...(values ? { values } : {}) }]);

/** The area the form names: a ward of the office, or a register address (the chosen one of several). */
async function areaOf(db: Executor, office: Office, f: AlertForm, wards: Choices['wards']): Promise<repo.Area | { choose: Address[] }> {
  if (f.area === 'ward') {
    if (!wards.some((w) => w.id === f.wardId)) throw problem('wardId', 'alerts.error.ward');
    return { wardId: f.wardId! };
  }
  const found = (await geo.searchAddresses(systemScope(db, office.id), f.address!, MATCHES_SHOWN)).map((a) => ({ id: a.id, label: addressLabel(a), lat: a.lat, lng: a.lng }));
  if (!found.length) throw problem('address', 'alerts.error.addressNotFound');
  const chosen = found.length === 1 ? found[0] : found.find((a) => a.id === f.addressId);
  if (!chosen) return { choose: found };
  if (await geo.isOutsideWards(db, office.id, chosen.lat, chosen.lng)) throw problem('address', 'alerts.error.outside', { office: office.name });
  return { lat: chosen.lat, lng: chosen.lng, radiusM: f.radius!, place: chosen.label.slice(0, 300) };
}

/** Refuses a client over its hourly confirmations (429), or an address over its own (a problem on the form). */
async function checkLimits(db: Executor, office: Office, limits: Limits, hashes: { email: Buffer; client: Buffer }, now: Date): Promise<void> {
  const since = new Date(now.getTime() - HOUR_MS);
  const client = await repo.signupsSince(db, office.id, { clientHash: hashes.client }, since);
  if (client.n >= limits.perIpPerHour) {
    const retryAfterSeconds = Math.max(1, Math.ceil(((client.first?.getTime() ?? now.getTime()) + HOUR_MS - now.getTime()) / 1000));
    throw new DomainError('rate_limited', { message: `Rate limit of ${limits.perIpPerHour} alert sign-ups per hour exceeded`, extra: { retryAfterSeconds } });
  }
  // Says nothing of how many: that would tell anyone who types the address.
  if ((await repo.signupsSince(db, office.id, { emailHash: hashes.email }, since)).n >= limits.perEmailPerHour) throw problem('email', 'alerts.error.emailLimit');
}

export type SubscribeOutcome = { done: true } | { done: false; choose: Address[] };

/**
 * Records a pending subscription and emails its confirmation link; or asks which address was
 * meant; or throws FormProblems for what the resident can fix. A second sign-up for the same
 * area sends the confirmation again while it is pending, and nothing once it is confirmed
 * (the page says the same either way).
 */
export async function subscribe(db: Executor, office: portal.Office, body: unknown, t: Translator, meta: { ip: string; publicUrl: string; limits: Limits }, now = new Date()): Promise<SubscribeOutcome> {
  const f = parseAlertForm(body);
  await checkFormToken(db, office.id, f.formToken, 0).catch(() => {
    throw problem('email', 'error.form.retry');
  });
  const offered = await choices(db, office);
  if (f.categoryId && !offered.categories.some((c) => c.id === f.categoryId)) throw problem('categoryId', 'alerts.error.category');
  const area = await areaOf(db, office, f, offered.wards);
  if ('choose' in area) return { done: false, choose: area.choose };
  const consent = `${t.t('alerts.consent.label', { office: office.name })} (resident portal, ${t.lang})`;
  await record(db, office, { email: f.email, language: t.lang, area, categoryId: f.categoryId ?? null, frequency: f.frequency, consent }, meta, now);
  return { done: true };
}

/**
 * Records the subscription as pending (or finds the same one again) and emails its confirmation
 * link, within the limits per address and per client: nothing more once it is confirmed.
 */
async function record(db: Executor, office: Office, s: repo.NewSubscription, meta: { ip: string; publicUrl: string; limits: Limits }, now: Date): Promise<void> {
  const hashes = { email: await emailHash(db, office.id, s.email), client: await clientHash(db, office.id, meta.ip) };
  await checkLimits(db, office, meta.limits, hashes, now);
  await inTransaction(db, async (trx) => {
    const same = await repo.findSame(trx, office.id, s);
    if (same?.status === 'active') return;
    if (!same && (await repo.countForEmail(trx, office.id, s.email)) >= MAX_PER_EMAIL) throw problem('email', 'alerts.error.tooMany', { max: MAX_PER_EMAIL });
    const row = same ?? (await repo.insertPending(trx, office.id, s));
    if (same) await repo.refreshPending(trx, office.id, same.id, { language: s.language, consent: s.consent, place: 'place' in s.area ? s.area.place : null });
    const signup = await repo.recordSignup(trx, office.id, hashes.email, hashes.client);
    await sendConfirmation(trx, office, { ...row, language: s.language }, signup.id, meta.publicUrl, now);
  });
}

/**
 * Follows a public report, open or not (its status changes are then sent to the address, from
 * the office's approved template, by updates.send): double opt-in as for an area, within the
 * same limits. Throws not_found for a report that is not public.
 */
export async function follow(db: Executor, office: portal.Office, reference: string, body: unknown, t: Translator, meta: { ip: string; publicUrl: string; limits: Limits }, now = new Date()): Promise<void> {
  const report = await publicReports.byReference(db, office.id, reference);
  if (!report) throw new DomainError('not_found', { message: 'There is no public report with that reference' });
  const f = parseFollowForm(body);
  await checkFormToken(db, office.id, f.formToken, 0).catch(() => {
    throw problem('email', 'error.form.retry');
  });
  const consent = `${t.t('follow.consent.label', { office: office.name, reference: report.reference })} (resident portal, ${t.lang})`;
  await record(db, office, { email: f.email, language: t.lang, area: { caseId: report.id }, categoryId: null, frequency: 'changes', consent }, meta, now);
}

/** The confirmation email, in the subscriber's language, with the confirm and manage links. */
async function sendConfirmation(trx: Executor, office: Office, s: repo.SubscriptionRow, signupId: string, publicUrl: string, now: Date): Promise<void> {
  const t = translator(s.language, office.timeZone);
  const facts = await describe(trx, office.id, s);
  const link = async (purpose: TokenPurpose) => `${publicUrl}${alertsPath(office.slug, purpose, await issueToken(trx, office.id, purpose, s.id, now.getTime()))}?lang=${t.lang}`;
  const text = t.t('alerts.confirmMail.body', {
    office: office.name, area: areaLabel(t, facts), frequency: frequencyLabel(t, s.frequency), confirm: await link('confirm'),
    days: MAX_AGE_MS.confirm! / 86_400_000, manage: await link('manage'),
  });
  await enqueueEmail(trx, systemScope(trx, office.id, 'area alerts'), {
    to: s.email, subject: t.t('alerts.confirmMail.subject', { office: office.name }), text, kind: 'area_alert.confirm', dedupeKey: `area_alert.confirm:${signupId}`,
  });
}


/** A link that cannot be used: unknown (forged, altered, another office's, or its subscription gone) or expired. */
export class AlertLinkProblem extends Error {
  constructor(readonly reason: 'invalid' | 'expired') {
    super(`alert link ${reason}`);
  }
}

async function subscriptionOf(db: Executor, office: Office, purpose: TokenPurpose, token: string): Promise<string> {
  const r = await checkToken(db, office.id, purpose, token);
  if (r === 'expired') throw new AlertLinkProblem('expired');
  if (!r) throw new AlertLinkProblem('invalid');
  return r.subscriptionId;
}

/** What a confirm link would confirm (the page with the button), or the link's problem. */
export async function toConfirm(db: Executor, office: Office, token: string, t: Translator) {
  const s = await repo.byId(db, office.id, await subscriptionOf(db, office, 'confirm', token));
  if (!s) throw new AlertLinkProblem('invalid');
  return { area: areaLabel(t, await describe(db, office.id, s)), frequency: frequencyLabel(t, s.frequency), isConfirmed: s.status === 'active' };
}

/** Confirms (once: a second use changes nothing); returns a manage token for the address. */
export async function confirm(db: Executor, office: Office, token: string, now = new Date()): Promise<string> {
  const id = await subscriptionOf(db, office, 'confirm', token);
  return inTransaction(db, async (trx) => {
    const s = await repo.lock(trx, office.id, id);
    if (!s) throw new AlertLinkProblem('invalid');
    if (s.status === 'pending') await repo.activate(trx, office.id, id, { now, nextDigestAt: s.frequency === 'daily' ? nextDigestAt(now, office.timeZone) : null });
    return issueToken(trx, office.id, 'manage', id, now.getTime());
  });
}

export type Listed = { area: string; frequency: string; isPending: boolean; unsubscribeToken: string };

/** The address's subscriptions in this office, each with its unsubscribe token; empty once it has none. */
export async function manage(db: Executor, office: Office, token: string, t: Translator): Promise<Listed[]> {
  const s = await repo.byId(db, office.id, await subscriptionOf(db, office, 'manage', token));
  if (!s) return [];
  const rows = await describeAll(db, office.id, await repo.forEmail(db, office.id, s.email));
  return Promise.all(rows.map(async (r) => ({
    area: areaLabel(t, r), frequency: frequencyLabel(t, r.frequency), isPending: r.status === 'pending',
    unsubscribeToken: await issueToken(db, office.id, 'unsubscribe', r.id),
  })));
}

/** What an unsubscribe link would stop (null: already unsubscribed), or the link's problem. */
export async function toUnsubscribe(db: Executor, office: Office, token: string, t: Translator): Promise<{ area: string } | null> {
  const s = await repo.byId(db, office.id, await subscriptionOf(db, office, 'unsubscribe', token));
  return s ? { area: areaLabel(t, await describe(db, office.id, s)) } : null;
}

/**
 * Unsubscribes (deletes the subscription); doing it again is not an error. Returns a manage
 * token for one of the address's other subscriptions, if it has any left.
 */
export async function unsubscribe(db: Executor, office: Office, token: string, now = new Date()): Promise<{ manageToken: string | null }> {
  const id = await subscriptionOf(db, office, 'unsubscribe', token);
  return inTransaction(db, async (trx) => {
    const s = await repo.lock(trx, office.id, id);
    if (!s) return { manageToken: null };
    await repo.remove(trx, office.id, id);
    const other = (await repo.forEmail(trx, office.id, s.email))[0];
    return { manageToken: other ? await issueToken(trx, office.id, 'manage', other.id, now.getTime()) : null };
  });
}

/** The confirmed followers of a report (told of its status changes by updates.send), oldest first. */
export const followersOf = (db: Executor, officeId: string, caseId: string) => repo.followersOf(db, officeId, caseId);

export type Follower = Awaited<ReturnType<typeof followersOf>>[number];

/** A subscription's one-click unsubscribe link (it works for ever), in the language given. */
export async function unsubscribeLink(db: Executor, office: { id: string; slug: string }, subscriptionId: string, publicUrl: string, lang: string, now = new Date()): Promise<string> {
  return `${publicUrl}${alertsPath(office.slug, 'unsubscribe', await issueToken(db, office.id, 'unsubscribe', subscriptionId, now.getTime()))}?lang=${lang}`;
}

const RECENT_DAYS = 30;
const RECENT_MAX = 100;

/** The subscription's matching reports of the last 30 days, newest first (the "and N more" link of an alert). */
export async function recentReports(db: Executor, office: Office, token: string, t: Translator, now = new Date()): Promise<{ area: string; reports: AlertReport[] } | null> {
  const s = await repo.byId(db, office.id, await subscriptionOf(db, office, 'manage', token));
  // A followed report has no area to list reports of.
  if (!s || s.status !== 'active' || s.frequency === 'changes') return null;
  const found = await repo.candidates(db, office.id, [s.id], { after: new Date(now.getTime() - RECENT_DAYS * 86_400_000), until: now });
  const reports = (matchesOf([s], found).get(s.id) ?? []).reverse().slice(0, RECENT_MAX);
  return { area: areaLabel(t, await describe(db, office.id, s)), reports };
}
