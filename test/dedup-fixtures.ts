// Test factories for the deduplication tests (server/modules/dedup): an office with
// signed-in staff, and people inserted straight into the registry's tables (so these tests
// do not depend on the create API).
import { expect } from 'vitest';
import { asSession, createOffice, createUser, signIn, type TestContext } from './harness.js';
import type { Role } from '../contract/auth.js';
import type { Executor } from '../server/platform/db/database.js';
import { systemScope } from '../server/platform/scope.js';

export type PersonSpec = {
  kind?: 'person' | 'organisation';
  given?: string | null;
  family?: string | null;
  preferred?: string | null;
  org?: string | null;
  dob?: string | null;
  emails?: string[];
  phones?: string[];
  addresses?: { line1: string; line2?: string | null; postcode?: string | null }[];
  tags?: string[];
  customFields?: Record<string, unknown>;
  doNotContact?: boolean;
  bulkOptOut?: boolean;
  unsubscribed?: boolean;
};

export async function addPerson(db: Executor, officeId: string, p: PersonSpec): Promise<string> {
  const { id } = await db
    .insertInto('constituents')
    .values({
      office_id: officeId, kind: p.kind ?? 'person', given_name: p.given ?? null, family_name: p.family ?? null, preferred_name: p.preferred ?? null,
      organisation_name: p.org ?? null, date_of_birth: p.dob ?? null, tags: p.tags ?? [], custom_fields: JSON.stringify(p.customFields ?? {}),
      do_not_contact: p.doNotContact ?? false, bulk_opt_out: p.bulkOptOut ?? false, unsubscribed: p.unsubscribed ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [i, email] of (p.emails ?? []).entries()) {
    await db.insertInto('constituent_emails').values({ office_id: officeId, constituent_id: id, email, is_primary: i === 0 }).execute();
  }
  for (const [i, phone] of (p.phones ?? []).entries()) {
    await db.insertInto('constituent_phones').values({ office_id: officeId, constituent_id: id, phone_e164: phone, is_primary: i === 0 }).execute();
  }
  for (const [i, a] of (p.addresses ?? []).entries()) {
    await db.insertInto('constituent_addresses').values({ office_id: officeId, constituent_id: id, line1: a.line1, line2: a.line2 ?? null, postcode: a.postcode ?? null, is_primary: i === 0 }).execute();
  }
  return id;
}

export async function staffOffice(ctx: TestContext, role: Role = 'admin') {
  const office = await createOffice(ctx);
  const user = await createUser(ctx, office, role);
  const api = asSession(ctx, await signIn(ctx, user));
  const add = (p: PersonSpec) => addPerson(ctx.database.db, office.id, p);
  return { office, user, api, add, scope: systemScope(ctx.database.db, office.id, 'test') };
}

export type CandidateJson = { lowId: string; highId: string; score: number; reasons: string[]; status: string; low: { id: string; displayName: string }; high: { id: string; displayName: string } };

/** All candidates of a status, through the API (every page). */
export async function candidates(api: ReturnType<typeof asSession>, status = 'open'): Promise<CandidateJson[]> {
  const out: CandidateJson[] = [];
  let cursor = '';
  for (;;) {
    const res = await api('GET', `/api/v1/dedup/candidates?status=${status}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: CandidateJson[]; nextCursor: string | null };
    out.push(...body.items);
    if (!body.nextCursor) return out;
    cursor = encodeURIComponent(body.nextCursor);
  }
}

/** The pair key whichever way round: "a|b" with a < b. */
export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
