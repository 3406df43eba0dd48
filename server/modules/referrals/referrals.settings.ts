// The office's privacy-release settings: the consent wording residents sign (the default
// names the office, the agency or purpose, and the case) and how long a signing link lives.
import { ZUpdateReleaseSettings } from '../../../contract/referrals.js';
import type { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './referrals.agencies-repo.js';

export const DEFAULT_CONSENT_TEXT =
  'I, {name}, authorise {office} to share information about my case {case}, including my contact details, the details of my request and ' +
  'any documents I have provided, with {agency}, so that it can look into my request and reply to {office}. ' +
  'I understand that this consent covers this case only and that I can withdraw it at any time by contacting {office}.';

export const DEFAULT_EXPIRY_DAYS = 14;
const ANY_AGENCY = 'the government agencies and departments that {office} contacts on my behalf';

export type ReleaseSettings = { consentText: string | null; defaultConsentText: string; linkExpiryDays: number };

export async function get(db: Executor, officeId: string): Promise<ReleaseSettings> {
  const row = await repo.settings(db, officeId);
  return { consentText: row?.consent_text ?? null, defaultConsentText: DEFAULT_CONSENT_TEXT, linkExpiryDays: row?.link_expiry_days ?? DEFAULT_EXPIRY_DAYS };
}

export async function update(scope: Scope, input: z.input<typeof ZUpdateReleaseSettings>): Promise<ReleaseSettings> {
  const v = ZUpdateReleaseSettings.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const before = await get(trx, scope.officeId);
    await repo.saveSettings(trx, scope.officeId, {
      consent_text: v.consentText !== undefined ? v.consentText : before.consentText, link_expiry_days: v.linkExpiryDays ?? before.linkExpiryDays,
    });
    const after = await get(trx, scope.officeId);
    await audit.record(trx, scope, { entity: 'privacy_release_settings', id: scope.officeId, action: 'updated', before, after });
    return after;
  });
}

/** The consent text for one release, with the office's, agency's, case's and person's names filled in. */
export function renderConsent(template: string, v: { office: string; agency: string | null; caseReference: string; name: string }): string {
  const agency = v.agency ?? ANY_AGENCY.replace('{office}', v.office);
  return template.replace(/\{(office|agency|case|name)\}/g, (_m, k: string) =>
    k === 'office' ? v.office : k === 'agency' ? agency : k === 'case' ? v.caseReference : v.name);
}
