import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Constituent, ConstituentSummary } from '../../../contract/constituents.js';
import { asSession, createConstituent, createOffice, createTestApp, createUser, signIn, uniq, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

async function setup(role: 'admin' | 'caseworker' = 'admin') {
  const office = await createOffice(ctx);
  const user = await createUser(ctx, office, role);
  const api = asSession(ctx, await signIn(ctx, user));
  const create = async (body: object) => {
    const res = await api('POST', '/api/v1/constituents', { ignoreDuplicates: true, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Constituent;
  };
  const search = async (q: string, extra = '') => {
    const res = await api('GET', `/api/v1/constituents?q=${encodeURIComponent(q)}${extra}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as ConstituentSummary[];
  };
  return { office, user, api, create, search };
}

describe('constituent records', () => {
  it('creates a person with normalised contact points and reads it back', async () => {
    const { api, create } = await setup();
    const c = await create({
      givenName: ' Zoë ', familyName: 'Okafor', dateOfBirth: '1980-02-29', preferredChannel: 'sms', preferredLanguage: 'cy-GB', tags: ['housing', 'housing', 'vip'],
      emails: [{ email: ' Zoe.Okafor@Example.ORG ', type: 'work' }],
      phones: [{ number: '07700 900123' }, { number: '+1 (202) 555-0143', type: 'work', isPrimary: true }],
      addresses: [{ line1: '12 High St', postcode: 'CV21 2AA', lat: 52.37, lng: -1.26 }],
      externalIds: [{ system: 'voter_file', value: 'AB-123' }],
    });
    expect(c).toMatchObject({
      kind: 'person', displayName: 'Zoë Okafor', givenName: 'Zoë', dateOfBirth: '1980-02-29', preferredLanguage: 'cy-GB', tags: ['housing', 'vip'], status: 'active',
      emails: [{ email: 'zoe.okafor@example.org', type: 'work', isPrimary: true, status: 'valid' }],
      externalIds: [{ system: 'voter_file', value: 'AB-123' }],
    });
    expect(c.phones.map((p) => [p.number, p.isPrimary])).toEqual([['+12025550143', true], ['+447700900123', false]]);
    expect(c.phones.find((p) => p.number === '+447700900123')?.display).toBe('07700 900123');
    expect(c.addresses[0]).toMatchObject({ line1: '12 High St', lat: 52.37, lng: -1.26, locationSource: 'provided', isPrimary: true });
    expect((await api('GET', `/api/v1/constituents/${c.id}`)).json()).toEqual(c);
  });

  it('creates an organisation and refuses nameless records with the field at fault', async () => {
    const { api, create } = await setup();
    expect((await create({ kind: 'organisation', organisationName: 'Riverside Tenants Association' })).displayName).toBe('Riverside Tenants Association');
    const person = await api('POST', '/api/v1/constituents', { emails: [{ email: 'a@b.org' }] });
    expect(person.statusCode).toBe(400);
    expect(person.json().field).toBe('familyName');
    const org = await api('POST', '/api/v1/constituents', { kind: 'organisation', givenName: 'X' });
    expect(org.json().field).toBe('organisationName');
  });

  it('names the contact point at fault: bad phone, bad email, one-sided or out-of-world coordinates, repeated email', async () => {
    const { api } = await setup();
    const cases: [object, string][] = [
      [{ phones: [{ number: '01632 960000' }, { number: 'not a number' }] }, 'phones.1.number'],
      [{ phones: [{ number: '12' }] }, 'phones.0.number'],
      [{ emails: [{ email: 'nobody@' }] }, 'emails.0.email'],
      [{ addresses: [{ line1: '1 A Road', lat: 52 }] }, 'addresses.0.lat'],
      [{ addresses: [{ line1: '1 A Road', lat: 91, lng: 0 }] }, 'addresses.0.lat'],
      [{ addresses: [{ line1: '1 A Road', lat: 10, lng: -181 }] }, 'addresses.0.lng'],
      [{ emails: [{ email: 'x@y.org' }, { email: 'X@Y.org' }] }, 'emails.1'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/api/v1/constituents', { familyName: 'Field', ignoreDuplicates: true, ...body });
      expect([JSON.stringify(body), res.statusCode]).toEqual([JSON.stringify(body), 400]);
      expect([res.body, (res.json().errors ?? []).map((e: { field: string }) => e.field)]).toEqual([res.body, expect.arrayContaining([field])]);
    }
    expect((await api('GET', '/api/v1/constituents')).json().items).toEqual([]);
  });

  it('edits fields and replaces contact points, recording only what changed', async () => {
    const { api, create } = await setup();
    const c = await create({ givenName: 'Ann', familyName: 'Lee', emails: [{ email: 'ann@lee.org' }] });
    const res = await api('PATCH', `/api/v1/constituents/${c.id}`, { preferredName: 'Annie', phones: [{ number: '020 7946 0123', type: 'home' }], doNotContact: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ displayName: 'Annie Lee', doNotContact: true, emails: [{ email: 'ann@lee.org' }], phones: [{ number: '+442079460123', type: 'home' }] });
    const cleared = await api('PATCH', `/api/v1/constituents/${c.id}`, { givenName: null, familyName: null });
    expect(cleared.statusCode).toBe(400);
    const tl = (await api('GET', `/api/v1/constituents/${c.id}/timeline?kind=edit`)).json().items;
    expect(tl.map((e: { action: string }) => e.action)).toEqual(['updated', 'created']);
    expect(Object.keys(tl[0].after).sort()).toEqual(['displayName', 'doNotContact', 'phones', 'preferredName']);
  });

  it('warns when a new record matches an existing one, and creates it when told to anyway', async () => {
    const { api, create } = await setup();
    const first = await create({ givenName: 'Grace', familyName: 'Hopper', emails: [{ email: 'grace@navy.example' }] });
    const body = { givenName: 'Grace', familyName: 'Hoper', emails: [{ email: 'Grace@Navy.example' }] };
    const warned = await api('POST', '/api/v1/constituents', body);
    expect(warned.statusCode).toBe(409);
    expect(warned.json()).toMatchObject({ code: 'possible_duplicate', matches: [{ id: first.id, displayName: 'Grace Hopper' }] });
    expect(warned.json().matches[0].reasons.join(' ')).toMatch(/email/i);
    expect((await api('GET', '/api/v1/constituents')).json().items).toHaveLength(1);
    expect((await api('POST', '/api/v1/constituents', { ...body, ignoreDuplicates: true })).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/constituents', { givenName: 'Alan', familyName: 'Turing' })).statusCode).toBe(201);
  });

  it('refuses an external id that belongs to someone else', async () => {
    const { api, create } = await setup();
    const a = await create({ familyName: 'One', externalIds: [{ system: 'voter_file', value: 'V1' }] });
    const res = await api('POST', '/api/v1/constituents', { familyName: 'Two', ignoreDuplicates: true, externalIds: [{ system: 'voter_file', value: 'V1' }] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ field: 'externalIds.0.value', constituentId: a.id });
  });

  it('keeps offices apart: another office cannot read, edit or search a record', async () => {
    const mine = await setup();
    const theirs = await setup();
    const c = await mine.create({ givenName: 'Private', familyName: 'Person', emails: [{ email: 'private@person.org' }] });
    for (const [m, url] of [['GET', ''], ['PATCH', ''], ['GET', '/consents'], ['GET', '/timeline'], ['GET', '/relationships'], ['POST', '/notes']] as const) {
      const res = await theirs.api(m, `/api/v1/constituents/${c.id}${url}`, m === 'GET' ? undefined : m === 'PATCH' ? { tags: ['x'] } : { body: 'hi' });
      expect([url, m, res.statusCode]).toEqual([url, m, 404]);
    }
    expect(await theirs.search('private@person.org')).toEqual([]);
  });

  it('lets a caseworker create but not configure custom fields', async () => {
    const { api } = await setup('caseworker');
    expect((await api('POST', '/api/v1/constituents', { familyName: 'Case', ignoreDuplicates: true })).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/custom-fields', { key: 'k', label: 'K', type: 'text' })).statusCode).toBe(403);
  });
});

describe('search', () => {
  it('finds people by name with typos and transpositions, ranking the closest first', async () => {
    const { create, search } = await setup();
    const john = await create({ givenName: 'John', familyName: 'Smith' });
    await create({ givenName: 'Joan', familyName: 'Smithers' });
    await create({ givenName: 'Mary', familyName: 'Jones' });
    expect((await search('Jon Smth'))[0]?.id).toBe(john.id);
    expect((await search('smith john'))[0]?.id).toBe(john.id);
    expect((await search('Jhon Smiht')).map((r) => r.id)).toContain(john.id);
    expect((await search('Jones')).map((r) => r.displayName)).toEqual(['Mary Jones']);
    expect(await search('Zebedee')).toEqual([]);
  });

  it('finds people by email, phone in any format, postcode, address and external id', async () => {
    const { create, search } = await setup();
    const c = await create({
      givenName: 'Priya', familyName: 'Shah', emails: [{ email: 'priya.shah@example.net' }], phones: [{ number: '07700 900456' }],
      addresses: [{ line1: '4 Railway Terrace', postcode: 'CV21 3HQ' }], externalIds: [{ system: 'uprn', value: '100070123456' }],
    });
    await create({ givenName: 'Other', familyName: 'Person', addresses: [{ line1: '9 Mill Lane', postcode: 'CV22 5AB' }] });
    for (const q of ['PRIYA.SHAH@example.net', '+44 7700 900456', '07700900456', '(07700) 900-456', 'cv21 3hq', 'CV213HQ', '4 railway terrace', 'Railway Terr', '100070123456']) {
      expect([q, (await search(q)).map((r) => r.id)]).toEqual([q, [c.id]]);
    }
    const station = await create({ givenName: 'Sam', familyName: 'Station', addresses: [{ line1: '7 Station Road', postcode: 'CV21 1AA' }] });
    expect((await search('7 station rd')).map((r) => r.id)).toEqual([station.id]);
    const [hit] = await search('priya.shah@example.net');
    expect(hit).toMatchObject({ primaryEmail: 'priya.shah@example.net', primaryPhone: '07700 900456', primaryAddress: '4 Railway Terrace', postcode: 'CV21 3HQ', openCases: 0 });
  });

  it('filters by tag, custom field and kind, and pages with a cursor', async () => {
    const { api, create } = await setup();
    const field = await api('POST', '/api/v1/custom-fields', { key: 'newsletter', label: 'Newsletter', type: 'choice', options: ['weekly', 'monthly'] });
    expect(field.statusCode, field.body).toBe(201);
    for (let i = 0; i < 5; i++) await create({ givenName: `P${i}`, familyName: `Zed${i}`, tags: i % 2 ? ['odd'] : ['even'], customFields: { newsletter: i < 2 ? 'weekly' : 'monthly' } });
    await create({ kind: 'organisation', organisationName: 'Acme', tags: ['odd'] });
    const get = async (qs: string) => (await api('GET', `/api/v1/constituents?${qs}`)).json();
    expect((await get('tag=odd')).items.map((r: ConstituentSummary) => r.displayName)).toEqual(['Acme', 'P1 Zed1', 'P3 Zed3']);
    expect((await get('tag=odd&kind=person')).items).toHaveLength(2);
    expect((await get('field=newsletter:weekly')).items.map((r: ConstituentSummary) => r.displayName)).toEqual(['P0 Zed0', 'P1 Zed1']);
    expect((await api('GET', '/api/v1/constituents?field=newsletter:daily')).json()).toMatchObject({ code: 'validation_failed', field: 'field' });
    const first = await get('limit=4');
    expect(first.items).toHaveLength(4);
    const second = await get(`limit=4&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((r: ConstituentSummary) => r.id)).size).toBe(6);
    expect((await api('GET', '/api/v1/constituents?cursor=bogus')).statusCode).toBe(400);
    // search results page too
    const s1 = await get('q=zed&limit=3');
    const s2 = await get(`q=zed&limit=3&cursor=${s1.nextCursor}`);
    expect(new Set([...s1.items, ...s2.items].map((r: ConstituentSummary) => r.id)).size).toBe(5);
  });

  it('pages through many fuzzy and shared-value matches: each record once, best first, none lost', async () => {
    const { api, create } = await setup();
    // 12 given × 3 family spellings: more word combinations than the first probe covers.
    const given = ['Ann', 'Anne', 'Anna', 'Annie', 'Anita', 'Annette', 'Hannah', 'Joanne', 'Jeanne', 'Annika', 'Annabel', 'Dianne'];
    const family = ['Lee', 'Leigh', 'Lea'];
    const people = [];
    for (const [i, g] of given.entries()) {
      for (const f of family) people.push(await create({ givenName: g, familyName: f, phones: [{ number: '020 7946 0000' }], tags: i % 2 ? ['odd'] : [] }));
    }
    // A record matching two combinations ("ann" and "anne" both fit) must still come once.
    const both = await create({ givenName: 'Ann', preferredName: 'Anne', familyName: 'Lee', phones: [{ number: '020 7946 0000' }] });
    const all = async (q: string, extra = '') => {
      const seen: ConstituentSummary[] = [];
      let cursor: string | null = null;
      do {
        const res = await api('GET', `/api/v1/constituents?q=${encodeURIComponent(q)}&limit=4${extra}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        seen.push(...res.json().items);
        cursor = res.json().nextCursor;
      } while (cursor);
      return seen;
    };
    const byName = await all('ann lee');
    const ids = byName.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(both.id);
    expect(byName[0]!.displayName).toMatch(/^Ann (Anne )?Lee$/);
    const scores = byName.map((r) => r.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(byName.some((r) => r.displayName === 'Annette Leigh')).toBe(true);
    // Every record sharing the phone, across pages, exactly once; filters apply before paging.
    const byPhone = (await all('020 7946 0000')).map((r) => r.id);
    expect(new Set(byPhone)).toEqual(new Set([...people.map((p) => p.id), both.id]));
    expect(byPhone).toHaveLength(people.length + 1);
    const odd = (await all('020 7946 0000', '&tag=odd')).map((r) => r.id);
    expect(odd.sort()).toEqual(people.filter((_, k) => Math.floor(k / 3) % 2 === 1).map((p) => p.id).sort());
  });

  it('filters by open cases', async () => {
    const { office, api, create } = await setup();
    const withCase = await create({ familyName: 'Casey' });
    await create({ familyName: 'Noone' });
    await ctx.database.db.insertInto('cases').values({ office_id: office.id, reference: uniq('C'), subject: 'Pothole', channel: 'email', requester_id: withCase.id }).execute();
    const open = (await api('GET', '/api/v1/constituents?hasOpenCase=true')).json().items;
    expect(open.map((r: ConstituentSummary) => [r.displayName, r.openCases])).toEqual([['Casey', 1]]);
    expect((await api('GET', '/api/v1/constituents?hasOpenCase=false')).json().items.map((r: ConstituentSummary) => r.displayName)).toEqual(['Noone']);
  });
});

describe('custom fields', () => {
  it('validates values by type and requires required fields', async () => {
    const { api, create } = await setup();
    for (const f of [
      { key: 'ward_notes', label: 'Ward notes', type: 'text' }, { key: 'age_band', label: 'Age band', type: 'number' },
      { key: 'registered', label: 'Registered', type: 'date' }, { key: 'interests', label: 'Interests', type: 'multi_choice', options: ['parks', 'roads'] },
    ]) expect((await api('POST', '/api/v1/custom-fields', f)).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/custom-fields', { key: 'bad', label: 'Bad', type: 'choice' })).json().field).toBe('options');
    const c = await create({ familyName: 'Fields', customFields: { age_band: '42', registered: '2024-05-01', interests: ['parks', 'parks'] } });
    expect(c.customFields).toEqual({ age_band: 42, registered: '2024-05-01', interests: ['parks'] });
    for (const [value, key] of [[{ age_band: 'old' }, 'age_band'], [{ registered: '2024-13-01' }, 'registered'], [{ interests: ['golf'] }, 'interests'], [{ unknown_key: 'x' }, 'unknown_key']] as const) {
      const res = await api('PATCH', `/api/v1/constituents/${c.id}`, { customFields: value });
      expect([key, res.statusCode, res.json().field]).toEqual([key, 400, `customFields.${key}`]);
    }
    const list = (await api('GET', '/api/v1/custom-fields')).json().items;
    const notes = list.find((f: { key: string }) => f.key === 'ward_notes');
    expect((await api('PATCH', `/api/v1/custom-fields/${notes.id}`, { isRequired: true })).statusCode).toBe(200);
    const missing = await api('POST', '/api/v1/constituents', { familyName: 'Missing', ignoreDuplicates: true });
    expect(missing.json()).toMatchObject({ code: 'validation_failed', field: 'customFields.ward_notes' });
    const interests = list.find((f: { key: string }) => f.key === 'interests');
    expect((await api('PATCH', `/api/v1/custom-fields/${interests.id}`, { options: ['roads'] })).statusCode).toBe(409);
  });
});

describe('consent and contact preferences', () => {
  it('answers may-we-contact by the rules, and the ledger keeps every statement', async () => {
    const { api, create } = await setup();
    const c = await create({ familyName: 'Consent', emails: [{ email: 'consent@example.org' }], phones: [{ number: '020 7946 0999', type: 'home' }] });
    const check = async (channel: string, purpose: string) => (await api('GET', `/api/v1/constituents/${c.id}/contact-check?channel=${channel}&purpose=${purpose}`)).json();
    expect(await check('email', 'casework')).toMatchObject({ allowed: true, reason: 'no_consent_needed' });
    expect(await check('email', 'outreach')).toMatchObject({ allowed: false, reason: 'no_consent' });
    expect(await check('sms', 'casework')).toMatchObject({ allowed: false, reason: 'no_contact_point' });
    expect(await check('post', 'casework')).toMatchObject({ allowed: false, reason: 'no_contact_point' });
    const granted = await api('POST', `/api/v1/constituents/${c.id}/consents`, { channel: 'email', purpose: 'outreach', status: 'granted', source: 'web_form', evidence: 'Ticked box on newsletter form' });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(await check('email', 'outreach')).toMatchObject({ allowed: true, reason: 'consent_granted' });
    await api('POST', `/api/v1/constituents/${c.id}/consents`, { channel: 'email', purpose: 'outreach', status: 'withdrawn', source: 'phone', evidence: 'Asked on call' });
    expect(await check('email', 'outreach')).toMatchObject({ allowed: false, reason: 'consent_withdrawn' });
    await api('POST', `/api/v1/constituents/${c.id}/consents`, { channel: 'email', purpose: 'surveys', status: 'granted', source: 'paper' });
    await api('PATCH', `/api/v1/constituents/${c.id}`, { bulkOptOut: true });
    expect(await check('email', 'surveys')).toMatchObject({ allowed: false, reason: 'bulk_opt_out' });
    expect(await check('email', 'casework')).toMatchObject({ allowed: true });
    await api('PATCH', `/api/v1/constituents/${c.id}`, { doNotContact: true });
    expect(await check('email', 'casework')).toMatchObject({ allowed: false, reason: 'do_not_contact' });
    const overview = (await api('GET', `/api/v1/constituents/${c.id}/consents`)).json();
    expect(overview.flags).toEqual({ doNotContact: true, bulkOptOut: true, unsubscribed: false });
    expect(overview.current).toHaveLength(12);
    expect(overview.history.map((h: { status: string; source: string }) => `${h.status}:${h.source}`)).toEqual(['granted:paper', 'withdrawn:phone', 'granted:web_form']);
    expect(overview.history[2]).toMatchObject({ evidence: 'Ticked box on newsletter form', recordedBy: expect.any(String) });
  });

  it('refuses bad consent input and never lets the ledger be edited', async () => {
    const { office, api, create } = await setup();
    const c = await create({ familyName: 'Ledger' });
    for (const body of [{ channel: 'fax', purpose: 'casework', status: 'granted', source: 'paper' }, { channel: 'email', purpose: 'casework', status: 'maybe', source: 'paper' },
      { channel: 'email', purpose: 'casework', status: 'granted', source: 'paper', effectiveAt: '2999-01-01T00:00:00Z' }]) {
      expect((await api('POST', `/api/v1/constituents/${c.id}/consents`, body)).statusCode).toBe(400);
    }
    await api('POST', `/api/v1/constituents/${c.id}/consents`, { channel: 'email', purpose: 'casework', status: 'granted', source: 'paper' });
    await expect(ctx.database.db.updateTable('consents').set({ status: 'withdrawn' }).where('office_id', '=', office.id).execute()).rejects.toThrow(/never edited/);
  });
});

describe('timeline, notes, relationships and households', () => {
  it('shows notes, consents, relationships and edits newest first, filtered by kind, with paging', async () => {
    const { api, create } = await setup();
    const a = await create({ givenName: 'Ada', familyName: 'Parent' });
    const b = await create({ givenName: 'Bo', familyName: 'Child' });
    expect((await api('POST', `/api/v1/constituents/${a.id}/notes`, { body: 'Called about the bins' })).statusCode).toBe(201);
    const rel = await api('POST', `/api/v1/constituents/${a.id}/relationships`, { relatedId: b.id, kind: 'parent_of' });
    expect(rel.json()).toMatchObject({ kind: 'parent_of', label: 'parent_of', other: { id: b.id, displayName: 'Bo Child' } });
    expect((await api('GET', `/api/v1/constituents/${b.id}/relationships`)).json().items[0]).toMatchObject({ label: 'child_of', other: { id: a.id } });
    expect((await api('POST', `/api/v1/constituents/${a.id}/relationships`, { relatedId: b.id, kind: 'parent_of' })).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/constituents/${a.id}/relationships`, { relatedId: a.id, kind: 'spouse' })).statusCode).toBe(400);
    await api('POST', `/api/v1/constituents/${a.id}/consents`, { channel: 'email', purpose: 'surveys', status: 'granted', source: 'in_person' });
    const all = (await api('GET', `/api/v1/constituents/${a.id}/timeline`)).json().items;
    expect(all.map((e: { kind: string }) => e.kind)).toEqual(['consent', 'relationship', 'note', 'edit']);
    expect(all[2].summary).toBe('Note: Called about the bins');
    expect((await api('GET', `/api/v1/constituents/${a.id}/timeline?kind=note`)).json().items).toHaveLength(1);
    const p1 = (await api('GET', `/api/v1/constituents/${a.id}/timeline?limit=3`)).json();
    const p2 = (await api('GET', `/api/v1/constituents/${a.id}/timeline?limit=3&cursor=${p1.nextCursor}`)).json();
    expect([...p1.items, ...p2.items].map((e: { id: string }) => e.id)).toEqual(all.map((e: { id: string }) => e.id));
    const del = await api('DELETE', `/api/v1/constituents/${b.id}/relationships/${rel.json().id}`);
    expect(del.statusCode).toBe(204);
    expect((await api('GET', `/api/v1/constituents/${a.id}/relationships`)).json().items).toEqual([]);
  });

  it('groups people into a household and dissolves it', async () => {
    const { api, create } = await setup();
    const a = await create({ givenName: 'Ida', familyName: 'Home' });
    const b = await create({ givenName: 'Jo', familyName: 'Home' });
    const h = await api('POST', '/api/v1/households', { name: 'The Homes', memberIds: [a.id, b.id] });
    expect(h.statusCode, h.body).toBe(201);
    expect((await api('GET', `/api/v1/constituents/${a.id}`)).json().household).toMatchObject({ name: 'The Homes', members: [{ displayName: 'Ida Home' }, { displayName: 'Jo Home' }] });
    expect((await api('POST', '/api/v1/households', { name: 'X', memberIds: [crypto.randomUUID()] })).json().field).toBe('memberIds.0');
    expect((await api('DELETE', `/api/v1/households/${h.json().id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/v1/constituents/${a.id}`)).json().household).toBeNull();
  });
});

describe('factories', () => {
  it('createConstituent makes an active record in the office', async () => {
    const office = await createOffice(ctx);
    const c = await createConstituent(ctx, office, { tags: ['t'] });
    expect(c).toMatchObject({ status: 'active', tags: ['t'] });
  });
});
