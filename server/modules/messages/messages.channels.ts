// Channels other than email deliver their outbox messages through a sender they register
// here (SMS: modules/sms), so the outbox, its retries and its timeline events stay one; their
// providers' delivery reports are recorded here too.
import { sql, type RawBuilder } from 'kysely';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import * as repo from './messages.repo.js';
import type { MessageRow } from './messages.repo.js';

/** A refusal that retrying cannot change (a bad number, an opted-out recipient): the message fails at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** Sends one message; returns the provider's id for it (status callbacks name it) and its answer. */
export type ChannelSender = (db: Executor, message: MessageRow) => Promise<{ providerId: string | null; response: string }>;

const senders = new Map<string, ChannelSender>();

export function registerChannelSender(channel: string, sender: ChannelSender): void {
  senders.set(channel, sender);
}

export function senderFor(channel: string): ChannelSender {
  const s = senders.get(channel);
  if (!s) throw new PermanentDeliveryError(`No sender for ${channel} messages in this deployment`);
  return s;
}

export const CHANNEL_LABEL: Record<string, string> = { email: 'Email', sms: 'Text message', letter: 'Letter' };

// Delivery reports move forward only: a late "sent" never hides an earlier "delivered".
const REPORT_RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3, read: 4 };
const REPORT_ACTION: Record<string, string> = { delivered: 'delivered', undelivered: 'undelivered', failed: 'delivery_failed', read: 'read' };
const rankOf = (col: RawBuilder<unknown>) =>
  sql<number>`CASE ${col} ${sql.join(Object.entries(REPORT_RANK).map(([s, r]) => sql`WHEN ${sql.lit(s)} THEN ${sql.lit(r)}`), sql` `)} END`;

export type Report = { providerId: string; status: string; error: string | null };

async function apply(trx: Executor, officeId: string, report: Report): Promise<boolean> {
  const row = await repo.recordDelivery(trx, officeId, report.providerId, report.status, report.error, REPORT_RANK[report.status]!, rankOf);
  if (!row) return false;
  const action = REPORT_ACTION[report.status];
  if (action) {
    const label = CHANNEL_LABEL[row.channel] ?? row.channel;
    await audit.record(trx, systemScope(trx, officeId, 'delivery report'), {
      entity: 'message', id: row.id, action, caseId: row.case_id, constituentId: row.constituent_id,
      after: { summary: `${label} to ${row.to_address} ${report.status}${report.error ? ` (${report.error})` : ''}`, deliveryStatus: report.status, error: report.error },
    });
  }
  return true;
}

/**
 * Records a provider's delivery report on one of our messages (by the provider's id for it).
 * The final outcomes (delivered, undelivered, failed, read) go on the case timeline.
 *
 * A report can arrive before the outbox has recorded the provider's id (the provider calls
 * back while our send is still committing). Twilio does not retry a messaging status
 * callback answered with an error (only connection failures, with connection overrides), so
 * refusing it would lose it: it is parked ('parked') and applied when the id is recorded
 * (applyParkedReports). Both sides take the same advisory lock, so neither misses the other.
 */
export async function recordDeliveryReport(db: Executor, officeId: string, report: Report): Promise<'recorded' | 'parked' | 'stale'> {
  if (!(report.status in REPORT_RANK)) return 'stale';
  return inTransaction(db, async (trx) => {
    await repo.lockProviderId(trx, officeId, report.providerId);
    if (await apply(trx, officeId, report)) return 'recorded';
    if (await repo.hasProviderId(trx, officeId, report.providerId)) return 'stale';
    await repo.parkReport(trx, officeId, report.providerId, report.status, report.error);
    return 'parked';
  });
}

/** Applies the reports parked for a provider id, in the transaction that records it. */
export async function applyParkedReports(trx: Executor, officeId: string, providerId: string): Promise<void> {
  await repo.lockProviderId(trx, officeId, providerId);
  const parked = await repo.takeParked(trx, officeId, providerId);
  parked.sort((a, b) => REPORT_RANK[a.status]! - REPORT_RANK[b.status]!);
  for (const p of parked) await apply(trx, officeId, { providerId, status: p.status, error: p.error });
}
