// The constituent record: create, read, edit. One record per person or organisation, with
// contact points normalised (E.164 phones, lower-case emails), addresses located and
// assigned their areas, custom fields validated, and every change audited on the timeline.
import {
  ZCreateConstituent, ZUpdateConstituent, type Constituent, type CreateConstituent, type UpdateConstituent,
} from '../../../contract/constituents.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError, type FieldIssue } from '../../platform/errors.js';
import { withDb, type Scope } from '../../platform/scope.js';
import { findMatches } from '../dedup/dedup.matching.js';
import * as geo from '../geo/geo.service.js';
import { validateValues } from './constituents.custom-fields.js';
import { displayPhone, normalizePhone } from './constituents.normalize.js';
import * as repo from './constituents.repo.js';

type Parsed = ReturnType<typeof ZUpdateConstituent.parse>;
type EmailIn = NonNullable<Parsed['emails']>[number];
type PhoneIn = NonNullable<Parsed['phones']>[number];
type AddressIn = NonNullable<Parsed['addresses']>[number];

export async function get(scope: Scope, id: string): Promise<Constituent> {
  const row = await repo.get(scope.db, scope.officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such constituent in this office' });
  const [emails, phones, addresses, externalIds, region] = await Promise.all([
    repo.emailsOf(scope.db, scope.officeId, id), repo.phonesOf(scope.db, scope.officeId, id), repo.addressesOf(scope.db, scope.officeId, id),
    repo.externalIdsOf(scope.db, scope.officeId, id), repo.officeRegion(scope.db, scope.officeId),
  ]);
  const areas = await geo.areasFor(scope.db, scope.officeId, addresses.map((a) => a.id));
  const household = row.household_id ? await repo.household(scope.db, scope.officeId, row.household_id) : undefined;
  const members = household ? await repo.householdMembers(scope.db, scope.officeId, household.id) : [];
  return {
    id: row.id, kind: row.kind as Constituent['kind'], displayName: row.display_name ?? '',
    givenName: row.given_name, familyName: row.family_name, preferredName: row.preferred_name, organisationName: row.organisation_name,
    dateOfBirth: row.date_of_birth ? isoDate(row.date_of_birth) : null,
    preferredChannel: row.preferred_channel as Constituent['preferredChannel'], preferredLanguage: row.preferred_language,
    tags: row.tags, customFields: row.custom_fields as Constituent['customFields'],
    household: household ? { id: household.id, name: household.name, members: members.map((m) => ({ id: m.id, displayName: m.display_name ?? '' })) } : null,
    doNotContact: row.do_not_contact, bulkOptOut: row.bulk_opt_out, unsubscribed: row.unsubscribed,
    status: row.status as Constituent['status'], mergedIntoId: row.merged_into_id,
    emails: emails.map((e) => ({ id: e.id, email: e.email, type: e.type, isPrimary: e.is_primary, status: e.status })),
    phones: phones.map((p) => ({ id: p.id, number: p.phone_e164, display: displayPhone(p.phone_e164, region), type: p.type, isPrimary: p.is_primary, status: p.status })),
    addresses: addresses.map((a) => ({
      id: a.id, line1: a.line1, line2: a.line2, locality: a.locality, postcode: a.postcode, country: a.country?.trim() ?? null,
      lat: a.lat, lng: a.lng, locationSource: a.location_source, type: a.type, isPrimary: a.is_primary, status: a.status, areas: areas.get(a.id) ?? [],
    })),
    externalIds,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

function isoDate(d: Date | string): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

/** One primary per kind of contact point: the first marked, else the first listed. */
function withOnePrimary<T extends { isPrimary: boolean }>(rows: T[]): T[] {
  const first = Math.max(0, rows.findIndex((r) => r.isPrimary));
  return rows.map((r, i) => ({ ...r, isPrimary: i === first }));
}

function normalisePhones(phones: PhoneIn[], region: string): repo.NewPhone[] {
  const issues: FieldIssue[] = [];
  const rows = withOnePrimary(phones).map((p, i) => {
    const n = normalizePhone(p.number, region);
    if (!n.ok) issues.push({ field: `phones.${i}.number`, message: `"${p.number}" ${n.reason}` });
    return { phone_e164: n.ok ? n.e164 : '', type: p.type, is_primary: p.isPrimary, status: p.status };
  });
  throwIssues(issues);
  return dedupe(rows, (r) => r.phone_e164, 'phones');
}

function normaliseEmails(emails: EmailIn[]): repo.NewEmail[] {
  return dedupe(withOnePrimary(emails).map((e) => ({ email: e.email, type: e.type, is_primary: e.isPrimary, status: e.status })), (r) => r.email, 'emails');
}

function dedupe<T>(rows: T[], key: (r: T) => string, field: string): T[] {
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const k = key(r);
    if (seen.has(k)) throw new DomainError('validation_failed', { field: `${field}.${i}`, message: `is the same as ${field}.${seen.get(k)}` });
    seen.set(k, i);
  });
  return rows;
}

function throwIssues(issues: FieldIssue[]): void {
  if (issues.length) throw new DomainError('validation_failed', { message: `${issues[0]!.field}: ${issues[0]!.message}`, field: issues[0]!.field, issues });
}

/** Addresses with coordinates keep them; the others are geocoded if possible, else flagged (no coordinates). */
async function locateAddresses(db: Executor, officeId: string, addresses: AddressIn[]): Promise<repo.NewAddress[]> {
  const rows = withOnePrimary(addresses);
  return Promise.all(rows.map(async (a) => {
    const base = {
      line1: a.line1, line2: a.line2 ?? null, locality: a.locality ?? null, postcode: a.postcode ?? null, country: a.country ?? null,
      type: a.type, is_primary: a.isPrimary, status: a.status,
    };
    if (a.lat != null && a.lng != null) return { ...base, lat: a.lat, lng: a.lng, location_source: 'provided' };
    const found = await geo.geocode(db, officeId, a);
    return found ? { ...base, lat: found.lat, lng: found.lng, location_source: found.source } : { ...base, lat: null, lng: null, location_source: null };
  }));
}

async function checkExternalIds(db: Executor, officeId: string, ids: repo.NewExternalId[], exceptId?: string): Promise<void> {
  dedupe(ids, (x) => `${x.system}:${x.value}`, 'externalIds');
  const taken = await repo.externalIdOwners(db, officeId, ids, exceptId);
  if (taken.length) {
    const i = ids.findIndex((x) => x.system === taken[0]!.system && x.value === taken[0]!.value);
    throw new DomainError('conflict', { field: `externalIds.${i}.value`, message: `${taken[0]!.system} ${taken[0]!.value} already belongs to another constituent`, extra: { constituentId: taken[0]!.constituent_id } });
  }
}

async function checkHousehold(db: Executor, officeId: string, householdId: string | null | undefined): Promise<void> {
  if (householdId && !(await repo.household(db, officeId, householdId))) throw new DomainError('validation_failed', { field: 'householdId', message: 'No such household in this office' });
}

export async function create(scope: Scope, input: CreateConstituent): Promise<Constituent> {
  const v = ZCreateConstituent.parse(input);
  const region = await repo.officeRegion(scope.db, scope.officeId);
  const phones = normalisePhones(v.phones, region);
  const emails = normaliseEmails(v.emails);
  if (!v.ignoreDuplicates) {
    const matches = await findMatches(scope.db, scope.officeId, {
      kind: v.kind, givenName: v.givenName ?? null, familyName: v.familyName ?? null, organisationName: v.organisationName ?? null,
      dateOfBirth: v.dateOfBirth ?? null, emails: emails.map((e) => e.email), phones: phones.map((p) => p.phone_e164),
      addresses: v.addresses.map((a) => ({ line1: a.line1, line2: a.line2 ?? null, postcode: a.postcode ?? null })),
    });
    if (matches.length) {
      throw new DomainError('possible_duplicate', {
        message: `This looks like ${matches[0]!.displayName}, already on record; open that record or create anyway`, extra: { matches },
      });
    }
  }
  return inTransaction(scope.db, async (trx) => {
    const customFields = await validateValues(trx, scope.officeId, v.customFields, null);
    await checkHousehold(trx, scope.officeId, v.householdId);
    await checkExternalIds(trx, scope.officeId, v.externalIds);
    const addresses = await locateAddresses(trx, scope.officeId, v.addresses);
    const { id } = await repo.insert(trx, scope.officeId, {
      kind: v.kind, given_name: v.givenName ?? null, family_name: v.familyName ?? null, preferred_name: v.preferredName ?? null,
      organisation_name: v.organisationName ?? null, date_of_birth: v.dateOfBirth ?? null, preferred_channel: v.preferredChannel ?? null,
      preferred_language: v.preferredLanguage ?? null, tags: [...new Set(v.tags ?? [])], custom_fields: JSON.stringify(customFields ?? {}),
      household_id: v.householdId ?? null, do_not_contact: v.doNotContact ?? false, bulk_opt_out: v.bulkOptOut ?? false, unsubscribed: v.unsubscribed ?? false,
    });
    await repo.replaceEmails(trx, scope.officeId, id, emails);
    await repo.replacePhones(trx, scope.officeId, id, phones);
    const addressIds = await repo.replaceAddresses(trx, scope.officeId, id, addresses);
    await repo.replaceExternalIds(trx, scope.officeId, id, v.externalIds);
    await geo.assignAreas(trx, scope.officeId, addressIds);
    const created = await get(withDb(scope, trx), id);
    await audit.record(trx, scope, { entity: 'constituent', id, action: 'created', after: created, constituentId: id });
    return created;
  });
}

export async function update(scope: Scope, id: string, input: UpdateConstituent): Promise<Constituent> {
  const v = ZUpdateConstituent.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const locked = await repo.lock(trx, scope.officeId, id);
    if (!locked) throw new DomainError('not_found', { message: 'No such constituent in this office' });
    if (locked.status !== 'active') throw new DomainError('conflict', { message: 'This record was merged into another; edit that one instead' });
    const before = await get(s, id);
    const kind = v.kind ?? before.kind;
    const names = {
      given: v.givenName !== undefined ? v.givenName : before.givenName, family: v.familyName !== undefined ? v.familyName : before.familyName,
      organisation: v.organisationName !== undefined ? v.organisationName : before.organisationName,
    };
    if (kind === 'person' && !names.given && !names.family) throw new DomainError('validation_failed', { field: 'familyName', message: 'a person needs a given or family name' });
    if (kind === 'organisation' && !names.organisation) throw new DomainError('validation_failed', { field: 'organisationName', message: 'an organisation needs a name' });
    const customFields = await validateValues(trx, scope.officeId, v.customFields, before.customFields);
    await checkHousehold(trx, scope.officeId, v.householdId);
    await repo.update(trx, scope.officeId, id, {
      kind, given_name: v.givenName, family_name: v.familyName, preferred_name: v.preferredName, organisation_name: v.organisationName,
      date_of_birth: v.dateOfBirth, preferred_channel: v.preferredChannel, preferred_language: v.preferredLanguage,
      tags: v.tags ? [...new Set(v.tags)] : undefined, custom_fields: customFields ? JSON.stringify(customFields) : undefined,
      household_id: v.householdId, do_not_contact: v.doNotContact, bulk_opt_out: v.bulkOptOut, unsubscribed: v.unsubscribed,
    });
    if (v.emails) await repo.replaceEmails(trx, scope.officeId, id, normaliseEmails(v.emails));
    if (v.phones) await repo.replacePhones(trx, scope.officeId, id, normalisePhones(v.phones, await repo.officeRegion(trx, scope.officeId)));
    if (v.addresses) await geo.assignAreas(trx, scope.officeId, await repo.replaceAddresses(trx, scope.officeId, id, await locateAddresses(trx, scope.officeId, v.addresses)));
    if (v.externalIds) {
      await checkExternalIds(trx, scope.officeId, v.externalIds, id);
      await repo.replaceExternalIds(trx, scope.officeId, id, v.externalIds);
    }
    const after = await get(s, id);
    await audit.record(trx, scope, { entity: 'constituent', id, action: 'updated', before: changedOnly(before, after, 'before'), after: changedOnly(before, after, 'after'), constituentId: id });
    return after;
  });
}

/** The fields that changed, so the timeline shows what an edit did rather than two whole records. */
function changedOnly(before: Constituent, after: Constituent, side: 'before' | 'after'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Constituent)[]) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = (side === 'before' ? before : after)[key];
  }
  return out;
}
