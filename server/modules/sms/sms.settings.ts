// An office's SMS provider settings, managed by admins (sms.configure). The auth token is
// write-only: never returned, never put in the audit log, and kept when a change leaves it out.
import { ZPutSmsSettings, type PutSmsSettings, type SmsSettings } from '../../../contract/sms.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import { normalizePhone } from '../constituents/constituents.normalize.js';
import * as offices from '../offices/offices.service.js';
import type { SmsAccount } from './sms.provider.js';
import * as repo from './sms.repo.js';

/** Where the provider posts an office's incoming messages and delivery reports. */
export const webhookUrl = (publicUrl: string, officeId: string) => `${publicUrl}/webhooks/sms/twilio/${officeId}`;
export const statusCallbackUrl = (publicUrl: string, officeId: string) => `${webhookUrl(publicUrl, officeId)}/status`;

function present(row: repo.SettingsRow, publicUrl: string): SmsSettings {
  return {
    provider: row.provider as SmsSettings['provider'], accountSid: row.account_sid, hasAuthToken: row.auth_token.length > 0, fromNumber: row.from_number,
    helpText: row.help_text, enabled: row.enabled, webhookUrl: webhookUrl(publicUrl, row.office_id), statusCallbackUrl: statusCallbackUrl(publicUrl, row.office_id),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function get(scope: Scope, publicUrl: string): Promise<SmsSettings> {
  const row = await repo.settings(scope.db, scope.officeId);
  if (!row) throw new DomainError('not_found', { message: 'SMS is not set up for this office' });
  return present(row, publicUrl);
}

export async function put(scope: Scope, publicUrl: string, input: PutSmsSettings): Promise<SmsSettings> {
  const v = ZPutSmsSettings.parse(input);
  const office = await offices.get(scope);
  const from = normalizePhone(v.fromNumber, office.defaultRegion);
  if (!from.ok) throw new DomainError('validation_failed', { field: 'fromNumber', message: `fromNumber ${from.reason}` });
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.settings(trx, scope.officeId);
    const authToken = v.authToken ?? before?.auth_token;
    if (!authToken) throw new DomainError('validation_failed', { field: 'authToken', message: 'authToken is required when SMS is first set up' });
    const row = await repo.upsertSettings(trx, scope.officeId, {
      provider: v.provider, account_sid: v.accountSid, auth_token: authToken, from_number: from.e164, help_text: v.helpText, enabled: v.enabled,
    });
    const visible = (r: repo.SettingsRow | undefined) => r && { provider: r.provider, accountSid: r.account_sid, fromNumber: r.from_number, helpText: r.help_text, enabled: r.enabled };
    await audit.record(trx, scope, {
      entity: 'sms_settings', id: scope.officeId, action: before ? 'updated' : 'created',
      before: visible(before), after: { ...visible(row), authTokenChanged: v.authToken !== undefined && v.authToken !== before?.auth_token },
    });
    return present(row, publicUrl);
  });
}

/** The office's account for sending; null when SMS is not set up or is switched off. */
export async function accountOf(db: Executor, officeId: string): Promise<(SmsAccount & { helpText: string }) | null> {
  const account = await webhookAccountOf(db, officeId);
  return account?.enabled ? account : null;
}

/**
 * The office's account for checking webhooks, switched off or not: `enabled` stops sending
 * only. A STOP texted while SMS is off must still be recorded, or the office would text the
 * number again once it switches SMS back on.
 */
export async function webhookAccountOf(db: Executor, officeId: string): Promise<(SmsAccount & { helpText: string; enabled: boolean }) | null> {
  const row = await repo.settings(db, officeId);
  if (!row) return null;
  return { accountSid: row.account_sid, authToken: row.auth_token, fromNumber: row.from_number, helpText: row.help_text, enabled: row.enabled };
}

/** A number as the office reads it (E.164), or null when it is not a phone number. */
export async function e164Of(db: Executor, officeId: string, raw: string): Promise<string | null> {
  const office = await offices.get(systemScope(db, officeId, 'sms'));
  const r = normalizePhone(raw, office.defaultRegion);
  return r.ok ? r.e164 : null;
}
