// The SLA sweep: finds cases whose warning or breach moment has come (cases.sla_next_check_at,
// a partial index, so the scan reads only those rows however many cases there are), and for
// each, in one transaction under the case's row lock: notifies the assignee of a coming
// breach (warning) or the team's managers of a breach (escalation), appends an audit event
// to the case, sets the marker and moves sla_next_check_at on. A crash rolls all of it back;
// a re-run finds the marker set; the notifications' unique dedupe key is the last guard.
import * as audit from '../../platform/audit/audit.js';
import type { Db, Trx } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import * as notifications from '../notifications/notifications.service.js';
import * as offices from '../offices/offices.service.js';
import { nextCheckAt } from './sla.cases.js';
import * as repo from './sla.repo.js';

export type SweepResult = { checked: number; warnings: number; escalations: number; failed: number };

type Target = 'first_response' | 'resolution';
type Stage = 'warning' | 'breach';

const LABEL: Record<Target, string> = { first_response: 'first response', resolution: 'resolution' };

type Log = { error(obj: object, msg?: string): void };

/** Runs the sweep until no case is due (or maxBatches batches), each case in its own transaction. */
export async function sweep(db: Db, now: Date = new Date(), opts: { batch?: number; maxBatches?: number; log?: Log } = {}): Promise<SweepResult> {
  const batch = opts.batch ?? 200;
  const result: SweepResult = { checked: 0, warnings: 0, escalations: 0, failed: 0 };
  const zones = new Map<string, { timeZone: string; locale: string }>();
  let after: repo.CheckKey | undefined;
  for (let n = 0; n < (opts.maxBatches ?? 50); n++) {
    // Keyset over the index order, so a case that fails is passed over until the next run.
    const rows = await repo.dueForCheck(db, now, after, batch);
    for (const r of rows) {
      result.checked++;
      try {
        const done = await db.transaction().execute((trx) => checkCase(trx, r.officeId, r.id, now, zones));
        result.warnings += done.warnings;
        result.escalations += done.escalations;
      } catch (err) {
        result.failed++;
        opts.log?.error({ err, officeId: r.officeId, caseId: r.id }, 'SLA check of a case failed');
      }
    }
    after = rows[rows.length - 1];
    if (rows.length < batch || !after) break;
  }
  return result;
}

async function checkCase(trx: Trx, officeId: string, caseId: string, now: Date, zones: Map<string, { timeZone: string; locale: string }>) {
  const c = await repo.lockCase(trx, officeId, caseId);
  const done = { warnings: 0, escalations: 0 };
  if (!c || c.sla_next_check_at === null || c.sla_next_check_at > now) return done; // handled meanwhile
  const t = now.getTime();
  const isResolved = c.resolved_at !== null || c.closed_at !== null;
  const isResponded = c.first_responded_at !== null || isResolved;
  const marks: repo.CaseSlaUpdate = {};
  const fired: { target: Target; stage: Stage; dueAt: Date }[] = [];
  const check = (target: Target, warnAt: Date | null, dueAt: Date | null, warned: Date | null, breached: Date | null) => {
    const isBreach = dueAt !== null && breached === null && dueAt.getTime() <= t;
    const isWarning = warnAt !== null && warned === null && warnAt.getTime() <= t;
    if (isBreach) {
      fired.push({ target, stage: 'breach', dueAt: dueAt! });
      marks[`${target}_breached_at`] = now;
    }
    // A warning that comes with its breach (the sweep was not running) is only marked.
    if (isWarning) {
      if (!isBreach) fired.push({ target, stage: 'warning', dueAt: dueAt ?? warnAt! });
      marks[`${target}_warned_at`] = now;
    }
  };
  if (!isResponded) check('first_response', c.first_response_warn_at, c.first_response_due_at, c.first_response_warned_at, c.first_response_breached_at);
  if (!isResolved) check('resolution', c.resolution_warn_at, c.resolution_due_at, c.resolution_warned_at, c.resolution_breached_at);

  const zone = zones.get(officeId) ?? (await offices.get(systemScope(trx, officeId)));
  zones.set(officeId, zone);
  const scope = systemScope(trx, officeId, 'sla');
  for (const f of fired) {
    const recipients = f.stage === 'warning' && c.assignee_id && (await repo.isActiveUser(trx, officeId, c.assignee_id))
      ? [c.assignee_id]
      : await repo.escalationRecipients(trx, officeId, c.team_id);
    const when = formatIn(zone, f.dueAt);
    const body = f.stage === 'warning'
      ? `${c.reference} "${c.subject}": ${LABEL[f.target]} is due ${when}`
      : `${c.reference} "${c.subject}": ${LABEL[f.target]} was due ${when} and is overdue`;
    const notified = await notifications.notify(trx, officeId, recipients.map((userId) => ({
      userId, kind: f.stage === 'warning' ? 'sla_warning' : 'sla_escalation', caseId, body: body.slice(0, 2000),
      dedupeKey: `sla:${caseId}:${f.target}:${f.stage}:${f.dueAt.toISOString()}`,
    })));
    // Every notification already existed: this moment was handled before (a marker lost
    // to a restore, say); the case's timeline has its event already.
    if (recipients.length > 0 && notified.length === 0) continue;
    await audit.record(trx, scope, {
      entity: 'case', id: caseId, caseId, action: f.stage === 'warning' ? 'sla_warning' : 'sla_breached',
      after: { target: f.target, dueAt: f.dueAt.toISOString(), notified: recipients, written: notified.length },
    });
    if (f.stage === 'warning') done.warnings++;
    else done.escalations++;
  }
  // The markers as they stand after this check (set now, or already set before).
  const marked = (key: keyof typeof marks & `${Target}_${'warned' | 'breached'}_at`, before: Date | null) => (marks[key] ? now : before);
  const next = nextCheckAt(
    { isResponded, isResolved },
    { warnAt: c.first_response_warn_at, dueAt: c.first_response_due_at, warnedAt: marked('first_response_warned_at', c.first_response_warned_at), breachedAt: marked('first_response_breached_at', c.first_response_breached_at) },
    { warnAt: c.resolution_warn_at, dueAt: c.resolution_due_at, warnedAt: marked('resolution_warned_at', c.resolution_warned_at), breachedAt: marked('resolution_breached_at', c.resolution_breached_at) },
  );
  await repo.updateCaseSla(trx, officeId, caseId, { ...marks, sla_next_check_at: next });
  return done;
}

function formatIn(zone: { timeZone: string; locale: string }, at: Date): string {
  try {
    return new Intl.DateTimeFormat(zone.locale, { timeZone: zone.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);
  } catch {
    return at.toISOString();
  }
}
