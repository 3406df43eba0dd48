// The report's steps: topics with their descriptions and a search that works without
// JavaScript, the address search in the register, a point outside the wards refused, the
// topic's own questions (checked, kept on problems, written on the case), open reports of the
// same topic nearby (never a sensitive one or one whose topic keeps locations private), and a
// public report's page that shows nothing of who sent it or what they wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import { createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { ok, squareWard } from '../cases/cases.testkit.js';
import { upsertByAddressKey } from '../geo/geo.register.repo.js';
import { get, portalOffice, postForm, report, reportFields, textOf } from './portal.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

type World = Awaited<ReturnType<typeof portalOffice>>;

const QUESTIONS = [
  { code: 'size', datatype: 'singlevaluelist', required: true, order: 1, description: 'How big is it?', values: [{ key: 'small', name: 'Smaller than a plate' }, { key: 'large', name: 'Larger than a plate' }] },
  { code: 'depth', datatype: 'number', required: false, order: 2, description: 'How deep, in cm?' },
  { code: 'hazards', datatype: 'multivaluelist', required: false, order: 3, description: 'Anything else?', values: [{ key: 'water', name: 'Full of water' }, { key: 'kerb', name: 'Near the kerb' }] },
  { code: 'note', datatype: 'string', variable: false, order: 4, description: 'Informational only' },
];

async function withService(w: World) {
  ok(await w.admin.api('PUT', `/api/v1/open311/services/${w.category.id}`, { serviceCode: uniq('POT'), description: 'Holes and cracks in the road surface', keywords: ['tarmac', 'crater'], attributes: QUESTIONS }), 200);
}

const caseAt = async (w: World, categoryId: string, lat: number, lng: number, extra: object = {}) =>
  ok(await w.admin.api('POST', '/api/v1/cases', { subject: 'Ada Lovelace: pothole', description: 'Call me on 07700 900123', channel: 'web', categoryId, location: { lat, lng }, ...extra }), 201) as Case;

describe('step 1: the topic', () => {
  it('lists the topics with their descriptions and finds them by name, keyword or description, accents and case ignored', async () => {
    const w = await portalOffice(ctx);
    await withService(w);
    const lights = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Farolas y alumbrado') }), 201) as { id: string; name: string };
    const all = await get(ctx, `/portal/${w.slug}/report`);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Holes and cracks in the road surface');
    expect(all.body).toContain(lights.name);
    for (const q of ['CRATER', 'surface', w.category.name.slice(0, 5)]) {
      const found = textOf((await get(ctx, `/portal/${w.slug}/report?q=${encodeURIComponent(q)}`)).body);
      expect(found, q).toContain(w.category.name);
      expect(found, q).not.toContain(lights.name);
      expect(found).toContain('1 topic matches');
    }
    const accent = textOf((await get(ctx, `/portal/${w.slug}/report?q=FAROLÁS`)).body);
    expect(accent).toContain(lights.name);
    const none = await get(ctx, `/portal/${w.slug}/report?q=${encodeURIComponent('<b>zebra</b>')}&lang=es`);
    expect(none.body).toContain('Ningún tema coincide con «&lt;b&gt;zebra&lt;/b&gt;»');
    expect(none.body).not.toContain('<b>zebra');
    // A topic the office does not offer, or a made-up one, brings back the list.
    const unknown = await get(ctx, `/portal/${w.slug}/report?category=${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`);
    expect(unknown.body).toContain('Choose a topic');
  });
});

describe('step 2: the place', () => {
  it('finds addresses in the register, each a link carrying its point, and says when there is none', async () => {
    const w = await portalOffice(ctx);
    await upsertByAddressKey(ctx.database.db, w.office.id, [
      { externalId: null, line1: '12 Mill Lane', line2: null, locality: 'Springfield', postcode: 'SP1 2AB', lat: 0.25, lng: 0.75 },
      { externalId: null, line1: '14 Mill Lane', line2: null, locality: 'Springfield', postcode: 'SP1 2AB', lat: 0.26, lng: 0.76 },
    ]);
    const page = await get(ctx, `/portal/${w.slug}/report?category=${w.category.id}&where=${encodeURIComponent('12 mill')}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('addresses found: choose one');
    expect(page.body).toMatch(/step=details&amp;address=12%20Mill%20Lane%2C%20Springfield%2C%20SP1%202AB&amp;lat=0.25&amp;lng=0.75">12 Mill Lane, Springfield, SP1 2AB</);
    const missing = textOf((await get(ctx, `/portal/${w.slug}/report?category=${w.category.id}&where=Nowhere%20Street`)).body);
    expect(missing).toContain('“Nowhere Street” is not in our list of addresses');
    // The chosen place comes to the details form, and then to the case.
    const details = await get(ctx, `/portal/${w.slug}/report?category=${w.category.id}&step=details&address=12%20Mill%20Lane&lat=0.25&lng=0.75`);
    expect(details.body).toContain('<input type="hidden" name="lat" value="0.25"/>');
    expect(details.body).toMatch(/id="address"[^>]*value="12 Mill Lane"/);
  });

  it('refuses a point outside the office\'s wards on the place step, saying what to do', async () => {
    const w = await portalOffice(ctx);
    await squareWard(w.admin);
    const res = await get(ctx, `/portal/${w.slug}/report?category=${w.category.id}&step=details&lat=5&lng=5`);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('The place you marked is outside the area');
    expect(res.body).toContain('<h1>Where is it?</h1>');
    const inside = await get(ctx, `/portal/${w.slug}/report?category=${w.category.id}&step=details&lat=0.5&lng=0.5`);
    expect(inside.statusCode).toBe(200);
    expect(inside.body).toContain('Step 3 of 3');
  });
});

describe('step 3: the topic\'s questions', () => {
  it('asks them, refuses a missing required answer or a wrong type keeping every answer, and writes them on the case', async () => {
    const w = await portalOffice(ctx);
    await withService(w);
    const form = await get(ctx, `/portal/${w.slug}/report?category=${w.category.id}&step=details`);
    expect(form.body).toContain('<legend>How big is it?</legend>');
    expect(form.body).toContain('How deep, in cm? (optional)');
    expect(form.body).not.toContain('Informational only');
    const bad = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id, { categoryId: w.category.id, 'attribute[depth]': 'very', 'attribute[hazards][water]': 'yes' }));
    expect(bad.statusCode).toBe(400);
    const text = textOf(bad.body);
    expect(text).toContain('Answer “How big is it?”');
    expect(text).toContain('Enter a number for “How deep, in cm?”');
    expect(bad.body).toContain('href="#q0-0"');
    expect(bad.body).toMatch(/id="q1"[^>]*value="very"/);
    expect(bad.body).toMatch(/id="q2-0" name="attribute\[hazards\]\[water\]" checked=""/);
    // The questions' problems are listed where the questions are: after the description's, before the contact details'.
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(bad.body)![0];
    expect(summary.indexOf('#q0-0')).toBeLessThan(summary.indexOf('#q1'));
    const forged = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id, { categoryId: w.category.id, 'attribute[size]': 'enormous' }));
    expect(textOf(forged.body)).toContain('Choose one of the answers to “How big is it?”');

    const fields = await reportFields(ctx, w.office.id, { categoryId: w.category.id, 'attribute[size]': 'large', 'attribute[depth]': '7,5', 'attribute[hazards][water]': 'yes', 'attribute[hazards][kerb]': 'yes' });
    const { page } = await report(ctx, w.slug, fields);
    const reference = /<p class="reference">([^<]+)<\/p>/.exec(page.body)![1]!;
    const kase = await ctx.database.db.selectFrom('cases').select('description').where('office_id', '=', w.office.id).where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(kase.description).toBe(`${fields.description}\n\nHow big is it?: Larger than a plate\nHow deep, in cm?: 7,5\nAnything else?: Full of water; Near the kerb`);
  });
});

describe('step 3: is this the same problem?', () => {
  it('lists open public reports of the topic nearby, never sensitive, private-topic, far, resolved or other offices\' ones', async () => {
    const w = await portalOffice(ctx);
    const other = await portalOffice(ctx);
    const privateTopic = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Benefits'), locationPrivate: true }), 201) as { id: string };
    const near = await caseAt(w, w.category.id, 0.5, 0.5005); // about 55 m east
    const sensitive = await caseAt(w, w.category.id, 0.5, 0.5001, { isSensitive: true });
    const far = await caseAt(w, w.category.id, 0.51, 0.5); // about 1.1 km north
    const hidden = await caseAt(w, privateTopic.id, 0.5, 0.5);
    const foreign = await caseAt(other, other.category.id, 0.5, 0.5);
    const done = await caseAt(w, w.category.id, 0.5, 0.5002);
    await ctx.database.db.updateTable('cases').set({ resolved_at: new Date(), status: 'resolved' }).where('id', '=', done.id).execute();
    // A topic below a private one is private too; a phoned-in case is private correspondence.
    const below = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Appeals'), parentId: privateTopic.id }), 201) as { id: string };
    const belowCase = await caseAt(w, below.id, 0.5, 0.5);
    const phoned = await caseAt(w, w.category.id, 0.5, 0.5, { channel: 'phone' });

    const page = await get(ctx, `/portal/${w.slug}/report?category=${w.category.id}&step=details&lat=0.5&lng=0.5`);
    const text = textOf(page.body);
    expect(text).toContain('Is this the same problem?');
    expect(text).toContain(near.reference);
    expect(text).toMatch(/about 5\d m away/);
    for (const c of [sensitive, far, done, phoned]) expect(text, c.reference).not.toContain(c.reference);
    for (const c of [belowCase, phoned]) expect((await get(ctx, `/portal/${w.slug}/reports/${c.reference}`)).statusCode, c.reference).toBe(404);
    // References are numbered per office: the other office's case shows as a second item, if at all.
    expect(foreign.reference).toBe(near.reference);
    expect(page.body.match(/<section class="nearby"[\s\S]*?<\/section>/)![0].match(/<li>/g)).toHaveLength(1);
    const privatePage = textOf((await get(ctx, `/portal/${w.slug}/report?category=${privateTopic.id}&step=details&lat=0.5&lng=0.5`)).body);
    expect(privatePage).not.toContain('Is this the same problem?');
    expect(privatePage).not.toContain(hidden.reference);

    // Its public page: the topic and status, nothing of who sent it or what they wrote.
    const pub = await get(ctx, `/portal/${w.slug}/reports/${near.reference}`);
    expect(pub.statusCode).toBe(200);
    const shown = textOf(pub.body);
    expect(shown).toContain(`Report ${near.reference}`);
    expect(shown).toContain(w.category.name);
    expect(shown).toContain('Received');
    for (const secret of ['Ada', '07700']) expect(shown).not.toContain(secret);
    for (const c of [sensitive, hidden]) expect((await get(ctx, `/portal/${w.slug}/reports/${c.reference}`)).statusCode).toBe(404);
    // The same reference under the other office's address is that office's own case.
    const theirs = textOf((await get(ctx, `/portal/${other.slug}/reports/${near.reference}`)).body);
    expect(theirs).toContain(other.category.name);
    expect(theirs).not.toContain(w.category.name);
  });
});
