// Sending area alerts (the job's work, every minute). For each active subscription that is due
// (immediate ones every run, daily digests at 07:00 office time) it finds the publicly placed
// reports created after its watermark and up to the cutoff that match its ward or circle and
// category, and queues ONE email listing them (at most 10, then "and N more" with a link) in the
// transaction that moves its watermark to the cutoff: a crash or a redelivered job never loses
// or doubles an alert (the email's dedupe key names the subscription and the old watermark too).
// A report is told of once it is at least 5 minutes old (MIN_AGE_MS): time for staff to close it
// as a duplicate or merge it (those are never told of), and for slow transactions to commit
// before the watermark passes them. Subscriptions with nothing new only move their watermark.
import { inTransaction, type Database, type Executor } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import { metresBetween, toPublicReport } from '../cases/cases.public-reports.js';
import { enqueueEmail } from '../messages/messages.outbox.js';
import * as offices from '../offices/offices.service.js';
import { translator } from '../portal/portal.i18n.js';
import { areaLabel, describe, reportLine, type AlertReport } from './alerts.present.js';
import * as repo from './alerts.repo.js';
import { alertsPath, nextDigestAt } from './alerts.schedule.js';
import { issueToken, MAX_AGE_MS } from './alerts.tokens.js';

export const MIN_AGE_MS = 5 * 60_000;
export const LISTED_MAX = 10;
const BATCH = 200;
const MAX_BATCHES = 50;

type OfficeFacts = { id: string; slug: string; name: string; timeZone: string };
type Due = repo.SubscriptionRow;
type Found = Awaited<ReturnType<typeof repo.candidates>>[number];

/** Each subscription's matching reports: its ward's, or those truly within its circle (the query gives the box). */
export function matchesOf(subs: readonly Due[], found: readonly Found[]): Map<string, AlertReport[]> {
  const byId = new Map(subs.map((s) => [s.id, s]));
  const out = new Map<string, AlertReport[]>();
  for (const f of found) {
    const s = byId.get(f.subscription_id)!;
    const metres = s.lat !== null && s.lng !== null ? metresBetween({ lat: s.lat, lng: s.lng }, { lat: f.lat!, lng: f.lng! }) : null;
    if (s.ward_id === null && (metres === null || metres > s.radius_m!)) continue;
    out.set(s.id, [...(out.get(s.id) ?? []), { ...toPublicReport(f), metres: s.ward_id === null ? metres : null }]);
  }
  return out;
}

/** The alert email for a subscription and its new reports, in the subscriber's language. */
async function alertMail(db: Executor, office: OfficeFacts, s: Due, reports: AlertReport[], publicUrl: string, now: Date) {
  const t = translator(s.language, office.timeZone);
  const area = areaLabel(t, await describe(db, office.id, s));
  const link = async (purpose: 'manage' | 'unsubscribe', page: 'manage' | 'unsubscribe' | 'reports' = purpose) =>
    `${publicUrl}${alertsPath(office.slug, page, await issueToken(db, office.id, purpose, s.id, now.getTime()))}?lang=${t.lang}`;
  const unsubscribe = await link('unsubscribe');
  const more = reports.length - LISTED_MAX;
  const isDigest = s.frequency === 'daily';
  const text = [
    t.t(isDigest ? 'alerts.mail.digestIntro' : 'alerts.mail.intro', { count: reports.length, area, office: office.name }),
    reports.slice(0, LISTED_MAX).map((r) => `- ${reportLine(t, r)}`).join('\n'),
    ...(more > 0 ? [t.t('alerts.mail.more', { count: more, link: await link('manage', 'reports') })] : []),
    t.t('alerts.mail.footer', { office: office.name, manage: await link('manage'), unsubscribe }),
  ].join('\n\n');
  const subject = t.t(isDigest ? 'alerts.mail.digestSubject' : 'alerts.mail.subject', { count: reports.length, area }).replace(/\s+/g, ' ').slice(0, 300);
  return { to: s.email, subject, text: `${text}\n`, listUnsubscribeUrl: unsubscribe };
}

/** Queues one subscription's email and moves it on, under its row lock; false when another run (or an unsubscribe) got there first. */
async function sendOne(db: Executor, office: OfficeFacts, s: Due, reports: AlertReport[], until: Date, now: Date, publicUrl: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const locked = await repo.lock(trx, office.id, s.id);
    if (!locked || locked.status !== 'active' || locked.watermark?.getTime() !== s.watermark?.getTime()) return false;
    const mail = await alertMail(trx, office, locked, reports, publicUrl, now);
    await enqueueEmail(trx, systemScope(trx, office.id, 'area alerts'), { ...mail, kind: 'area_alert', dedupeKey: `area_alert:${s.id}:${s.watermark!.getTime()}` });
    await repo.advance(trx, office.id, [s.id], { until, nextDigestAt: s.frequency === 'daily' ? nextDigestAt(now, office.timeZone) : null, sentAt: now });
    return true;
  });
}

async function runOffice(database: Pick<Database, 'db'>, officeId: string, cutoff: Date, now: Date, publicUrl: string): Promise<number> {
  const { db } = database;
  const office = await offices.get(systemScope(db, officeId));
  let sent = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const subs = await repo.due(db, officeId, cutoff, now, BATCH);
    if (!subs.length) break;
    const matches = matchesOf(subs, await repo.candidates(db, officeId, subs.map((s) => s.id), { until: cutoff }));
    const quiet = { immediate: [] as string[], daily: [] as string[] };
    for (const s of subs) {
      const reports = matches.get(s.id);
      if (reports) sent += Number(await sendOne(db, office, s, reports, cutoff, now, publicUrl));
      else quiet[s.frequency === 'daily' ? 'daily' : 'immediate'].push(s.id);
    }
    await repo.advance(db, officeId, quiet.immediate, { until: cutoff, nextDigestAt: null, sentAt: null });
    await repo.advance(db, officeId, quiet.daily, { until: cutoff, nextDigestAt: nextDigestAt(now, office.timeZone), sentAt: null });
    if (subs.length < BATCH) break;
  }
  return sent;
}

/**
 * One run: every office's due subscriptions, then the clean-up (pending subscriptions whose
 * confirmation link expired, sign-up counters older than a day). Returns the emails queued.
 */
export async function runAlerts(database: Pick<Database, 'db'>, publicUrl: string, now = new Date()): Promise<{ sent: number; pruned: number }> {
  const cutoff = new Date(now.getTime() - MIN_AGE_MS);
  let sent = 0;
  for (const officeId of await repo.officesDue(database.db, cutoff, now)) sent += await runOffice(database, officeId, cutoff, now, publicUrl);
  const pruned = await repo.prune(database.db, new Date(now.getTime() - MAX_AGE_MS.confirm!), new Date(now.getTime() - 86_400_000));
  return { sent, pruned: pruned.pending };
}
