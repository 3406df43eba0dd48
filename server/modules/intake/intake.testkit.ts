// Helpers for the tests of anonymous channels (the public form, Open311): a record on file
// with an open case, whose email and phone someone else types in; what intake could add to
// that record; and a check that a public answer shows nothing of it.
import { expect } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { Constituent } from '../../../contract/constituents.js';
import { createConstituent, uniq, type TestContext } from '../../../test/harness.js';
import type { casework } from '../cases/cases.testkit.js';

type World = Pick<Awaited<ReturnType<typeof casework>>, 'office' | 'open'>;

/** A person on file with an email, a mobile, a home address and an open case: what must stay theirs. */
export async function personOnFile(ctx: TestContext, w: World, phone = '+447700900456') {
  const email = `${uniq('margaret')}@home.example`.toLowerCase();
  const person = await createConstituent(ctx, w.office, {
    givenName: 'Margaret', familyName: uniq('Onfile'), emails: [{ email }], phones: [{ number: phone, type: 'mobile', isPrimary: true, status: 'valid' }],
    addresses: [{ line1: '7 Quiet Close', postcode: 'RV1 9ZZ', isPrimary: true }],
  });
  const kase = await w.open({ subject: 'Housing benefit appeal', constituents: [{ constituentId: person.id, role: 'requester' }] });
  return { person, kase, email, phone };
}

/** Everything of a person intake could add to: their timeline's events, the cases they are on, the items recorded as sent by them. */
export async function traceOf(ctx: TestContext, officeId: string, constituentId: string) {
  const db = ctx.database.db;
  const ids = (rows: { id: string | number }[]) => rows.map((r) => String(r.id)).sort();
  return {
    events: ids(await db.selectFrom('events').select('id').where('office_id', '=', officeId).where('constituent_id', '=', constituentId).execute()),
    cases: (await db.selectFrom('case_constituents').select('case_id').where('office_id', '=', officeId).where('constituent_id', '=', constituentId).execute()).map((r) => r.case_id).sort(),
    items: ids(await db.selectFrom('inbound_items').select('id').where('office_id', '=', officeId).where('constituent_id', '=', constituentId).execute()),
  };
}

/** A public answer (page, JSON, XML, acknowledgement) names nothing of the record on file: not its names, address or case. */
export function expectNothingOf(text: string, person: Constituent, kase: Case): void {
  for (const secret of [person.givenName!, person.familyName!, '7 Quiet Close', 'RV1 9ZZ', kase.reference, kase.subject]) expect(text).not.toContain(secret);
}
