// Task reminders: a recurring job finds open tasks due today (or within the configured lead
// time, in each office's time zone) and tells each assignee once per due date, by email
// through the outbox and in the app. Each task is handled in its own transaction under its
// row lock, and `reminded_for` plus the email's and notification's dedupe keys make a re-run
// (or a crash after the commit) send nothing twice; moving the due date earns a new reminder.
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database, Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { systemScope } from '../../platform/scope.js';
import { staffByIds } from '../cases/cases.access.js';
import { enqueueEmail } from '../messages/messages.outbox.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './tasks.repo.js';

type Log = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

export const TASK_REMINDERS_JOB = 'tasks.reminders';

export type ReminderSettings = { leadDays: number; publicUrl: string };

async function remindOne(db: Executor, officeId: string, id: string, settings: ReminderSettings): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const t = await repo.lockForReminder(trx, officeId, id);
    if (!t?.assignee_id || !t.due_on) return false;
    const scope = systemScope(trx, officeId, 'Task reminders');
    const u = (await staffByIds(trx, officeId, [t.assignee_id])).get(t.assignee_id);
    if (u?.isActive) {
      const link = `${settings.publicUrl}/cases/${t.case_id}`;
      // A sensitive case's subject stays out of mailboxes.
      const about = t.is_sensitive ? t.reference : `${t.reference} (${t.subject})`;
      // One line for the subject (a title may hold line breaks); a sensitive case's task title stays out of it.
      const title = t.is_sensitive ? `a task on ${t.reference}` : t.title.replace(/\s+/g, ' ').trim();
      await enqueueEmail(trx, scope, {
        to: u.email, subject: `Task due ${t.due_on}: ${title}`.slice(0, 300), caseId: t.case_id, kind: 'task_reminder', dedupeKey: `task-reminder:${t.id}:${t.due_on}:${u.id}`,
        text: `Hello ${u.displayName},\n\n${t.is_sensitive ? 'Your task' : `Your task "${title}"`} on case ${about} is due on ${t.due_on}.\n\nOpen the case: ${link}\n`,
      });
      await notify(trx, officeId, [{ userId: u.id, kind: 'task_due', caseId: t.case_id, dedupeKey: `task-due:${t.id}:${t.due_on}:${u.id}`, body: `Task due ${t.due_on} on ${t.reference}: ${t.title}` }]);
    }
    await repo.markReminded(trx, officeId, t.id, t.due_on);
    return Boolean(u?.isActive);
  });
}

/** One sweep over every office; returns what it did. */
export async function sendDueReminders(db: Executor, now: Date, settings: ReminderSettings, log?: Log): Promise<{ reminded: number; failed: number }> {
  let reminded = 0;
  let failed = 0;
  for (;;) {
    const due = await repo.dueForReminder(db, now, settings.leadDays, 200);
    let progressed = false;
    for (const t of due) {
      try {
        if (await remindOne(db, t.office_id, t.id, settings)) reminded++;
        progressed = true;
      } catch (err) {
        failed++;
        log?.error({ err, taskId: t.id }, 'task reminder failed');
      }
    }
    // A batch that only failed would come back unchanged: stop and let the next run retry.
    if (due.length < 200 || !progressed) return { reminded, failed };
  }
}

const ZSweep = z.object({}).passthrough();

export function remindersJob(database: Database, config: Pick<Config, 'taskReminderLeadDays' | 'publicUrl'>, log: Log): JobDefinition<typeof ZSweep> {
  return {
    name: TASK_REMINDERS_JOB,
    data: ZSweep,
    cron: '*/5 * * * *',
    retryLimit: 1,
    expireInSeconds: 30 * 60,
    handler: async () => {
      const r = await sendDueReminders(database.db, new Date(), { leadDays: config.taskReminderLeadDays, publicUrl: config.publicUrl }, log);
      if (r.reminded || r.failed) log.info({ job: TASK_REMINDERS_JOB, ...r }, `task reminders: ${r.reminded} sent, ${r.failed} failed`);
    },
  };
}

export function defineTaskJobs(jobs: Jobs, database: Database, config: Config, log: Log): void {
  jobs.define(remindersJob(database, config, log));
}
