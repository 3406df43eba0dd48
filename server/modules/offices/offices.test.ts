import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUSINESS_HOURS } from '../../../contract/offices.js';
import { asSession, createOffice, createTestApp, createUser, signIn, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

async function setup() {
  const office = await createOffice(ctx, { name: 'Ward 7 Office', timeZone: 'Europe/Paris' });
  const admin = await createUser(ctx, office, 'admin');
  return { office, admin, api: asSession(ctx, await signIn(ctx, admin)) };
}

const HOURS = { mon: [['08:00', '12:00'], ['13:00', '18:00']], tue: [['08:00', '18:00']], wed: [], thu: [['09:00', '17:00']], fri: [['09:00', '16:30']], sat: [['10:00', '12:00']], sun: [] };

describe('the office', () => {
  it('shows its settings, with the defaults of a new office', async () => {
    const { office, api } = await setup();
    const res = await api('GET', '/api/v1/office');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: office.id, slug: office.slug, name: 'Ward 7 Office', timeZone: 'Europe/Paris', locale: 'en-GB', defaultRegion: 'GB', businessHours: DEFAULT_BUSINESS_HOURS, branding: {} });
  });

  it('updates its settings, keeps what was not sent and records the change', async () => {
    const { api } = await setup();
    const before = (await api('GET', '/api/v1/office')).json();
    const res = await api('PATCH', '/api/v1/office', { name: ' Ward 7 ', timeZone: 'America/Chicago', locale: 'es-US', defaultRegion: 'US', businessHours: HOURS, branding: { primaryColor: '#0a5c36', logoUrl: 'https://example.org/logo.svg' } });
    expect(res.statusCode).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ name: 'Ward 7', timeZone: 'America/Chicago', locale: 'es-US', defaultRegion: 'US', businessHours: HOURS, branding: { primaryColor: '#0a5c36' } });
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect((await api('GET', '/api/v1/office')).json()).toEqual(after);

    const partial = (await api('PATCH', '/api/v1/office', { name: 'Ward Seven' })).json();
    expect(partial).toMatchObject({ name: 'Ward Seven', timeZone: 'America/Chicago', businessHours: HOURS });

    const ev = (await api('GET', '/api/v1/audit?entityType=office&action=updated')).json().items;
    expect(ev.map((e: { before: { name: string }; after: { name: string } }) => [e.before.name, e.after.name])).toEqual([['Ward 7', 'Ward Seven'], ['Ward 7 Office', 'Ward 7']]);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    [{ timeZone: '' }, 'timeZone'],
    [{ name: '   ' }, 'name'],
    [{ locale: 'english' }, 'locale'],
    [{ defaultRegion: 'gb' }, 'defaultRegion'],
    [{ businessHours: { ...HOURS, mon: [['17:00', '09:00']] } }, 'businessHours.mon'],
    [{ businessHours: { ...HOURS, tue: [['9am', '5pm']] } }, 'businessHours.tue.0.0'],
    [{ businessHours: { ...HOURS, wed: [['24:00', '24:30']] } }, 'businessHours.wed.0.0'],
    [{ businessHours: { ...HOURS, thu: [['09:00']] } }, 'businessHours.thu.0'],
    [{ businessHours: { ...HOURS, fri: Array(5).fill(['09:00', '10:00']) } }, 'businessHours.fri'],
    [{ businessHours: { mon: [] } }, 'businessHours.tue'],
    [{ businessHours: { ...HOURS, holiday: [] } }, 'businessHours.holiday'],
    [{ branding: { primaryColor: 'green' } }, 'branding.primaryColor'],
    [{ branding: { logoUrl: 'not a url' } }, 'branding.logoUrl'],
  ])('refuses %j with 400 naming %s, changing nothing', async (body, field) => {
    const { api } = await setup();
    const before = (await api('GET', '/api/v1/office')).json();
    const res = await api('PATCH', '/api/v1/office', body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'validation_failed', field });
    expect((await api('GET', '/api/v1/office')).json()).toEqual(before);
    expect((await api('GET', '/api/v1/audit?entityType=office&action=updated')).json().items).toEqual([]);
  });

  it('lets every role read the office but only admins change it', async () => {
    const { office } = await setup();
    for (const role of ['manager', 'caseworker', 'volunteer', 'analyst'] as const) {
      const api = asSession(ctx, await signIn(ctx, await createUser(ctx, office, role)));
      expect((await api('GET', '/api/v1/office')).statusCode).toBe(200);
      expect((await api('PATCH', '/api/v1/office', { name: `Taken over by ${role}` })).statusCode).toBe(403);
    }
    const admin = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'admin')));
    expect((await admin('GET', '/api/v1/office')).json().name).toBe('Ward 7 Office');
  });
});
