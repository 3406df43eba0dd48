// Area alerts through the portal's pages and the job's own function: subscribe, confirm by the
// emailed link, one email per run listing only publicly placed reports of the area (never a
// sensitive one, a private category's, another ward's, one outside the circle, another
// office's, or a duplicate), nothing twice when the job runs again, the daily digest at 07:00
// office time only, nothing before confirmation, unsubscribe (GET asks, POST does, one-click
// from a mail client), the limits, HTML shown as text, and bad or expired links. The job is run
// here, with a clock of the test's own, rather than by a queue.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import { createTestApp, randomIp, uniq, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { ok, type Staff } from '../cases/cases.testkit.js';
import { importRegister } from '../geo/geo.register.js';
import { configureOutbox } from '../messages/messages.outbox.js';
import { aged, get, portalOffice, postForm, redirected, textOf } from '../portal/portal.testkit.js';
import { nextDigestAt } from './alerts.schedule.js';
import { runAlerts } from './alerts.send.js';
import { issueToken } from './alerts.tokens.js';

const PUBLIC_URL = 'https://civitas.town.example';
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', PUBLIC_URL });
  configureOutbox({ jobs: () => undefined, from: 'Town Hall <alerts@town.example>', publicUrl: PUBLIC_URL });
});
afterAll(async () => ctx.close());

const square = (x: number) => [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]];

/** An office with its portal on, two wards side by side (lng 0..1 and 1..2) and a register with two "Mill Lane" addresses and one "Station Road". */
async function alertOffice(timeZone?: string) {
  const w = await portalOffice(ctx);
  if (timeZone) ok(await w.admin.api('PATCH', '/api/v1/office', { timeZone }), 200);
  const features = [['W1', 'North ward', 0], ['W2', 'South ward', 1]].map(([code, name, x]) => ({ type: 'Feature', properties: { code, name }, geometry: { type: 'Polygon', coordinates: [square(x as number)] } }));
  ok(await w.admin.api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features } }), 200);
  const wards = (ok(await w.admin.api('GET', '/api/v1/geo/boundaries?layer=ward'), 200) as { items: { id: string; code: string }[] }).items;
  const csv = 'line1,postcode,lat,lng\n12 Mill Lane,AB1 2CD,0.5,0.5\n14 Mill Lane,AB1 2CD,0.5,0.5002\n3 Station Road,EF3 4GH,0.2,0.3\n9 Far Away,ZZ9 9ZZ,5,5\n';
  await importRegister(systemScope(ctx.database.db, w.office.id), Readable.from([csv]));
  return { ...w, ward1: wards.find((b) => b.code === 'W1')!.id, ward2: wards.find((b) => b.code === 'W2')!.id };
}
type World = Awaited<ReturnType<typeof alertOffice>>;

const openCase = async (as: Staff, categoryId: string, at: { lat: number; lng: number }, extra: object = {}) =>
  ok(await as.api('POST', '/api/v1/cases', { subject: 'Secret subject line', description: 'Private words from Ada Lovelace', channel: 'web', categoryId, location: { address: '1 Home Street', ...at }, ...extra }), 201) as Case;

async function form(w: World, fields: Record<string, string>) {
  return { email: `${uniq('ada')}@resident.example`, area: 'ward', wardId: w.ward1, frequency: 'immediate', consent: 'yes', formToken: await aged(ctx, w.office.id), ...fields };
}

const mails = async (officeId: string, kind: string) =>
  ctx.database.db.selectFrom('outbound_messages').select(['to_address', 'subject', 'body_text', 'headers', 'dedupe_key']).where('office_id', '=', officeId).where('kind', '=', kind).orderBy('created_at').execute();

/** The path of an emailed link (confirm, manage, unsubscribe, reports). */
const linkIn = (text: string, kind: string) => new URL(new RegExp(`${PUBLIC_URL}/portal/[^/]+/alerts/${kind}/[A-Za-z0-9_-]+\\?lang=[a-z]+`).exec(text)![0]).pathname;

/** Subscribes and confirms by the emailed link; returns the address and the confirmation email. */
async function subscribed(w: World, fields: Record<string, string> = {}) {
  const f = await form(w, fields);
  expect(redirected(await postForm(ctx, `/portal/${w.slug}/alerts?lang=${fields.lang ?? 'en'}`, f))).toBe(`/portal/${w.slug}/alerts/sent?lang=${fields.lang ?? 'en'}`);
  const confirmation = (await mails(w.office.id, 'area_alert.confirm')).filter((m) => m.to_address === f.email).at(-1)!;
  const confirmPath = linkIn(confirmation.body_text, 'confirm');
  const manage = redirected(await postForm(ctx, confirmPath, { formToken: await aged(ctx, w.office.id) }));
  expect(manage).toMatch(/\/alerts\/manage\/[A-Za-z0-9_-]+\?lang=en&done=confirmed$/);
  return { email: f.email, confirmation, confirmPath, manage };
}

const later = (minutes: number, from = Date.now()) => new Date(from + minutes * 60_000);

describe('area alerts', () => {
  it('confirms by the emailed link, then sends one alert with the new report and a one-click unsubscribe, and nothing twice', async () => {
    const w = await alertOffice();
    const f = await form(w, {});
    const home = await get(ctx, `/portal/${w.slug}?lang=en`);
    expect(home.body).toContain(`href="/portal/${w.slug}/alerts?lang=en"`);
    const page = await get(ctx, `/portal/${w.slug}/alerts?lang=en`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('North ward');
    redirected(await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, f));
    const [confirmation] = await mails(w.office.id, 'area_alert.confirm');
    expect(confirmation!.to_address).toBe(f.email);
    expect(confirmation!.body_text).toContain('in North ward');
    // Not confirmed yet: a matching report sends nothing.
    const before = await openCase(w.admin, w.category.id, { lat: 0.4, lng: 0.4 });
    await runAlerts(ctx.database, PUBLIC_URL, later(6));
    expect(await mails(w.office.id, 'area_alert')).toHaveLength(0);
    // The link shows a button; only the button's post confirms.
    const confirmPath = linkIn(confirmation!.body_text, 'confirm');
    const ask = await get(ctx, confirmPath);
    expect(ask.statusCode).toBe(200);
    expect(textOf(ask.body)).toContain('Confirm my alerts');
    const manage = await get(ctx, redirected(await postForm(ctx, confirmPath, { formToken: await aged(ctx, w.office.id) })));
    expect(textOf(manage.body)).toContain('Your alerts are on');
    expect(textOf(manage.body)).toContain('in North ward');
    // A second subscription of the address, for one category in the other ward: both listed, each worded with its names.
    const second = await form(w, { email: f.email, wardId: w.ward2, categoryId: w.category.id, frequency: 'daily' });
    redirected(await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, second));
    expect((await mails(w.office.id, 'area_alert.confirm')).at(-1)!.body_text).toContain(`in South ward (${w.category.name})`);
    const both = textOf((await get(ctx, redirected(await postForm(ctx, confirmPath, { formToken: await aged(ctx, w.office.id) })))).body);
    expect(both).toContain('in North ward');
    expect(both).toContain(`in South ward (${w.category.name})`);

    const report = await openCase(w.admin, w.category.id, { lat: 0.5, lng: 0.5 });
    const otherWard = await openCase(w.admin, w.category.id, { lat: 0.5, lng: 1.5 });
    const run = later(6);
    await runAlerts(ctx.database, PUBLIC_URL, run);
    await runAlerts(ctx.database, PUBLIC_URL, run); // the same run delivered again
    await runAlerts(ctx.database, PUBLIC_URL, later(1, run.getTime()));
    const sent = await mails(w.office.id, 'area_alert');
    expect(sent).toHaveLength(1);
    const alert = sent[0]!;
    expect(alert.to_address).toBe(f.email);
    expect(alert.subject).toBe('1 new report in North ward');
    expect(alert.body_text).toContain(report.reference);
    expect(alert.body_text).toContain('North ward · Received');
    for (const absent of [before.reference, otherWard.reference, 'Secret subject', 'Private words', 'Ada Lovelace', 'Home Street']) expect(alert.body_text).not.toContain(absent);
    const unsubscribe = linkIn(alert.body_text, 'unsubscribe');
    const headers = alert.headers as Record<string, string>;
    expect(headers['List-Unsubscribe']).toBe(`<${PUBLIC_URL}${unsubscribe}?lang=en>`);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(linkIn(alert.body_text, 'manage')).toMatch(/\/alerts\/manage\//);
  });

  it('tells of reports within the circle only, never sensitive, private-category, duplicate or other-office ones', async () => {
    const w = await alertOffice();
    const other = await alertOffice();
    const choose = await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, await form(w, { area: 'address', address: 'Mill Lane', radius: '500' }));
    expect(choose.statusCode).toBe(200);
    expect(textOf(choose.body)).toContain('Several addresses match');
    const millLane = /name="addressId" value="([^"]+)"/.exec(choose.body)![1]!;
    const { email } = await subscribed(w, { area: 'address', address: 'Mill Lane', addressId: millLane, radius: '500' });
    const privateCategory = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Domestic abuse'), locationPrivate: true }), 201) as { id: string };
    const near = await openCase(w.admin, w.category.id, { lat: 0.503, lng: 0.5 }); // about 330 m
    const cornerOfBox = await openCase(w.admin, w.category.id, { lat: 0.504, lng: 0.504 }); // inside the box, 630 m away
    const far = await openCase(w.admin, w.category.id, { lat: 0.52, lng: 0.5 });
    const sensitive = await openCase(w.admin, w.category.id, { lat: 0.5, lng: 0.5 }, { isSensitive: true });
    const hidden = await openCase(w.admin, privateCategory.id, { lat: 0.5, lng: 0.5 });
    const duplicate = await openCase(w.admin, w.category.id, { lat: 0.5005, lng: 0.5 });
    ok(await w.admin.api('POST', `/api/v1/cases/${duplicate.id}/duplicate-of`, { originalId: near.id }), 200);
    const elsewhere = await openCase(other.admin, other.category.id, { lat: 0.5, lng: 0.5 });
    await runAlerts(ctx.database, PUBLIC_URL, later(6));
    const [alert, ...more] = await mails(w.office.id, 'area_alert');
    expect(more).toHaveLength(0);
    expect(alert!.to_address).toBe(email);
    expect(alert!.subject).toBe('1 new report within 500 m of 12 Mill Lane, AB1 2CD');
    expect(alert!.body_text).toContain(`${near.reference} · `);
    expect(alert!.body_text).toContain('about 350 m away');
    for (const c of [cornerOfBox, far, sensitive, hidden, duplicate]) expect(alert!.body_text).not.toContain(c.reference);
    // One report listed (references are per office: the other office's may read the same).
    expect(alert!.body_text.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(1);
    expect(elsewhere.id).not.toBe(near.id);
    expect(await mails(other.office.id, 'area_alert')).toHaveLength(0);
  });

  it('sends a daily digest at 07:00 office time only, and nothing when there is nothing new', async () => {
    const zone = 'America/New_York';
    const w = await alertOffice(zone);
    const busy = await subscribed(w, { frequency: 'daily', wardId: w.ward1 });
    const quiet = await subscribed(w, { frequency: 'daily', wardId: w.ward2 });
    const reports = [];
    for (let i = 0; i < 12; i++) reports.push(await openCase(w.admin, w.category.id, { lat: 0.3, lng: 0.3 + i / 100 }));
    const seven = nextDigestAt(later(6), zone);
    await runAlerts(ctx.database, PUBLIC_URL, new Date(seven.getTime() - 60_000));
    expect(await mails(w.office.id, 'area_alert')).toHaveLength(0);
    await runAlerts(ctx.database, PUBLIC_URL, new Date(seven.getTime() + 60_000));
    await runAlerts(ctx.database, PUBLIC_URL, new Date(seven.getTime() + 120_000));
    const sent = await mails(w.office.id, 'area_alert');
    expect(sent.map((m) => m.to_address)).toEqual([busy.email]);
    expect(sent[0]!.subject).toBe("Today's summary: 12 new reports in North ward");
    expect(sent[0]!.body_text).toContain('And 2 more: ');
    for (const r of reports.slice(0, 10)) expect(sent[0]!.body_text).toContain(r.reference);
    expect(sent[0]!.body_text).not.toContain(reports[11]!.reference);
    // "And 2 more" links to the area's reports of the last 30 days.
    const all = await get(ctx, linkIn(sent[0]!.body_text, 'reports'));
    expect(all.statusCode).toBe(200);
    for (const r of reports) expect(all.body).toContain(r.reference);
    const next = await ctx.database.db.selectFrom('alert_subscriptions').select(['email', 'next_digest_at']).where('office_id', '=', w.office.id).execute();
    for (const s of next) expect(s.next_digest_at!.getTime()).toBe(nextDigestAt(new Date(seven.getTime() + 60_000), zone).getTime());
    expect(next.map((s) => s.email).sort()).toEqual([busy.email, quiet.email].sort());
  });

  it('unsubscribes by the button or a one-click post from the mail client, never by opening the link', async () => {
    const w = await alertOffice();
    const a = await subscribed(w);
    const b = await subscribed(w, { email: a.email, wardId: w.ward2 });
    const c = await subscribed(w, { email: a.email, frequency: 'daily' });
    const d = await subscribed(w);
    const manage = await get(ctx, a.manage);
    expect((manage.body.match(/alerts\/unsubscribe\//g) ?? []).length).toBe(3); // a's address only, not d's
    const [first, second, third] = [...manage.body.matchAll(/action="(\/portal\/[^"]+\/alerts\/unsubscribe\/[^"?]+)/g)].map((m) => m[1]!);
    const count = async () => (await ctx.database.db.selectFrom('alert_subscriptions').select('id').where('office_id', '=', w.office.id).execute()).length;
    expect(await count()).toBe(4);
    const ask = await get(ctx, first!);
    expect(textOf(ask.body)).toContain('Stop the alerts');
    expect(await count()).toBe(4);
    // A post without the form token (another site's form) is refused.
    expect((await postForm(ctx, first!, {})).statusCode).toBe(400);
    expect(await count()).toBe(4);
    expect(redirected(await postForm(ctx, first!, { formToken: await aged(ctx, w.office.id) }))).toMatch(/\/alerts\/manage\/.+done=unsubscribed/);
    expect(await count()).toBe(3);
    const oneClick = await ctx.app.inject({ method: 'POST', url: second!, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'ExampleMail/1.0' }, remoteAddress: randomIp() });
    expect(oneClick.statusCode).toBe(200);
    expect(textOf(oneClick.body)).toContain('You are unsubscribed');
    const multipart = await ctx.app.inject({
      method: 'POST', url: third!, headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      payload: '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XyZ--\r\n',
    });
    expect(multipart.statusCode).toBe(200);
    expect(await count()).toBe(1);
    // Again: still fine, and the page says so.
    expect((await ctx.app.inject({ method: 'POST', url: second!, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(200);
    expect(textOf((await get(ctx, second!)).body)).toContain('You are unsubscribed');
    expect([b, c, d]).toHaveLength(3);
  });

  it('limits confirmations per address and per client, and keeps what was typed, as text', async () => {
    const w = await alertOffice();
    const ip = randomIp();
    const email = `${uniq('flood')}@resident.example`;
    for (const wardId of [w.ward1, w.ward2, w.ward1]) redirected(await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, await form(w, { email, wardId }), {}, ip));
    const refused = await postForm(ctx, `/portal/${w.slug}/alerts?lang=es`, await form(w, { email, wardId: w.ward2 }), {}, ip);
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('Ya hemos enviado varios correos de confirmación');
    expect((await mails(w.office.id, 'area_alert.confirm')).filter((m) => m.to_address === email)).toHaveLength(3);
    for (let i = 0; i < 7; i++) redirected(await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, await form(w, {}), {}, ip));
    const tooMany = await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, await form(w, {}), {}, ip);
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.headers['retry-after']).toBeDefined();

    const typed = await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, { email: '<b>ada</b>', area: 'address', address: '<script>alert(1)</script>', radius: '500', frequency: 'immediate', formToken: await aged(ctx, w.office.id) });
    expect(typed.statusCode).toBe(400);
    expect(typed.body).not.toContain('<script>alert(1)');
    expect(typed.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(typed.body).toContain('value="&lt;b&gt;ada&lt;/b&gt;"');
    const text = textOf(typed.body);
    expect(text).toContain('Enter an email address');
    expect(text).toContain('Tick the box to agree');
    const missing = await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, await form(w, { area: 'address', address: 'Nowhere Street 99', radius: '500' }));
    expect(textOf(missing.body)).toContain('We could not find this address');
    const outside = await postForm(ctx, `/portal/${w.slug}/alerts?lang=en`, await form(w, { area: 'address', address: '9 Far Away', radius: '500' }));
    expect(textOf(outside.body)).toContain('outside the area');
  });

  it('refuses tampered, expired, misused and other offices\' links, and never alerts an address that did not confirm', async () => {
    const w = await alertOffice();
    const other = await alertOffice();
    const s = await subscribed(w, { lang: 'es' });
    expect(s.confirmation.body_text).toContain('Para empezar a recibirlos');
    const id = (await ctx.database.db.selectFrom('alert_subscriptions').select('id').where('office_id', '=', w.office.id).executeTakeFirstOrThrow()).id;
    const base = `/portal/${w.slug}/alerts`;
    const token = s.confirmPath.split('/').at(-1)!;
    const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expect((await get(ctx, `${base}/confirm/${tampered}`)).statusCode).toBe(404);
    expect((await get(ctx, `${base}/unsubscribe/${token}`)).statusCode).toBe(404); // a confirm token does not unsubscribe
    expect((await get(ctx, `/portal/${other.slug}/alerts/confirm/${token}`)).statusCode).toBe(404);
    const old = await issueToken(ctx.database.db, w.office.id, 'confirm', id, Date.now() - 8 * 86_400_000);
    const expired = await get(ctx, `${base}/confirm/${old}?lang=en`);
    expect(expired.statusCode).toBe(410);
    expect(textOf(expired.body)).toContain('This link has expired');
    const oldManage = await issueToken(ctx.database.db, w.office.id, 'manage', id, Date.now() - 91 * 86_400_000);
    expect((await get(ctx, `${base}/manage/${oldManage}`)).statusCode).toBe(410);
    // An unsubscribe link does not expire.
    const oldUnsubscribe = await issueToken(ctx.database.db, w.office.id, 'unsubscribe', id, Date.now() - 900 * 86_400_000);
    expect((await get(ctx, `${base}/unsubscribe/${oldUnsubscribe}`)).statusCode).toBe(200);

    // Sign-ups nobody confirmed get nothing, and go once their link has expired.
    const pending = await form(w, {});
    redirected(await postForm(ctx, `${base}?lang=en`, pending));
    await openCase(w.admin, w.category.id, { lat: 0.5, lng: 0.5 });
    await runAlerts(ctx.database, PUBLIC_URL, later(6));
    expect((await mails(w.office.id, 'area_alert')).map((m) => m.to_address)).toEqual([s.email]);
    await runAlerts(ctx.database, PUBLIC_URL, later(8 * 24 * 60));
    const left = await ctx.database.db.selectFrom('alert_subscriptions').select('email').where('office_id', '=', w.office.id).execute();
    expect(left.map((r) => r.email)).toEqual([s.email]);
  });
});

describe('nextDigestAt', () => {
  it('is the next 07:00 office time, across a clock change and in zones either side of UTC', () => {
    const ny = 'America/New_York';
    expect(nextDigestAt(new Date('2027-01-12T11:59:00Z'), ny)).toEqual(new Date('2027-01-12T12:00:00Z')); // 06:59 → today's 07:00
    expect(nextDigestAt(new Date('2027-01-12T12:00:00Z'), ny)).toEqual(new Date('2027-01-13T12:00:00Z')); // 07:00 → tomorrow's
    expect(nextDigestAt(new Date('2027-03-13T13:00:00Z'), ny)).toEqual(new Date('2027-03-14T11:00:00Z')); // clocks go forward overnight
    expect(nextDigestAt(new Date('2026-12-31T20:00:00Z'), 'Pacific/Auckland')).toEqual(new Date('2027-01-01T18:00:00Z'));
    expect(nextDigestAt(new Date('2027-06-01T08:00:00Z'), 'Europe/Madrid')).toEqual(new Date('2027-06-02T05:00:00Z'));
  });
});
