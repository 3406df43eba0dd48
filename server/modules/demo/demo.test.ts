import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, uniq } from '../../../test/harness.js';
import type { Database } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import { applySla } from '../sla/sla.cases.js';
import * as sla from '../sla/sla.service.js';
import * as offices from '../offices/offices.service.js';
import * as publicForm from '../intake/intake.public-form.js';
import * as geo from '../geo/geo.service.js';
import { planCases } from './demo.cases.js';
import { runDemo, type DemoOptions, type DemoSummary } from './demo.command.js';
import { buildDistrict, createRng, housePosition } from './demo.generator.js';
import { CATEGORY_GROUPS } from './demo.taxonomy.js';
import type { Position, Ring } from './demo.geometry.js';

// Independent checks (winding number, orientation tests), not the module's own helpers.
function windingNumber([x, y]: Position, ring: Ring): number {
  let wn = 0;
  for (let k = 0; k < ring.length - 1; k++) {
    const [x1, y1] = ring[k]!;
    const [x2, y2] = ring[k + 1]!;
    const side = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
    if (y1 <= y && y2 > y && side > 0) wn++;
    else if (y1 > y && y2 <= y && side < 0) wn--;
  }
  return wn;
}

const orient = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));

function crosses(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const within = (a: Position, b: Position, c: Position) => Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  const [o1, o2, o3, o4] = [orient(p1, p2, q1), orient(p1, p2, q2), orient(q1, q2, p1), orient(q1, q2, p2)];
  if (o1 !== o2 && o3 !== o4 && o1 * o2 <= 0 && o3 * o4 <= 0 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return true;
  return (o1 === 0 && within(p1, p2, q1)) || (o2 === 0 && within(p1, p2, q2)) || (o3 === 0 && within(q1, q2, p1)) || (o4 === 0 && within(q1, q2, p2));
}

function selfIntersections(ring: Ring): number {
  const n = ring.length - 1;
  let found = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 2; b < n; b++) {
      if (a === 0 && b === n - 1) continue;
      if (crosses(ring[a]!, ring[a + 1]!, ring[b]!, ring[b + 1]!)) found++;
    }
  }
  return found;
}

const ringArea = (ring: Ring) => ring.slice(0, -1).reduce((s, p, k) => s + p[0] * ring[k + 1]![1] - ring[k + 1]![0] * p[1], 0) / 2;

describe('demo district geometry', () => {
  const district = buildDistrict();

  it('has 12 to 18 wards whose rings are closed, counter-clockwise and simple', () => {
    expect(district.wards.length).toBeGreaterThanOrEqual(12);
    expect(district.wards.length).toBeLessThanOrEqual(18);
    expect(new Set(district.wards.map((w) => w.code)).size).toBe(district.wards.length);
    for (const w of district.wards) {
      expect(w.ring.length).toBeGreaterThanOrEqual(4);
      expect(w.ring[0]).toEqual(w.ring[w.ring.length - 1]);
      expect(ringArea(w.ring)).toBeGreaterThan(0);
      expect(selfIntersections(w.ring)).toBe(0);
      for (const [lng, lat] of w.ring) {
        expect(lng).toBeGreaterThan(-1.5);
        expect(lng).toBeLessThan(-1.0);
        expect(lat).toBeGreaterThan(52.3);
        expect(lat).toBeLessThan(52.6);
      }
      expect(w.bbox.minLng).toBe(Math.min(...w.ring.map((p) => p[0])));
      expect(w.bbox.maxLat).toBe(Math.max(...w.ring.map((p) => p[1])));
    }
  });

  it('tiles the district without overlaps or gaps between neighbours', () => {
    const all = district.wards.flatMap((w) => w.ring);
    const [minLng, maxLng] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
    const [minLat, maxLat] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
    let covered = 0;
    for (let i = 0; i < 80; i++) {
      for (let j = 0; j < 80; j++) {
        const p: Position = [minLng + ((i + 0.5) / 80) * (maxLng - minLng), minLat + ((j + 0.5) / 80) * (maxLat - minLat)];
        const containing = district.wards.filter((w) => windingNumber(p, w.ring) !== 0).length;
        expect(containing).toBeLessThanOrEqual(1);
        covered += containing;
      }
    }
    // An irregular outline leaves some of the bounding box outside; most of it is district.
    expect(covered / 6400).toBeGreaterThan(0.6);
    // Neighbours share boundaries exactly: every edge is either walked back by one other
    // ward or lies on the district's outline, which is a closed loop.
    const key = (a: Position, b: Position) => `${a[0]},${a[1]}>${b[0]},${b[1]}`;
    const edges = new Map<string, number>();
    for (const w of district.wards) for (let k = 0; k < w.ring.length - 1; k++) edges.set(key(w.ring[k]!, w.ring[k + 1]!), (edges.get(key(w.ring[k]!, w.ring[k + 1]!)) ?? 0) + 1);
    expect([...edges.values()].every((n) => n === 1)).toBe(true);
    const outline = [...edges.keys()].filter((e) => !edges.has(e.split('>').reverse().join('>')));
    expect(outline.length).toBeLessThan(edges.size / 2);
    const degree = new Map<string, number>();
    for (const e of outline) {
      const [from, to] = e.split('>') as [string, string];
      degree.set(from, (degree.get(from) ?? 0) + 1);
      degree.set(to, (degree.get(to) ?? 0) - 1);
    }
    expect([...degree.values()].every((d) => d === 0)).toBe(true);
  });

  it('is the same place every time, with streets inside it', () => {
    expect(buildDistrict()).toEqual(district);
    expect(district.streets.length).toBeGreaterThan(300);
    expect(new Set(district.streets.map((s) => s.name)).size).toBe(district.streets.length);
    const homes = district.streets.flatMap((s) => [housePosition(s, 1), housePosition(s, s.houses)]);
    const inside = homes.filter((p) => district.wards.some((w) => windingNumber(p, w.ring) !== 0)).length;
    expect(inside / homes.length).toBeGreaterThan(0.97);
  });
});

describe('demo case arrivals', () => {
  const now = Date.UTC(2026, 11, 7, 12);
  const slots = planCases(createRng([5, 2]), createRng([5, 3]), 40_000, 1000, now);
  const nameOf = (s: { group: number; child: number }) => CATEGORY_GROUPS[s.group]!.children[s.child]!.name;
  const month = (s: { at: number }) => new Date(s.at).getUTCMonth();
  const winter = (s: { at: number }) => [11, 0, 1].includes(month(s));
  const summer = (s: { at: number }) => [5, 6, 7].includes(month(s));

  it('are busier on weekdays than at weekends, Mondays most', () => {
    const perWeekday = Array<number>(7).fill(0);
    for (const s of slots) perWeekday[new Date(s.at).getUTCDay()]!++;
    const weekday = (perWeekday[1]! + perWeekday[2]! + perWeekday[3]! + perWeekday[4]! + perWeekday[5]!) / 5;
    const weekend = (perWeekday[0]! + perWeekday[6]!) / 2;
    expect(weekday / weekend).toBeGreaterThan(1.6);
    expect(perWeekday[1]).toBe(Math.max(...perWeekday));
  });

  it('follow the seasons of seasonal categories and not of the others', () => {
    const ratio = (names: string[]) => {
      const of = slots.filter((s) => names.includes(nameOf(s)));
      return of.filter(winter).length / of.filter(summer).length;
    };
    // Two years ending in December hold more recent summer than winter: compare with a
    // category without a season, whose ratio shows that trend alone.
    const flat = ratio(['Fly-tipping']);
    expect(flat).toBeGreaterThan(0.6);
    expect(flat).toBeLessThan(1.25);
    expect(ratio(['Damp & mould', 'Potholes']) / flat).toBeGreaterThan(1.6);
    expect(ratio(['Overgrown vegetation', 'Noise']) / flat).toBeLessThan(0.7);
  });

  it('come mostly through web, Open311 and email, with a tail of office channels', () => {
    const share = (channels: string[]) => slots.filter((s) => channels.includes(s.channel)).length / slots.length;
    expect(share(['web', 'open311', 'email'])).toBeGreaterThan(0.6);
    expect(share(['phone'])).toBeGreaterThan(0.08);
    expect(share(['walk_in', 'letter', 'event', 'doorstep'])).toBeGreaterThan(0.02);
    expect(share(['walk_in', 'letter', 'event', 'doorstep'])).toBeLessThan(0.12);
  });
});

describe('civitas demo', () => {
  let database: Database;
  const quiet = (lines: string[]) => ({ progress: () => undefined, print: (l: string) => lines.push(l) });
  const load = (opts: Partial<DemoOptions> & { officeSlug: string }, lines: string[] = []) =>
    runDemo(database, { constituents: 300, cases: 500, seed: 7, addressRegister: false, ...opts }, quiet(lines));
  const q = async <T>(text: string, params: unknown[]) => (await database.pool.query(text, params)).rows as T[];
  const slug = uniq('demo').toLowerCase();
  const printed: string[] = [];
  let summary: DemoSummary;

  let loadStart: Date;

  beforeAll(async () => {
    database = await openTestDatabase();
    loadStart = new Date();
    summary = await load({ officeSlug: slug, addressRegister: true }, printed);
  });
  afterAll(() => database.close());

  it('creates the office with wards, a category tree, staff and teams', async () => {
    const officeId = summary.officeId;
    expect(summary.officeCreated).toBe(true);
    const [wards] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM boundaries WHERE office_id = $1 AND layer = 'ward'`, [officeId]);
    expect(wards!.n).toBe(buildDistrict().wards.length);
    const cats = await q<{ parents: number; children: number }>(
      `SELECT count(*) FILTER (WHERE parent_id IS NULL)::int AS parents, count(*) FILTER (WHERE parent_id IS NOT NULL)::int AS children FROM categories WHERE office_id = $1`,
      [officeId],
    );
    expect(cats[0]!.parents).toBeGreaterThanOrEqual(8);
    expect(cats[0]!.children).toBeGreaterThanOrEqual(29);
    const staff = await q<{ email: string; role: string }>(`SELECT email, role FROM users WHERE office_id = $1`, [officeId]);
    expect(staff.every((u) => u.email.endsWith(`@${slug}.demo`))).toBe(true);
    expect(staff.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(staff.filter((u) => u.role === 'caseworker').length).toBeGreaterThanOrEqual(4);
    const teams = await q<{ name: string; members: number }>(
      `SELECT t.name, count(m.user_id)::int AS members FROM teams t LEFT JOIN team_members m ON m.office_id = t.office_id AND m.team_id = t.id WHERE t.office_id = $1 GROUP BY t.name`,
      [officeId],
    );
    expect(teams).toHaveLength(4);
    expect(teams.every((t) => t.members >= 2)).toBe(true);
    // Each generated password is printed exactly once, next to its account.
    expect(summary.staff).toHaveLength(staff.length);
    for (const login of summary.staff) {
      expect(login.password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
      expect(printed.filter((l) => l.includes(login.password))).toEqual([expect.stringContaining(login.email)]);
    }
  });

  it('gives every constituent a primary email or phone, at addresses that cannot reach anyone', async () => {
    const officeId = summary.officeId;
    const [counts] = await q<{ people: number; orgs: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'person')::int AS people, count(*) FILTER (WHERE kind = 'organisation')::int AS orgs FROM constituents WHERE office_id = $1`,
      [officeId],
    );
    expect(counts!.people + counts!.orgs).toBe(300);
    expect(counts!.orgs).toBeGreaterThan(0);
    const unreachable = await q(
      `SELECT c.id FROM constituents c WHERE c.office_id = $1
         AND NOT EXISTS (SELECT 1 FROM constituent_emails e WHERE e.office_id = c.office_id AND e.constituent_id = c.id AND e.is_primary)
         AND NOT EXISTS (SELECT 1 FROM constituent_phones p WHERE p.office_id = c.office_id AND p.constituent_id = c.id AND p.is_primary)`,
      [officeId],
    );
    expect(unreachable).toEqual([]);
    for (const table of ['constituent_emails', 'constituent_phones', 'constituent_addresses']) {
      const twoPrimaries = await q(`SELECT constituent_id FROM ${table} WHERE office_id = $1 AND is_primary GROUP BY 1 HAVING count(*) > 1`, [officeId]);
      expect(twoPrimaries).toEqual([]);
    }
    const emails = await q<{ email: string }>(`SELECT email FROM constituent_emails WHERE office_id = $1`, [officeId]);
    expect(emails.every((e) => /^[^@\s]+@([a-z0-9-]+\.)*example(\.(com|org|net))?$/.test(e.email))).toBe(true);
    const phones = await q<{ phone_e164: string }>(`SELECT phone_e164 FROM constituent_phones WHERE office_id = $1`, [officeId]);
    expect(phones.length).toBeGreaterThan(100);
    expect(phones.every((p) => /^\+44(7700900\d{3}|1632960\d{3}|20794600\d{2})$/.test(p.phone_e164))).toBe(true);
  });

  it('assigns each case and address the ward whose stored polygon contains it', async () => {
    const officeId = summary.officeId;
    const wards = await q<{ id: string; geometry: { type: string; coordinates: Ring[] } }>(`SELECT id, geometry FROM boundaries WHERE office_id = $1 AND layer = 'ward'`, [officeId]);
    expect(wards.every((w) => w.geometry.type === 'Polygon')).toBe(true);
    const points = await q<{ lat: number; lng: number; ward_id: string | null }>(
      `SELECT lat, lng, ward_id FROM cases WHERE office_id = $1 AND lat IS NOT NULL
       UNION ALL SELECT lat, lng, ward_id FROM constituent_addresses WHERE office_id = $1`,
      [officeId],
    );
    expect(points.length).toBeGreaterThan(500);
    let assigned = 0;
    for (const p of points) {
      const containing = wards.filter((w) => windingNumber([p.lng, p.lat], w.geometry.coordinates[0]!) !== 0).map((w) => w.id);
      expect(containing.length).toBeLessThanOrEqual(1);
      expect(p.ward_id).toBe(containing[0] ?? null);
      if (p.ward_id) assigned++;
    }
    expect(assigned / points.length).toBeGreaterThan(0.95);
  });

  it('numbers cases C-<year>-<5 digits> in sequence per year, with matching counters', async () => {
    const officeId = summary.officeId;
    const cases = await q<{ reference: string; created_at: Date }>(`SELECT reference, created_at FROM cases WHERE office_id = $1 ORDER BY created_at, reference`, [officeId]);
    expect(cases).toHaveLength(500);
    const byYear = new Map<number, number[]>();
    for (const c of cases) {
      const m = /^C-(\d{4})-(\d{5})$/.exec(c.reference);
      expect(m).not.toBeNull();
      byYear.set(Number(m![1]), [...(byYear.get(Number(m![1])) ?? []), Number(m![2])]);
    }
    const counters = await q<{ year: number; last_value: number }>(`SELECT year, last_value FROM reference_counters WHERE office_id = $1 AND kind = 'case'`, [officeId]);
    expect(counters.map((c) => c.year).sort()).toEqual([...byYear.keys()].sort());
    for (const { year, last_value } of counters) {
      const seqs = byYear.get(year)!;
      // In time order, the references of a year count up from 1 with no gaps.
      expect(seqs).toEqual(seqs.map((_, k) => k + 1));
      expect(last_value).toBe(seqs.length);
    }
  });

  it('keeps statuses and timestamps consistent with the age of each case', async () => {
    const officeId = summary.officeId;
    const [bad] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE office_id = $1 AND NOT (
         status IN ('new', 'open', 'resolved', 'closed')
         AND created_at > now() - interval '731 days' AND created_at <= now() AND updated_at >= created_at AND updated_at <= now()
         AND CASE status
           WHEN 'closed' THEN resolved_at >= created_at AND closed_at >= resolved_at AND closed_at <= now()
           WHEN 'resolved' THEN resolved_at >= created_at AND resolved_at <= now() AND closed_at IS NULL
           ELSE resolved_at IS NULL AND closed_at IS NULL END
         AND (status <> 'new' OR created_at > now() - interval '3 days'))`,
      [officeId],
    );
    expect(bad!.n).toBe(0);
    const [old] = await q<{ done: number; total: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('resolved', 'closed'))::int AS done, count(*)::int AS total FROM cases WHERE office_id = $1 AND created_at < now() - interval '90 days'`,
      [officeId],
    );
    expect(old!.done / old!.total).toBeGreaterThan(0.85);
    const [recent] = await q<{ n: number; year: number }>(
      `SELECT count(*) FILTER (WHERE created_at > now() - interval '365 days')::int AS n FROM cases WHERE office_id = $1`,
      [officeId],
    );
    expect(recent!.n).toBeGreaterThan(250); // the last year is busier than the one before
    const [late] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases k JOIN constituents c ON c.office_id = k.office_id AND c.id = k.requester_id WHERE k.office_id = $1 AND c.created_at > k.created_at`,
      [officeId],
    );
    expect(late!.n).toBe(0);
    const [mix] = await q<{ channels: number; categories: number; assigned: number; texts: number }>(
      `SELECT count(DISTINCT channel)::int AS channels, count(DISTINCT category_id)::int AS categories,
              count(assignee_id)::int AS assigned, count(DISTINCT description)::int AS texts FROM cases WHERE office_id = $1`,
      [officeId],
    );
    expect(mix!.channels).toBeGreaterThanOrEqual(6);
    expect(mix!.categories).toBeGreaterThanOrEqual(15);
    expect(mix!.assigned).toBeGreaterThan(100);
    expect(mix!.texts).toBeGreaterThan(400);
  });

  it('answers most cases before resolving them, never before they arrived, and never new ones', async () => {
    const [bad] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE office_id = $1 AND first_responded_at IS NOT NULL
         AND (first_responded_at < created_at OR first_responded_at > coalesce(resolved_at, now()) OR status = 'new' OR updated_at < first_responded_at)`,
      [summary.officeId],
    );
    expect(bad!.n).toBe(0);
    const [r] = await q<{ resolved: number; resolvedAnswered: number; open: number; openAnswered: number; hours: number }>(
      `SELECT count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS "resolved",
              count(first_responded_at) FILTER (WHERE resolved_at IS NOT NULL)::int AS "resolvedAnswered",
              count(*) FILTER (WHERE status = 'open')::int AS "open", count(first_responded_at) FILTER (WHERE status = 'open')::int AS "openAnswered",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_responded_at - created_at) / 3600) AS hours
       FROM cases WHERE office_id = $1`,
      [summary.officeId],
    );
    expect(r!.resolvedAnswered / r!.resolved).toBeGreaterThan(0.8);
    expect(r!.resolvedAnswered / r!.resolved).toBeLessThan(0.97);
    expect(r!.openAnswered / r!.open).toBeGreaterThan(0.4);
    expect(r!.hours).toBeGreaterThan(1);
    expect(r!.hours).toBeLessThan(72);
  });

  it('gives each case the SLA state the sla module computes, with some targets breached', async () => {
    const officeId = summary.officeId;
    expect(summary.slaPoliciesCreated).toBe(16);
    const policies = await sla.listPolicies(systemScope(database.db, officeId));
    expect(policies.filter((p) => p.categoryId === null).map((p) => p.priority).sort()).toEqual(['high', 'low', 'normal', 'urgent']);
    expect(policies.every((p) => p.clock === 'calendar')).toBe(true);
    const columns = `id, sla_policy_id, first_response_due_at, resolution_due_at, first_response_warn_at, resolution_warn_at, first_responded_at,
      first_response_warned_at, first_response_breached_at, resolution_warned_at, resolution_breached_at, sla_next_check_at, sla_paused_minutes`;
    const sample = await q<{ id: string; sla_policy_id: string | null }>(`SELECT ${columns} FROM cases WHERE office_id = $1 ORDER BY md5(id::text) LIMIT 60`, [officeId]);
    expect(sample.every((c) => c.sla_policy_id !== null)).toBe(true);
    for (const c of sample) await applySla(database.db, officeId, c.id);
    const after = await q<{ id: string }>(`SELECT ${columns} FROM cases WHERE office_id = $1 AND id = ANY($2::uuid[]) ORDER BY md5(id::text)`, [officeId, sample.map((c) => c.id)]);
    expect(after).toEqual(sample);
    const [r] = await q<{ n: number; resolved: number; breached: number; frBreached: number; pendingPast: number }>(
      `SELECT count(*)::int AS n, count(resolved_at)::int AS resolved, count(resolution_breached_at) FILTER (WHERE resolved_at IS NOT NULL)::int AS breached,
              count(first_response_breached_at)::int AS "frBreached", count(*) FILTER (WHERE sla_next_check_at < $2)::int AS "pendingPast"
       FROM cases WHERE office_id = $1`,
      [officeId, loadStart],
    );
    expect(r!.breached / r!.resolved).toBeGreaterThan(0.03);
    expect(r!.breached / r!.resolved).toBeLessThan(0.4);
    expect(r!.frBreached).toBeGreaterThan(0);
    // The sweep finds nothing it should have acted on before the load.
    expect(r!.pendingPast).toBe(0);
  });

  it('has residents rate about 30% of resolved cases, mostly 4 or 5', async () => {
    const [bad] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM case_ratings r JOIN cases c ON c.office_id = r.office_id AND c.id = r.case_id
       WHERE r.office_id = $1 AND (c.resolved_at IS NULL OR r.rated_at < c.resolved_at OR r.rated_at > now() OR c.requester_id IS NULL)`,
      [summary.officeId],
    );
    expect(bad!.n).toBe(0);
    const [r] = await q<{ rated: number; resolved: number; high: number; low: number; scores: number }>(
      `SELECT (SELECT count(*)::int FROM case_ratings WHERE office_id = $1) AS rated,
              (SELECT count(*)::int FROM cases WHERE office_id = $1 AND resolved_at IS NOT NULL) AS resolved,
              (SELECT count(*)::int FROM case_ratings WHERE office_id = $1 AND score >= 4) AS high,
              (SELECT count(*)::int FROM case_ratings WHERE office_id = $1 AND score <= 2) AS low,
              (SELECT count(DISTINCT score)::int FROM case_ratings WHERE office_id = $1) AS scores`,
      [summary.officeId],
    );
    expect(r!.rated / r!.resolved).toBeGreaterThan(0.18);
    expect(r!.rated / r!.resolved).toBeLessThan(0.4);
    expect(r!.high / r!.rated).toBeGreaterThan(0.6);
    expect(r!.low).toBeGreaterThan(0);
    expect(r!.scores).toBeGreaterThanOrEqual(4);
  });

  it('records one audit event for the whole load', async () => {
    const events = await q<{ after: { constituents: number; cases: number; seed: number } }>(
      `SELECT after FROM events WHERE office_id = $1 AND action = 'demo_loaded' AND entity_type = 'office'`,
      [summary.officeId],
    );
    expect(events).toEqual([{ after: expect.objectContaining({ constituents: 300, cases: 500, seed: 7 }) }]);
  });

  it('generates the same people and case texts from the same seed, and others from another', async () => {
    const names = async (officeId: string) =>
      (await q<{ name: string }>(`SELECT concat_ws(' ', given_name, family_name, organisation_name) AS name FROM constituents WHERE office_id = $1`, [officeId]))
        .map((r) => r.name)
        .sort();
    const subjects = async (officeId: string) =>
      (await q<{ s: string }>(`SELECT subject || '|' || description AS s FROM cases WHERE office_id = $1`, [officeId])).map((r) => r.s).sort();
    const twin = await load({ officeSlug: uniq('demo').toLowerCase() });
    const other = await load({ officeSlug: uniq('demo').toLowerCase(), seed: 8 });
    expect(await names(twin.officeId)).toEqual(await names(summary.officeId));
    expect(await subjects(twin.officeId)).toEqual(await subjects(summary.officeId));
    expect(await names(other.officeId)).not.toEqual(await names(summary.officeId));
  });

  it("fills an empty address register with the district's houses, where the portal's address search finds the people's homes", async () => {
    const district = buildDistrict();
    expect(summary.registerAddressesCreated).toBe(district.streets.reduce((n, s) => n + s.houses, 0));
    const scope = systemScope(database.db, summary.officeId);
    const [home] = await q<{ line1: string; postcode: string; lat: number; lng: number }>(
      `SELECT line1, postcode, lat, lng FROM constituent_addresses WHERE office_id = $1 AND line1 ~ '^[0-9]+ ' AND line2 IS NULL ORDER BY id LIMIT 1`, [summary.officeId]);
    const found = await geo.searchAddresses(scope, `${home!.line1} ${home!.postcode}`, 5);
    expect(found[0]).toMatchObject({ line1: home!.line1, postcode: home!.postcode, lat: home!.lat, lng: home!.lng });
    // A second run leaves the register as it is.
    expect((await load({ officeSlug: slug, constituents: 5, cases: 5, addressRegister: true })).registerAddressesCreated).toBe(0);
  });

  it("switches the public form and portal on for an office that never set it, also one made by the first start, and leaves an admin's choice alone", async () => {
    expect(summary.publicFormEnabled).toBe(true);
    expect(await publicForm.settingsOf(database.db, summary.officeId)).toEqual({ enabled: true, categoryIds: null });
    expect(printed).toContainEqual(expect.stringContaining(`/portal/${slug}`));
    // The office the first `npm start` creates (bootstrap) has no form settings yet.
    const existing = await offices.create(database.db, { slug: uniq('boot').toLowerCase(), name: 'Main', timeZone: 'Europe/London' }, 'test');
    const lines: string[] = [];
    const onExisting = await load({ officeSlug: existing.slug, constituents: 5, cases: 5 }, lines);
    expect(onExisting).toMatchObject({ officeCreated: false, publicFormEnabled: true });
    expect(await publicForm.settingsOf(database.db, existing.id)).toEqual({ enabled: true, categoryIds: null });
    expect(lines).toContainEqual(expect.stringContaining(`/portal/${existing.slug}`));
    // An admin switched it off: the next run leaves it off and says nothing about it.
    await publicForm.update(systemScope(database.db, existing.id, 'test'), { enabled: false, categoryIds: null });
    const again: string[] = [];
    expect(await load({ officeSlug: existing.slug, constituents: 5, cases: 5 }, again)).toMatchObject({ publicFormEnabled: false });
    expect(await publicForm.settingsOf(database.db, existing.id)).toEqual({ enabled: false, categoryIds: null });
    expect(again.some((l) => l.includes('/portal/'))).toBe(false);
  });

  it('adds to an office on a second run, reusing its set-up and continuing the references', async () => {
    const office = uniq('demo').toLowerCase();
    const first = await load({ officeSlug: office, constituents: 50, cases: 80 });
    const before = await q<{ year: number; last_value: number }>(`SELECT year, last_value FROM reference_counters WHERE office_id = $1`, [first.officeId]);
    // An admin moved the office defaults to business time: the second run's cases follow.
    const scope = systemScope(database.db, first.officeId);
    for (const p of (await sla.listPolicies(scope)).filter((x) => x.categoryId === null)) await sla.updatePolicy(scope, undefined, p.id, { clock: 'business' });
    const second = await load({ officeSlug: office, constituents: 40, cases: 60 });
    expect(second.officeId).toBe(first.officeId);
    expect(second).toMatchObject({ officeCreated: false, wards: { created: 0 }, categoriesCreated: 0, slaPoliciesCreated: 0, teamsCreated: 0, staff: [] });
    const dues = `id, reference, first_response_due_at, resolution_due_at, first_response_warn_at, resolution_warn_at, first_response_breached_at, resolution_breached_at, sla_next_check_at`;
    // The second run's cases: references after the first run's counters.
    const isNew = (ref: string) => Number(ref.slice(7)) > (before.find((b) => b.year === Number(ref.slice(2, 6)))?.last_value ?? 0);
    const added = (await q<{ id: string; reference: string }>(
      `SELECT ${dues} FROM cases c WHERE office_id = $1 AND EXISTS (SELECT 1 FROM sla_policies p WHERE p.office_id = c.office_id AND p.id = c.sla_policy_id AND p.clock = 'business') ORDER BY id`,
      [first.officeId],
    )).filter((c) => isNew(c.reference));
    expect(added.length).toBeGreaterThan(5);
    for (const c of added) await applySla(database.db, first.officeId, c.id);
    expect(await q(`SELECT ${dues} FROM cases WHERE office_id = $1 AND id = ANY($2::uuid[]) ORDER BY id`, [first.officeId, added.map((c) => c.id)])).toEqual(added);
    const [counts] = await q<{ constituents: number; cases: number; refs: number; wards: number; users: number }>(
      `SELECT (SELECT count(*)::int FROM constituents WHERE office_id = $1) AS constituents,
              (SELECT count(*)::int FROM cases WHERE office_id = $1) AS cases,
              (SELECT count(DISTINCT reference)::int FROM cases WHERE office_id = $1) AS refs,
              (SELECT count(*)::int FROM boundaries WHERE office_id = $1) AS wards,
              (SELECT count(*)::int FROM users WHERE office_id = $1) AS users`,
      [first.officeId],
    );
    expect(counts).toEqual({ constituents: 90, cases: 140, refs: 140, wards: buildDistrict().wards.length, users: first.staff.length });
    const after = await q<{ year: number; last_value: number }>(`SELECT year, last_value FROM reference_counters WHERE office_id = $1`, [first.officeId]);
    const perYear = await q<{ year: number; n: number; max: number }>(
      `SELECT substring(reference, 3, 4)::int AS year, count(*)::int AS n, max(substring(reference, 8)::int) AS max FROM cases WHERE office_id = $1 GROUP BY 1`,
      [first.officeId],
    );
    for (const { year, n, max } of perYear) {
      expect(max).toBe(n);
      expect(after.find((c) => c.year === year)!.last_value).toBe(n);
      expect(n).toBeGreaterThanOrEqual(before.find((c) => c.year === year)?.last_value ?? 0);
    }
    // The second run's people are new people, not the first run's again.
    const dupes = await q(`SELECT given_name, family_name, date_of_birth FROM constituents WHERE office_id = $1 AND kind = 'person' AND date_of_birth IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 1`, [first.officeId]);
    expect(dupes.length).toBeLessThan(3);
  });
});
