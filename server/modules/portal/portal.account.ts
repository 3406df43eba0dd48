// Resident accounts: passwordless sign-in by an emailed link, and portal sessions. Asking
// for a link answers the same whatever the address (no account enumeration); a link is sent
// only when a live record of the office holds the address, at most LINKS_PER_EMAIL_PER_HOUR
// times an hour. Link and session tokens are random, stored only as SHA-256 hashes, and only
// ever looked up within their office, so one office's link or cookie is nothing at another's.
// A link works once, for LINK_MINUTES; opening it shows a button whose post signs in (mail
// scanners that fetch links do not use them up). A session lasts SESSION_DAYS at most and
// ends after IDLE_DAYS unused.
import { z } from 'zod';
import { randomSecret, sha256 } from '../../platform/auth/secrets.js';
import { inTransaction, type Database } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { systemScope } from '../../platform/scope.js';
import { recordsWithEmail } from '../constituents/constituents.portal.js';
import { checkFormToken } from '../intake/intake.form-token.js';
import { enqueueEmail } from '../messages/messages.outbox.js';
import * as repo from './portal.account-repo.js';
import { FormProblems } from './portal.forms.js';
import type { Translator } from './portal.i18n.js';
import type { Office } from './portal.service.js';

export const LINK_MINUTES = 20;
export const LINKS_PER_EMAIL_PER_HOUR = 5;
export const SESSION_DAYS = 30;
export const IDLE_DAYS = 7;
export const SESSION_COOKIE = 'civitas_portal_session';
/** The actor of what a signed-in resident changes, on the timeline and in the audit log. */
export const RESIDENT_ACTOR = 'Resident (portal)';

const DAY_MS = 86_400_000;
// Only a session not seen for this long is written to as it is used (not every page view).
const TOUCH_AFTER_MS = 5 * 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const ZSignIn = z.object({ email: z.string().trim().toLowerCase().pipe(z.email().max(320)), formToken: z.string().max(200) });

type LinkDeps = { database: Database; jobs: Jobs | undefined; publicUrl: string; log: { info(o: object, m?: string): void } };

/** The sign-in link's path under the portal (its token is masked in logs and scrubbed from sent mail). */
export const linkPath = (office: Pick<Office, 'slug'>, token: string) => `/portal/${office.slug}/account/sign-in/${token}`;

/**
 * Handles "email me a link": FormProblems for a missing or malformed address; otherwise
 * returns having sent a link, or not (unknown address, too many asked for), without saying which.
 */
export async function requestLink(deps: LinkDeps, office: Office, body: unknown, t: Translator): Promise<void> {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const parsed = ZSignIn.safeParse(raw);
  if (!parsed.success) {
    const isBlank = typeof raw.email !== 'string' || raw.email.trim() === '';
    const onEmail = parsed.error.issues.some((i) => i.path[0] === 'email');
    throw new FormProblems([{ field: 'email', key: !onEmail ? 'error.form.retry' : isBlank ? 'error.accountEmail.required' : 'error.email.invalid' }]);
  }
  const { email, formToken } = parsed.data;
  const { db } = deps.database;
  await checkFormToken(db, office.id, formToken, 0).catch(() => {
    throw new FormProblems([{ field: 'email', key: 'error.form.retry' }]);
  });
  await inTransaction(db, async (trx) => {
    await repo.prune(trx, office.id);
    if (await repo.linksSince(trx, office.id, email, new Date(Date.now() - 3_600_000)) >= LINKS_PER_EMAIL_PER_HOUR) {
      deps.log.info({ officeId: office.id }, 'portal sign-in link not sent: hourly limit for the address');
      return;
    }
    if (!(await recordsWithEmail(trx, office.id, email)).length) return;
    const token = randomSecret(32);
    await repo.insertLink(trx, office.id, { token_hash: sha256(token), email, language: t.lang, expires_at: new Date(Date.now() + LINK_MINUTES * 60_000) });
    const link = `${deps.publicUrl}${linkPath(office, token)}?lang=${t.lang}`;
    // No case and no constituent: the message (whose link is a credential until used) stays off
    // timelines; its text loses the token once sent (messages.repo scrubLinks).
    await enqueueEmail(trx, systemScope(trx, office.id, RESIDENT_ACTOR), {
      to: email, kind: 'portal_sign_in',
      subject: t.t('account.email.subject', { office: office.name }),
      text: t.t('account.email.body', { office: office.name, link, minutes: LINK_MINUTES }),
    });
  });
}

/** Whether a post carries a good form token of this office (served within the day). */
export async function isFormSigned(db: Executor, office: Office, body: unknown): Promise<boolean> {
  const token = (body && typeof body === 'object' ? body as Record<string, unknown> : {}).formToken;
  return typeof token === 'string' && checkFormToken(db, office.id, token, 0).then(() => true, () => false);
}

export type LinkProblem = 'unknown' | 'used' | 'expired';

/** Whether a sign-in link can still be used, without using it. */
export async function linkState(db: Executor, office: Office, token: string): Promise<'valid' | LinkProblem> {
  if (!TOKEN.test(token)) return 'unknown';
  const row = await repo.linkByHash(db, office.id, sha256(token));
  if (!row) return 'unknown';
  if (row.used_at) return 'used';
  return row.expires_at.getTime() <= Date.now() ? 'expired' : 'valid';
}

/** Uses the link: a new session's token (for the cookie), or why the link cannot be used. */
export async function signIn(db: Executor, office: Office, token: string): Promise<{ session: string } | { problem: LinkProblem }> {
  if (!TOKEN.test(token)) return { problem: 'unknown' };
  return inTransaction(db, async (trx) => {
    const email = await repo.consumeLink(trx, office.id, sha256(token));
    if (!email) {
      const state = await linkState(trx, office, token);
      return { problem: state === 'valid' ? 'used' : state };
    }
    const session = randomSecret(32);
    await repo.insertSession(trx, office.id, { token_hash: sha256(session), email, expires_at: new Date(Date.now() + SESSION_DAYS * DAY_MS) });
    return { session };
  });
}

/** The signed-in address for a session cookie of this office, or null (none, another office's, ended). */
export async function sessionOf(db: Executor, office: Office, cookie: string | undefined): Promise<{ email: string } | null> {
  if (!cookie || !TOKEN.test(cookie)) return null;
  const row = await repo.sessionByHash(db, office.id, sha256(cookie), new Date(Date.now() - IDLE_DAYS * DAY_MS));
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) await repo.touchSession(db, office.id, row.id);
  return { email: row.email };
}

export async function signOut(db: Executor, office: Office, cookie: string | undefined): Promise<void> {
  if (cookie && TOKEN.test(cookie)) await repo.deleteSession(db, office.id, sha256(cookie));
}
