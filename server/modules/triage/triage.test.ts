// Triage through the API and intake: rules are checked when saved (references, unsafe
// patterns), tried in order on every new message (category, tags, priority, team, spam,
// stop), each action audited on the case with the rule's name; a dry run changes nothing;
// urgent content raises priority and alerts the on-duty person; the language is stored on the
// item and the person; staff corrections are recorded; offices never see each other's rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundItem } from '../../../contract/intake.js';
import type { TriageDecision, TriageDryRunResult, TriageOverview, TriageRule } from '../../../contract/triage.js';
import { createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { configureOutbox } from '../messages/messages.outbox.js';
import { approvedTemplate } from '../messages/messages.testkit.js';
import { defineTriageJobs, TRAIN_JOB } from './triage.jobs.js';
import { trainOffice } from './triage.models.js';
import { registerIntakeReaders } from '../intake/intake.jobs.js';
import { processItem } from '../intake/intake.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', MAIL_FROM: 'Town Hall <casework@town.example>' });
  configureOutbox({ jobs: () => undefined, from: 'Town Hall <casework@town.example>' });
  registerIntakeReaders();
  defineTriageJobs(ctx.jobs, ctx.database, { info: () => undefined });
  await ctx.jobs.start({ work: false }); // queues exist so training can be queued; nothing runs it here
});
afterAll(() => ctx.close());

type World = Awaited<ReturnType<typeof casework>>;

async function world() {
  const w = await casework(ctx);
  const gas = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Gas') }), 201) as { id: string; name: string };
  return { ...w, gas };
}

function mime(o: { from: string; subject: string; text: string }): string {
  return [
    `From: ${o.from}`, 'To: help@town.example', `Subject: ${o.subject}`, `Message-ID: <${uniq('m')}@resident.example>`,
    'Date: Mon, 07 Dec 2026 09:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', o.text, '',
  ].join('\r\n');
}

/** Stores an email through the API and processes it as the job would. */
async function deliver(w: World, o: { from: string; subject: string; text: string }): Promise<InboundItem> {
  const r = ok(await w.admin.api('POST', '/api/v1/intake/email', mime(o) as unknown as object, { 'content-type': 'message/rfc822' }), 202) as { id: string };
  await processItem(ctx.database.db, w.office.id, r.id);
  return ok(await w.admin.api('GET', `/api/v1/inbox/${r.id}`), 200) as InboundItem;
}

const rule = async (as: Staff, body: object) => ok(await as.api('POST', '/api/v1/triage/rules', { enabled: true, ...body }), 201) as TriageRule;
const timeline = async (as: Staff, caseId: string) =>
  (ok(await as.api('GET', `/api/v1/cases/${caseId}/timeline?limit=100`), 200) as { items: { summary: string; action: string }[] }).items;

describe('triage rules: saving', () => {
  it('refuses unsafe or invalid patterns, unknown references and empty actions, naming the field', async () => {
    const w = await world();
    refused(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'Bad', conditions: { pattern: '(a+)+$' }, actions: { priority: 'high' } }), 400, 'validation_failed', 'conditions.pattern');
    refused(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'Bad', conditions: { pattern: '([a-z' }, actions: { priority: 'high' } }), 400, 'validation_failed', 'conditions.pattern');
    refused(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'Bad', actions: { categoryId: '00000000-0000-7000-8000-000000000000' } }), 400, 'validation_failed', 'actions.categoryId');
    refused(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'Bad', actions: { teamId: '00000000-0000-7000-8000-000000000000' } }), 400, 'validation_failed', 'actions.teamId');
    refused(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'Bad', actions: { assigneeId: w.analyst.user.id } }), 400, 'validation_failed', 'actions.assigneeId');
    refused(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'Bad', actions: {} }), 400, 'validation_failed');
    refused(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'Bad', conditions: { hours: { from: '25:00', to: '06:00' } }, actions: { stop: true } }), 400, 'validation_failed');
    expect((ok(await w.manager.api('GET', '/api/v1/triage/rules'), 200) as { items: unknown[] }).items).toEqual([]);
  });

  it('starts rules disabled, reorders them (every id once), audits each change, and keeps them to managers of the office', async () => {
    const w = await world();
    const a = ok(await w.manager.api('POST', '/api/v1/triage/rules', { name: 'A', actions: { priority: 'high' } }), 201) as TriageRule;
    const b = await rule(w.manager, { name: 'B', actions: { tags: ['b'] } });
    expect([a.enabled, b.enabled]).toEqual([false, true]);
    refused(await w.manager.api('PUT', '/api/v1/triage/rules/order', { ids: [b.id] }), 400, 'validation_failed', 'ids');
    refused(await w.manager.api('PUT', '/api/v1/triage/rules/order', { ids: [b.id, b.id] }), 400, 'validation_failed', 'ids.1');
    const order = ok(await w.manager.api('PUT', '/api/v1/triage/rules/order', { ids: [b.id, a.id] }), 200) as { items: TriageRule[] };
    expect(order.items.map((r) => r.name)).toEqual(['B', 'A']);
    expect((ok(await w.manager.api('PATCH', `/api/v1/triage/rules/${a.id}`, { enabled: true }), 200) as TriageRule).enabled).toBe(true);
    const events = await ctx.database.db.selectFrom('events').select(['action']).where('office_id', '=', w.office.id).where('entity_type', '=', 'triage_rule').execute();
    expect(events.map((e) => e.action).sort()).toEqual(['created', 'created', 'enabled', 'reordered']);

    refused(await w.caseworker.api('GET', '/api/v1/triage/rules'), 403, 'forbidden');
    refused(await w.caseworker.api('POST', '/api/v1/triage/rules', { name: 'X', actions: { stop: true } }), 403, 'forbidden');
    const other = await world();
    refused(await other.manager.api('PATCH', `/api/v1/triage/rules/${a.id}`, { enabled: false }), 404, 'not_found');
    refused(await other.manager.api('DELETE', `/api/v1/triage/rules/${a.id}`), 404, 'not_found');
    expect((ok(await other.manager.api('GET', '/api/v1/triage/rules'), 200) as { items: unknown[] }).items).toEqual([]);
    ok(await w.manager.api('DELETE', `/api/v1/triage/rules/${a.id}`), 204);
    expect((ok(await w.manager.api('GET', '/api/v1/triage/rules'), 200) as { items: TriageRule[] }).items.map((r) => r.name)).toEqual(['B']);
  });
});

describe('triage rules: on new messages', () => {
  it('applies matching rules in order (category, tags, priority, team), audits each with its name, and stops where told', async () => {
    const w = await world();
    await rule(w.manager, { name: 'Potholes', conditions: { words: ['pothole'] }, actions: { categoryId: w.gas.id, tags: ['roads'], teamId: w.team.id } });
    await rule(w.manager, { name: 'Press', conditions: { senderDomains: ['press.example'] }, actions: { priority: 'high', tags: ['press'], stop: true } });
    await rule(w.manager, { name: 'Never reached for press', conditions: {}, actions: { tags: ['late'] } });
    await rule(w.manager, { name: 'Disabled', actions: { tags: ['disabled'] }, enabled: false });

    const item = await deliver(w, { from: `Reporter <${uniq('r')}@news.press.example>`, subject: 'Big pothole', text: 'There is a big pothole outside the school.' });
    expect(item.status).toBe('filed');
    const c = await w.read(item.case!.id);
    expect(c).toMatchObject({ category: { id: w.gas.id }, priority: 'high', team: { id: w.team.id } });
    expect(c.tags.sort()).toEqual(['press', 'roads']);
    const lines = (await timeline(w.admin, c.id)).filter((e) => e.action === 'triaged').map((e) => e.summary);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^Triage rule “Potholes”: Category set to .*; Tagged roads; Sent to team/), 'Triage rule “Press”: Tagged press; Priority set to high; No later rule tried']));
    const why = (ok(await w.caseworker.api('GET', `/api/v1/cases/${c.id}/triage`), 200) as { items: TriageDecision[] }).items;
    expect(why).toHaveLength(1);
    expect(why[0]!.rules.map((r) => r.name)).toEqual(['Potholes', 'Press']);
    expect(why[0]!.category).toMatchObject({ source: 'rule', applied: { id: w.gas.id } });
    // Another office cannot read the reasons.
    const other = await world();
    refused(await other.admin.api('GET', `/api/v1/cases/${c.id}/triage`), 404, 'not_found');
    refused(await other.admin.api('GET', `/api/v1/inbox/${item.id}/triage`), 404, 'not_found');
  });

  it('marks spam by rule: no case, no reply, audited with the rule', async () => {
    const w = await world();
    await rule(w.manager, { name: 'Spam domain', conditions: { senderDomains: ['spam.example'] }, actions: { spam: true } });
    const item = await deliver(w, { from: `x@spam.example`, subject: 'Cheap watches', text: 'Buy now' });
    expect(item.status).toBe('spam');
    expect(item.case).toBeNull();
    const outbox = await ctx.database.db.selectFrom('outbound_messages').select('id').where('office_id', '=', w.office.id).execute();
    expect(outbox).toEqual([]);
    const ev = await ctx.database.db.selectFrom('events').select(['action', 'after']).where('office_id', '=', w.office.id).where('entity_id', '=', item.id).where('action', '=', 'marked_spam').execute();
    expect(JSON.stringify(ev[0]?.after)).toContain('Spam domain');
  });

  it('skips what a rule names that has gone since (a retired category) and still files the item', async () => {
    const w = await world();
    const gone = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Old') }), 201) as { id: string };
    const stale = await rule(w.manager, { name: 'Old category', conditions: { words: ['lamp'] }, actions: { categoryId: gone.id, tags: ['lamps'] } });
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${gone.id}`, { retired: true }), 200);
    // Such a rule can be switched off and on again only once mended.
    ok(await w.manager.api('PATCH', `/api/v1/triage/rules/${stale.id}`, { enabled: false }), 200);
    refused(await w.manager.api('PATCH', `/api/v1/triage/rules/${stale.id}`, { enabled: true }), 400, 'validation_failed', 'actions.categoryId');
    await ctx.database.db.updateTable('triage_rules').set({ enabled: true }).where('office_id', '=', w.office.id).where('id', '=', stale.id).execute();
    const item = await deliver(w, { from: `${uniq('p')}@resident.example`, subject: 'Lamp out', text: 'The street lamp is out.' });
    expect(item.status).toBe('filed');
    const c = await w.read(item.case!.id);
    expect(c.category).toBeNull();
    expect(c.tags).toEqual(['lamps']);
  });

  it('sends a case to the person a rule names when they are outside the rule’s team, and never spams a reply on the resident’s own case', async () => {
    const w = await world();
    await rule(w.manager, { name: 'Both', conditions: { words: ['hedge'] }, actions: { teamId: w.team.id, assigneeId: w.admin.user.id } });
    const from = `${uniq('h')}@resident.example`;
    const item = await deliver(w, { from, subject: 'Hedge', text: 'The hedge blocks the pavement.' });
    expect(item.status).toBe('filed');
    const c = await w.read(item.case!.id);
    expect([c.assignee?.id, c.team]).toEqual([w.admin.user.id, null]);
    await rule(w.manager, { name: 'Spam words', conditions: { words: ['unsubscribe'] }, actions: { spam: true } });
    const reply = await deliver(w, { from, subject: `Re: [${c.reference}] Hedge`, text: 'Still there. Please unsubscribe me from the newsletter though.' });
    expect([reply.status, reply.case?.id]).toEqual(['filed', c.id]);
    expect((await timeline(w.admin, c.id)).some((e) => /Triage rule “Spam words”: matched a new message on this case \(actions apply only to cases it opens\)/.test(e.summary))).toBe(true);
  });

  it('triages a case staff open: tags and urgency from the rules, the category they chose kept, one decision', async () => {
    const w = await world();
    await rule(w.manager, { name: 'Heating', conditions: { words: ['boiler'] }, actions: { tags: ['heating'], categoryId: w.gas.id } });
    const other = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Housing') }), 201) as { id: string };
    const chosen = await w.open({ subject: 'Boiler broken', description: 'The boiler has failed.', categoryId: other.id });
    expect(chosen).toMatchObject({ category: { id: other.id }, tags: ['heating'], priority: 'normal' });
    const urgent = await w.open({ subject: 'Boiler', description: 'Our boiler is leaking and I can smell gas in the flat.' });
    expect(urgent).toMatchObject({ category: { id: w.gas.id }, priority: 'urgent', tags: ['heating'] });
    const why = (ok(await w.admin.api('GET', `/api/v1/cases/${urgent.id}/triage`), 200) as { items: TriageDecision[] }).items;
    expect(why.map((d) => [d.urgent, d.rules.map((r) => r.name)])).toEqual([[true, ['Heating']]]);
  });

  it('dry-runs a rule on recent messages without changing anything', async () => {
    const w = await world();
    await deliver(w, { from: `${uniq('a')}@resident.example`, subject: 'Fly-tipping', text: 'Mattresses dumped in the alley.' });
    await deliver(w, { from: `${uniq('b')}@resident.example`, subject: 'Noise', text: 'Loud music every night.' });
    const before = await ctx.database.db.selectFrom('cases').select(['id', 'priority', 'tags']).where('office_id', '=', w.office.id).execute();
    const r = ok(await w.manager.api('POST', '/api/v1/triage/rules/dry-run', { conditions: { words: ['dumped', 'fly tipping'] }, actions: { priority: 'high', tags: ['waste'] }, last: 50 }), 200) as TriageDryRunResult;
    expect(r).toMatchObject({ tried: 2, matched: 1 });
    expect(r.items[0]).toMatchObject({ subject: 'Fly-tipping', would: ['Tagged waste', 'Priority set to high'] });
    expect(await ctx.database.db.selectFrom('cases').select(['id', 'priority', 'tags']).where('office_id', '=', w.office.id).execute()).toEqual(before);
    refused(await w.manager.api('POST', '/api/v1/triage/rules/dry-run', { conditions: { pattern: '(x|x)*y' }, actions: { stop: true } }), 400, 'validation_failed', 'conditions.pattern');
    await deliver(w, { from: `${uniq('c')}@resident.example`, subject: 'Smell', text: 'There is a strong smell of gas on the stairs of our block.' });
    const urgent = ok(await w.manager.api('POST', '/api/v1/triage/rules/dry-run', { conditions: { urgent: true }, actions: { tags: ['urgent'] } }), 200) as TriageDryRunResult;
    expect(urgent).toMatchObject({ tried: 3, matched: 1, items: [{ subject: 'Smell' }] });
  });
});

describe('bad input', () => {
  it('files an empty message, one in an unseen script and a 100 KB one, with a pattern rule enabled and a model trained', async () => {
    const w = await world();
    const other = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Other') }), 201) as { id: string };
    for (let i = 0; i < 30; i++) await w.open({ subject: i % 2 ? `Street light ${i} out` : `Bin ${i} missed`, categoryId: i % 2 ? w.gas.id : other.id });
    await ctx.database.db.updateTable('cases').set({ resolved_at: new Date() }).where('office_id', '=', w.office.id).execute();
    await trainOffice(ctx.database.db, w.office.id, 'manual');
    ok(await w.manager.api('PUT', '/api/v1/triage/settings', { autoApplyThreshold: 0.99 }), 200);
    await rule(w.manager, { name: 'Numbers', conditions: { pattern: '\\bflat \\d+\\b' }, actions: { tags: ['flat'] } });
    const bodies = ['', '道路に大きな穴があります。危ないです。', `${'The pavement is cracked near flat 12. '.repeat(2700)}`];
    for (const text of bodies) {
      const item = await deliver(w, { from: `${uniq('x')}@resident.example`, subject: text ? 'Report' : '', text });
      expect(item.status, text.slice(0, 20)).toBe('filed');
      const decision = (ok(await w.admin.api('GET', `/api/v1/inbox/${item.id}/triage`), 200) as { decision: TriageDecision }).decision;
      expect(decision.model?.version).toBe(1);
      expect(decision.category).toBeNull(); // nobody's message is categorised alone at 99% here
    }
    expect((await w.read((await ctx.database.db.selectFrom('inbound_items').select('case_id').where('office_id', '=', w.office.id).orderBy('received_at', 'desc').executeTakeFirstOrThrow()).case_id!)).tags).toEqual(['flat']);
  });
});

describe('urgency and language', () => {
  it('raises urgent content to urgent priority, alerts the on-duty person, and never sends a rule’s routine reply', async () => {
    const w = await world();
    ok(await w.manager.api('PUT', '/api/v1/triage/settings', { onDutyUserId: w.caseworker.user.id }), 200);
    await rule(w.manager, { name: 'Low', conditions: {}, actions: { priority: 'low' } });
    const item = await deliver(w, { from: `${uniq('u')}@resident.example`, subject: 'Help', text: 'I can smell gas in the kitchen and my elderly mother lives here.' });
    const c = await w.read(item.case!.id);
    expect(c.priority).toBe('urgent');
    const alerts = (ok(await w.caseworker.api('GET', '/api/v1/notifications'), 200) as { items: { kind: string; caseId: string | null; body: string }[] }).items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'triage_urgent', caseId: c.id, body: expect.stringContaining(c.reference) })]);
    const decision = (ok(await w.admin.api('GET', `/api/v1/inbox/${item.id}/triage`), 200) as { decision: TriageDecision }).decision;
    expect(decision.urgent).toBe(true);
    expect(decision.urgency.map((m) => m.kind)).toContain('gas_or_fire');
    // Processing again (a redelivered job) changes nothing and alerts nobody twice.
    await processItem(ctx.database.db, w.office.id, item.id);
    expect((ok(await w.caseworker.api('GET', '/api/v1/notifications'), 200) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('alerts managers about urgent content waiting in the inbox when nobody is on duty', async () => {
    const w = await world();
    const from = `${uniq('o')}@resident.example`;
    await deliver(w, { from, subject: 'Bins', text: 'The bins were not collected.' }); // opens a case; the next waits for staff
    const item = await deliver(w, { from, subject: 'Threat', text: 'My neighbour said he will kill me tonight.' });
    expect(item.status).toBe('new');
    const alerts = (ok(await w.manager.api('GET', '/api/v1/notifications'), 200) as { items: { kind: string; caseId: string | null }[] }).items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'triage_urgent', caseId: null })]);
    // Staff opening a case from it neither triage it again nor alert again; the case shows the item's reasons.
    const made = ok(await w.caseworker.api('POST', `/api/v1/inbox/${item.id}/create-case`, {}), 201) as { caseId: string };
    expect((ok(await w.manager.api('GET', '/api/v1/notifications'), 200) as { items: unknown[] }).items).toHaveLength(1);
    const why = (ok(await w.admin.api('GET', `/api/v1/cases/${made.caseId}/triage`), 200) as { items: TriageDecision[] }).items;
    expect(why.map((d) => d.urgent)).toEqual([true]);
  });

  it('stores the language on the item and, when unset, on the person', async () => {
    const w = await world();
    const item = await deliver(w, { from: `${uniq('es')}@resident.example`, subject: 'Farola rota', text: 'La farola de mi calle lleva una semana apagada y por la noche no se ve nada.' });
    const decision = (ok(await w.admin.api('GET', `/api/v1/inbox/${item.id}/triage`), 200) as { decision: TriageDecision }).decision;
    expect(decision.language).toBe('es');
    const person = ok(await w.admin.api('GET', `/api/v1/constituents/${item.constituent!.id}`), 200) as { preferredLanguage: string | null };
    expect(person.preferredLanguage).toBe('es');
  });
});

describe('settings and the triage page', () => {
  it('saves settings (audited), refuses an unknown on-duty person, and records staff corrections', async () => {
    const w = await world();
    refused(await w.manager.api('PUT', '/api/v1/triage/settings', { onDutyUserId: '00000000-0000-7000-8000-000000000000' }), 400, 'validation_failed', 'onDutyUserId');
    refused(await w.manager.api('PUT', '/api/v1/triage/settings', { autoApplyThreshold: 1.5 }), 400, 'validation_failed');
    refused(await w.caseworker.api('PUT', '/api/v1/triage/settings', { autoReply: true }), 403, 'forbidden');
    expect(ok(await w.manager.api('PUT', '/api/v1/triage/settings', { autoApplyThreshold: 0.9, autoReply: true }), 200)).toEqual({ autoApplyThreshold: 0.9, autoReply: true, onDutyUserId: null });

    await rule(w.manager, { name: 'Tag all', conditions: {}, actions: { tags: ['seen'] } });
    const item = await deliver(w, { from: `${uniq('c')}@resident.example`, subject: 'Graffiti', text: 'Graffiti on the bridge.' });
    ok(await w.caseworker.api('PATCH', `/api/v1/cases/${item.case!.id}`, { categoryId: w.gas.id }), 200);
    const d = await ctx.database.db.selectFrom('triage_decisions').select('corrected_category_id').where('office_id', '=', w.office.id).where('inbound_item_id', '=', item.id).executeTakeFirstOrThrow();
    expect(d.corrected_category_id).toBe(w.gas.id);

    const page = ok(await w.manager.api('GET', '/api/v1/triage?days=30'), 200) as TriageOverview;
    expect(page.settings).toEqual({ autoApplyThreshold: 0.9, autoReply: true, onDutyUserId: null });
    expect(page.totals).toMatchObject({ decisions: 1, urgent: 0, spam: 0, autoApplied: 0 });
    expect(page.categories).toEqual([expect.objectContaining({ category: { id: w.gas.id, name: w.gas.name }, volume: 1, autoApplied: 0 })]);
    expect(page.curve.source).toBe('none');
  });
});

describe('the classifier: training, auto-apply and approved replies', () => {
  const potholes = ['deep pothole in the road', 'pothole outside number 4 damaged my tyre', 'road surface broken, big pothole', 'potholes all along the lane', 'pothole near the bus stop is getting worse'];
  const graffiti = ['graffiti sprayed on the wall', 'tags painted on the bridge', 'offensive graffiti on the bus shelter', 'spray paint graffiti on shop shutters', 'graffiti tags on the underpass'];

  /** Forty resolved cases in two categories, as an office's history (resolved directly in the table: the history, not casework, is under test). */
  async function history(w: World) {
    const pothole = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Potholes') }), 201) as { id: string; name: string };
    const graffitiCat = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Graffiti') }), 201) as { id: string; name: string };
    for (let i = 0; i < 20; i++) {
      await w.open({ subject: potholes[i % 5]!, description: `Reported on street ${i}`, categoryId: pothole.id });
      await w.open({ subject: graffiti[i % 5]!, description: `Reported on street ${i}`, categoryId: graffitiCat.id });
    }
    await ctx.database.db.updateTable('cases').set({ resolved_at: new Date() }).where('office_id', '=', w.office.id).execute();
    return { pothole, graffiti: graffitiCat };
  }

  it('refuses to train on too little, then trains a version with held-out figures the triage page shows', async () => {
    const w = await world();
    await expect(trainOffice(ctx.database.db, w.office.id, 'manual')).rejects.toThrow(/at least 30 resolved cases in at least two categories/);
    await history(w);
    const r = await trainOffice(ctx.database.db, w.office.id, 'manual');
    expect(r).toMatchObject({ version: 1, trainedOn: 40 });
    expect(r.metrics.accuracy).toBeGreaterThan(0.8);
    const again = await trainOffice(ctx.database.db, w.office.id, 'nightly');
    expect(again.version).toBe(2);
    const page = ok(await w.manager.api('GET', '/api/v1/triage'), 200) as TriageOverview;
    expect(page.models.map((m) => [m.version, m.trigger, m.trainedOn, m.classes])).toEqual([[2, 'nightly', 40, 2], [1, 'manual', 40, 2]]);
    expect(page.curve).toMatchObject({ source: 'model', n: 8 });
    expect(page.curve.points.length).toBeGreaterThan(0);
    const queued = ok(await w.manager.api('POST', '/api/v1/triage/models'), 202) as { jobId: string; queued: boolean };
    expect(queued.queued).toBe(true);
    expect((await ctx.jobs.boss.getJobById(TRAIN_JOB, queued.jobId))?.data).toEqual({ officeId: w.office.id, trigger: 'manual' });
    // A second click within the minute queues nothing more.
    expect(ok(await w.manager.api('POST', '/api/v1/triage/models'), 202)).toEqual({ jobId: null, queued: false });
    refused(await w.caseworker.api('POST', '/api/v1/triage/models'), 403, 'forbidden');
  });

  it('applies a confident suggestion alone and sends the category’s approved reply in place of the acknowledgement', async () => {
    const w = await world();
    const { pothole } = await history(w);
    await trainOffice(ctx.database.db, w.office.id, 'manual');
    const template = await approvedTemplate(w.admin, { name: uniq('Pothole reply'), categoryId: pothole.id, subject: 'About {{case.reference}}', body: 'Dear {{constituent.given_name}}, we will repair the pothole. Case {{case.reference}}.' });

    // Below the threshold (none set): only suggested.
    const first = await deliver(w, { from: `Ann Lee <${uniq('ann')}@resident.example>`, subject: 'Pothole', text: 'There is a deep pothole in the road outside my house.' });
    expect((await w.read(first.case!.id)).category).toBeNull();
    const suggested = (ok(await w.admin.api('GET', `/api/v1/inbox/${first.id}/triage`), 200) as { decision: TriageDecision }).decision;
    expect(suggested.model).toMatchObject({ version: 1, suggested: { id: pothole.id } });
    expect(suggested.category).toBeNull();

    ok(await w.manager.api('PUT', '/api/v1/triage/settings', { autoApplyThreshold: 0.5, autoReply: true }), 200);
    const item = await deliver(w, { from: `Bo Kim <${uniq('bo')}@resident.example>`, subject: 'Pothole', text: 'A big pothole has opened in the road near the school.' });
    const c = await w.read(item.case!.id);
    expect(c.category?.id).toBe(pothole.id);
    const decision = (ok(await w.admin.api('GET', `/api/v1/inbox/${item.id}/triage`), 200) as { decision: TriageDecision }).decision;
    expect(decision.category).toMatchObject({ source: 'model', applied: { id: pothole.id }, threshold: 0.5 });
    expect(decision.autoReply).toMatchObject({ sent: true, templateId: template.id, version: 1, language: 'en' });
    const sent = await ctx.database.db.selectFrom('outbound_messages').select(['kind', 'subject', 'body_text', 'template_id', 'template_version']).where('office_id', '=', w.office.id).where('case_id', '=', c.id).execute();
    expect(sent).toEqual([{ kind: 'auto_reply', subject: `About [${c.reference}]`, body_text: `Dear Bo, we will repair the pothole. Case ${c.reference}.`, template_id: template.id, template_version: 1 }]);
    expect((await timeline(w.admin, c.id)).some((e) => e.action === 'triaged' && /by the classifier \(model v1, \d+% sure; the office applies at 50% and above\)/.test(e.summary))).toBe(true);
  });

  it('never sends draft text: a category whose template is only a draft gets the standard acknowledgement', async () => {
    const w = await world();
    const { graffiti: g } = await history(w);
    await trainOffice(ctx.database.db, w.office.id, 'manual');
    ok(await w.admin.api('POST', '/api/v1/reply-templates', { name: uniq('Graffiti draft'), categoryId: g.id, subject: 'Draft', body: 'Not approved text' }), 201);
    await rule(w.manager, { name: 'Graffiti reply', conditions: { words: ['graffiti'] }, actions: { categoryId: g.id, replyTemplateId: (ok(await w.admin.api('GET', '/api/v1/reply-templates'), 200) as { items: { id: string }[] }).items[0]!.id } });
    const item = await deliver(w, { from: `${uniq('g')}@resident.example`, subject: 'Graffiti', text: 'Graffiti sprayed on the wall of the library.' });
    const sent = await ctx.database.db.selectFrom('outbound_messages').select(['kind', 'body_text']).where('office_id', '=', w.office.id).where('case_id', '=', item.case!.id).execute();
    expect(sent.map((m) => m.kind)).toEqual(['acknowledgement']);
    expect(sent[0]!.body_text).not.toContain('Not approved text');
    const decision = (ok(await w.admin.api('GET', `/api/v1/inbox/${item.id}/triage`), 200) as { decision: TriageDecision }).decision;
    expect(decision.autoReply).toMatchObject({ sent: false, reason: expect.stringMatching(/no approved text/) });
  });
});
