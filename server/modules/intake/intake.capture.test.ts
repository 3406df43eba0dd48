// Staff quick capture (one flow: who, what, which case, follow-up) and the generic webhook
// other tools post messages to, both stored through intake: idempotent, in the inbox and on
// the case timeline, kept to the caller's office.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { InboundItem, InboundItemSummary } from '../../../contract/intake.js';
import type { CaptureResult } from '../../../contract/web-intake.js';
import { asToken, createConstituent, createTestApp, tokenFor, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { processItem } from './intake.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

const capture = (as: Staff, body: object) => as.api('POST', '/api/v1/intake/capture', { clientToken: uniq('cap'), ...body });

async function timeline(as: Staff, caseId: string) {
  return (ok(await as.api('GET', `/api/v1/cases/${caseId}/timeline`), 200) as { items: { summary: string; entityType: string }[] }).items;
}

describe('quick capture', () => {
  it('logs a call from a new person as a new case with a follow-up task, in the inbox and on the timeline; a resubmit changes nothing', async () => {
    const w = await casework(ctx);
    const category = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Noise') }), 201) as { id: string };
    const body = {
      clientToken: uniq('cap'), channel: 'phone', person: { name: 'Lin Chen', email: `${uniq('lin')}@resident.example`, phone: '07700 900456' },
      text: 'Loud music every night from the flat above.\nWants a call back.', newCase: { categoryId: category.id, priority: 'high' },
      followUp: { title: 'Call Lin back', dueOn: '2026-12-10' },
    };
    const r = ok(await w.caseworker.api('POST', '/api/v1/intake/capture', body), 201) as CaptureResult;
    expect(r).toMatchObject({ reference: expect.stringMatching(/^C-/), taskId: expect.any(String), constituentId: expect.any(String), duplicate: false });
    expect(ok(await w.caseworker.api('POST', '/api/v1/intake/capture', body), 200)).toEqual({ ...r, duplicate: true });

    const c = ok(await w.caseworker.api('GET', `/api/v1/cases/${r.caseId}`), 200) as Case;
    expect(c).toMatchObject({ channel: 'phone', priority: 'high', subject: 'Loud music every night from the flat above.', category: { id: category.id }, requester: { id: r.constituentId } });
    const person = ok(await w.caseworker.api('GET', `/api/v1/constituents/${r.constituentId}`), 200) as { displayName: string; provisional?: boolean };
    expect(person.displayName).toContain('Chen');
    const tasks = (ok(await w.caseworker.api('GET', `/api/v1/cases/${r.caseId}/tasks`), 200) as { items: { id: string; title: string; dueOn: string }[] }).items;
    expect(tasks).toEqual([expect.objectContaining({ id: r.taskId, title: 'Call Lin back', dueOn: '2026-12-10' })]);
    const items = (ok(await w.caseworker.api('GET', '/api/v1/inbox?status=all'), 200) as { items: InboundItemSummary[] }).items;
    expect(items).toEqual([expect.objectContaining({ id: r.itemId, channel: 'phone', source: 'staff', status: 'filed', case: expect.objectContaining({ id: r.caseId }) })]);
    expect((await timeline(w.caseworker, r.caseId)).some((e) => e.entityType === 'inbound_item' && e.summary.startsWith('phone message from Lin Chen'))).toBe(true);
  });

  it('answers two concurrent sends with one token alike: one person, one case, one task', async () => {
    const w = await casework(ctx);
    const email = `${uniq('twice')}@resident.example`;
    const body = { clientToken: uniq('cap'), channel: 'phone', person: { name: 'Pat Twice', email }, text: 'Bin not collected.', followUp: { title: 'Call Pat back' } };
    const [x, y] = await Promise.all([w.caseworker.api('POST', '/api/v1/intake/capture', body), w.caseworker.api('POST', '/api/v1/intake/capture', body)]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 201]);
    const [a, b] = [x.json() as CaptureResult, y.json() as CaptureResult];
    expect({ ...a, duplicate: null }).toEqual({ ...b, duplicate: null });
    const people = await ctx.database.db.selectFrom('constituent_emails').select('constituent_id').where('office_id', '=', w.office.id).where('email', '=', email).execute();
    expect(people).toHaveLength(1);
    const tasks = (ok(await w.caseworker.api('GET', `/api/v1/cases/${a.caseId}/tasks`), 200) as { items: { id: string }[] }).items;
    expect(tasks.map((t) => t.id)).toEqual([a.taskId]);
    expect(await ctx.database.db.selectFrom('inbound_items').select('id').where('office_id', '=', w.office.id).execute()).toHaveLength(1);
  });

  it('refuses a clientToken reused for a different contact with 409, changing nothing', async () => {
    const w = await casework(ctx);
    const body = { clientToken: uniq('cap'), channel: 'phone', constituentId: w.person.id, text: 'First call.' };
    const first = ok(await w.caseworker.api('POST', '/api/v1/intake/capture', body), 201) as CaptureResult;
    refused(await w.caseworker.api('POST', '/api/v1/intake/capture', { ...body, text: 'Another call entirely.', followUp: { title: 'x' } }), 409, 'conflict', 'clientToken');
    expect(ok(await w.caseworker.api('POST', '/api/v1/intake/capture', body), 200)).toEqual({ ...first, duplicate: true });
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${first.caseId}/tasks`), 200) as { items: unknown[] }).items).toEqual([]);
  });

  it('needs constituent.write to record a new person and case.write to add a follow-up, beyond inbox.work', async () => {
    const w = await casework(ctx);
    const api = asToken(ctx, await tokenFor(ctx, w.caseworker.user, ['inbox.work']));
    const email = `${uniq('scoped')}@resident.example`;
    refused(await api('POST', '/api/v1/intake/capture', { clientToken: uniq('cap'), channel: 'phone', person: { name: 'New Person', email }, text: 'x' }), 403, 'forbidden', 'person');
    refused(await api('POST', '/api/v1/intake/capture', { clientToken: uniq('cap'), channel: 'phone', constituentId: w.person.id, text: 'x', followUp: { title: 'Call back' } }), 403, 'forbidden', 'followUp');
    expect(await ctx.database.db.selectFrom('constituent_emails').select('constituent_id').where('office_id', '=', w.office.id).where('email', '=', email).execute()).toEqual([]);
    expect(await ctx.database.db.selectFrom('inbound_items').select('id').where('office_id', '=', w.office.id).execute()).toEqual([]);
    // A known person and no task: inbox.work is enough.
    ok(await api('POST', '/api/v1/intake/capture', { clientToken: uniq('cap'), channel: 'phone', constituentId: w.person.id, text: 'Rang about it again.' }), 201);
  });

  it('finds an existing person by email or phone before recording a new one, and attaches to a chosen case', async () => {
    const w = await casework(ctx);
    const known = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Known'), emails: [{ email: 'ada.known@resident.example' }], phones: [{ number: '07700 900789' }] });
    const kase = await w.open({ constituents: [{ constituentId: known.id }] });
    const byEmail = ok(await capture(w.caseworker, { channel: 'walk_in', person: { name: 'A. Known', email: 'ADA.KNOWN@resident.example' }, text: 'Came in with photos.', caseId: kase.id }), 201) as CaptureResult;
    expect(byEmail).toMatchObject({ caseId: kase.id, constituentId: known.id, taskId: null });
    const byPhone = ok(await capture(w.caseworker, { channel: 'voicemail', person: { name: 'Ada', phone: '+44 7700 900789' }, text: 'Left a message.', caseId: kase.id }), 201) as CaptureResult;
    expect(byPhone.constituentId).toBe(known.id);
    const byId = ok(await capture(w.caseworker, { channel: 'event', constituentId: known.id, text: 'Raised it at the surgery.' }), 201) as CaptureResult;
    expect(byId.caseId).not.toBe(kase.id);
    const onCase = (ok(await w.caseworker.api('GET', `/api/v1/cases/${kase.id}/inbound`), 200) as { items: InboundItemSummary[] }).items;
    expect(onCase.map((i) => i.channel)).toEqual(['walk_in', 'voicemail']);
  });

  it('keeps a social post link with a social-media contact, and refuses it for other channels', async () => {
    const w = await casework(ctx);
    const r = ok(await capture(w.caseworker, { channel: 'social', person: { name: 'Sam' }, text: 'Tagged us about the flooded underpass.', postUrl: 'https://town.social/@sam/1234' }), 201) as CaptureResult;
    const item = ok(await w.caseworker.api('GET', `/api/v1/inbox/${r.itemId}`), 200) as InboundItem;
    expect(item).toMatchObject({ channel: 'social', details: { postUrl: 'https://town.social/@sam/1234' } });
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${r.caseId}`), 200) as Case).description).toContain('https://town.social/@sam/1234');
    refused(await capture(w.caseworker, { channel: 'phone', person: { name: 'Sam' }, text: 'x', postUrl: 'https://town.social/@sam/1' }), 400, 'validation_failed', 'postUrl');
  });

  it('refuses bad input, closed cases and other offices\' rows, storing nothing; volunteers may not capture', async () => {
    const w = await casework(ctx);
    const other = await casework(ctx);
    const theirs = await other.open();
    const theirPerson = await createConstituent(ctx, other.office);
    const closed = await w.open();
    ok(await w.manager.api('POST', `/api/v1/cases/${closed.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Done' }), 200);
    ok(await w.manager.api('POST', `/api/v1/cases/${closed.id}/status`, { status: 'closed' }), 200);
    refused(await capture(w.caseworker, { channel: 'phone', text: 'x', caseId: theirs.id }), 400, 'validation_failed', 'caseId');
    refused(await capture(w.caseworker, { channel: 'phone', text: 'x', constituentId: theirPerson.id }), 400, 'validation_failed', 'constituentId');
    refused(await capture(w.caseworker, { channel: 'phone', text: 'x', caseId: closed.id }), 409, 'conflict', 'caseId');
    refused(await capture(w.caseworker, { channel: 'letter', text: 'x' }), 400, 'validation_failed', 'channel');
    refused(await capture(w.caseworker, { channel: 'phone', text: ' ' }), 400, 'validation_failed', 'text');
    refused(await capture(w.caseworker, { channel: 'phone', text: 'x', person: { name: 'P', phone: '12' } }), 400, 'validation_failed', 'person.phone');
    refused(await capture(w.caseworker, { channel: 'phone', text: 'x', constituentId: w.person.id, person: { name: 'P' } }), 400, 'validation_failed', 'person');
    refused(await capture(w.caseworker, { channel: 'phone', text: 'x', caseId: closed.id, newCase: {} }), 400, 'validation_failed', 'newCase');
    expect((await capture(w.volunteer, { channel: 'phone', text: 'x' })).statusCode).toBe(403);
    expect(await ctx.database.db.selectFrom('inbound_items').select('id').where('office_id', 'in', [w.office.id, other.office.id]).execute()).toEqual([]);
  });
});

describe('the webhook', () => {
  const hook = async (w: Awaited<ReturnType<typeof casework>>) => asToken(ctx, await tokenFor(ctx, w.admin.user, ['intake.submit']));

  it("stores a bridge's message once per externalId and processes it like an email", async () => {
    const w = await casework(ctx);
    const api = await hook(w);
    const msg = { source: 'chatbot', externalId: 'm-1', from: { name: 'Ola Nordmann', email: `${uniq('ola')}@resident.example` }, text: 'The bus shelter glass is broken.', url: 'https://chat.example/m/1' };
    const r = ok(await api('POST', '/api/v1/intake/webhook', msg), 202) as { id: string; duplicate: boolean; channel: string };
    expect(r).toMatchObject({ duplicate: false, channel: 'webhook', status: 'received' });
    expect(ok(await api('POST', '/api/v1/intake/webhook', msg), 202)).toMatchObject({ id: r.id, duplicate: true });
    await processItem(ctx.database.db, w.office.id, r.id);
    const item = ok(await w.caseworker.api('GET', `/api/v1/inbox/${r.id}`), 200) as InboundItem;
    expect(item).toMatchObject({ channel: 'webhook', source: 'chatbot', status: 'filed', senderName: 'Ola Nordmann', constituent: { provisional: true }, details: { externalId: 'm-1', url: 'https://chat.example/m/1' } });
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${item.case!.id}`), 200) as Case).channel).toBe('other');
  });

  it('files a social network\'s message as social, and leaves one from an unknown handle in the inbox', async () => {
    const w = await casework(ctx);
    const api = await hook(w);
    const r = ok(await api('POST', '/api/v1/intake/webhook', { source: 'mastodon', externalId: '109', from: { handle: '@kim@town.social' }, text: 'Streetlight out on Elm Road' }), 202) as { id: string; channel: string };
    expect(r.channel).toBe('social');
    await processItem(ctx.database.db, w.office.id, r.id);
    expect(ok(await w.caseworker.api('GET', `/api/v1/inbox/${r.id}`), 200)).toMatchObject({ channel: 'social', status: 'new', senderName: '@kim@town.social', details: { handle: '@kim@town.social' } });
  });

  it('refuses callers without intake.submit, bad fields and reserved sources', async () => {
    const w = await casework(ctx);
    const api = await hook(w);
    const good = { source: 'chatbot', externalId: uniq('x'), from: { name: 'X' }, text: 'Hello' };
    expect((await w.caseworker.api('POST', '/api/v1/intake/webhook', good)).statusCode).toBe(403);
    refused(await api('POST', '/api/v1/intake/webhook', { ...good, from: { email: 'nope' } }), 400, 'validation_failed', 'from.email');
    refused(await api('POST', '/api/v1/intake/webhook', { ...good, source: 'Bad Source' }), 400, 'validation_failed', 'source');
    refused(await api('POST', '/api/v1/intake/webhook', { ...good, source: 'staff' }), 400, 'validation_failed', 'source');
    refused(await api('POST', '/api/v1/intake/webhook', { ...good, text: 'x'.repeat(300 * 1024) }), 413, 'payload_too_large');
    expect(await ctx.database.db.selectFrom('inbound_items').select('id').where('office_id', '=', w.office.id).execute()).toEqual([]);
  });
});
