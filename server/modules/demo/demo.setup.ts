// The demo's small, reusable parts: the office, its wards, categories, staff, teams and SLA
// policies. Each is created only if missing, so a second run on the same office reuses them.
import type { Office } from '../../../contract/offices.js';
import { inTransaction, type Db } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import * as geo from '../geo/geo.service.js';
import * as offices from '../offices/offices.service.js';
import { compileCalendar } from '../sla/sla.calendar.js';
import { businessClock, calendarClock, type Clock } from '../sla/sla.clock.js';
import * as sla from '../sla/sla.service.js';
import * as teams from '../teams/teams.service.js';
import * as users from '../users/users.service.js';
import type { DemoPolicy } from './demo.cases.js';
import { createRng, housePosition, postcodeOf, type District } from './demo.generator.js';
import { polygonOf, wardLocator } from './demo.geometry.js';
import { FIRST_NAMES, SURNAMES } from './demo.names.js';
import * as repo from './demo.repo.js';
import { CATEGORY_GROUPS, STAFF_PLAN, TEAMS, type TeamKey } from './demo.taxonomy.js';

export async function ensureOffice(db: Db, slug: string, districtName: string): Promise<{ office: Office; created: boolean }> {
  const existing = await offices.getBySlug(db, slug);
  if (existing) return { office: existing, created: false };
  const office = await offices.create(db, { slug, name: `${districtName} (demo)`, timeZone: 'Europe/London', locale: 'en-GB', defaultRegion: 'GB' }, 'demo');
  return { office, created: true };
}

/** Stores the district's wards that the office lacks, then locates points in all its wards. */
export async function ensureWards(db: Db, officeId: string, district: District) {
  const created = await repo.insertWardsIfMissing(
    db,
    officeId,
    district.wards.map((w) => ({ code: w.code, name: w.name, geometry: polygonOf(w.ring), bbox: w.bbox })),
  );
  const stored = await repo.listWards(db, officeId);
  return { created, total: stored.length, locate: wardLocator(stored) };
}

/**
 * Every house of the district in the office's address register (about 28,000), through the
 * register's own CSV import, so that the portal's address search, area alerts around an
 * address and geocoding work in the demo. An office that has a register keeps it as it is.
 */
export async function ensureRegister(scope: Scope, district: District): Promise<number> {
  if ((await geo.summary(scope)).register.addresses > 0) return 0;
  const rows: (string | number)[][] = [['external_id', 'line1', 'locality', 'postcode', 'lat', 'lng']];
  district.streets.forEach((s, i) => {
    for (let num = 1; num <= s.houses; num++) {
      const [lng, lat] = housePosition(s, num);
      rows.push([`demo-${i + 1}-${num}`, `${num} ${s.name}`, district.name, postcodeOf(s, i, num), Math.round(lat * 1e6) / 1e6, Math.round(lng * 1e6) / 1e6]);
    }
  });
  const r = await geo.importRegister(scope, Readable.from([stringify(rows)]));
  return r.created;
}

/** The category tree; returns ids by `${parent}/${child}` and the top-level ids by name. */
export async function ensureCategories(db: Db, officeId: string): Promise<{ created: number; total: number; ids: Map<string, string>; groupIds: Map<string, string> }> {
  return inTransaction(db, async (trx) => {
    const existing = await repo.listCategories(trx, officeId);
    const find = (parentId: string | null, name: string) => existing.find((c) => c.parent_id === parentId && c.name === name)?.id;
    const ids = new Map<string, string>();
    const groupIds = new Map<string, string>();
    let created = 0;
    const ensure = async (parentId: string | null, name: string) => {
      const found = find(parentId, name);
      if (found) return found;
      created++;
      return repo.insertCategory(trx, officeId, parentId, name);
    };
    for (const group of CATEGORY_GROUPS) {
      const parentId = await ensure(null, group.name);
      groupIds.set(group.name, parentId);
      for (const child of group.children) ids.set(`${group.name}/${child.name}`, await ensure(parentId, child.name));
    }
    return { created, total: CATEGORY_GROUPS.length + ids.size, ids, groupIds };
  });
}

export type StaffLogin = { email: string; displayName: string; role: string; password: string };

/**
 * Staff with emails like firstname.lastname@<slug>.demo: made on the first run (plus an admin
 * if the office has none), reused afterwards. Returns the new accounts' generated passwords.
 */
export async function ensureStaff(scope: Scope, office: Office, seed: number): Promise<{ logins: StaffLogin[]; members: Map<TeamKey, { userId: string; isManager: boolean }[]> }> {
  const domain = `${office.slug}.demo`;
  const members = new Map<TeamKey, { userId: string; isManager: boolean }[]>();
  if ((await repo.listDemoStaff(scope.db, office.id, domain)).length > 0) return { logins: [], members };
  const rng = createRng([seed, 1]);
  const plan = [...(!(await repo.hasActiveAdmin(scope.db, office.id)) ? [{ role: 'admin' as const, team: null }] : []), ...STAFF_PLAN];
  const taken = new Set<string>();
  const logins: StaffLogin[] = [];
  for (const p of plan) {
    const given = rng.helpers.arrayElement(FIRST_NAMES);
    const family = rng.helpers.arrayElement(SURNAMES);
    const local = `${given}.${family}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z.]/g, '');
    let email = `${local}@${domain}`;
    for (let k = 2; taken.has(email) || (await users.findByEmail(scope.db, email)); k++) email = `${local}${k}@${domain}`;
    taken.add(email);
    const r = await users.create(scope, { email, displayName: `${given} ${family}`, role: p.role });
    logins.push({ email, displayName: r.user.displayName, role: p.role, password: r.generatedPassword! });
    if (p.team) members.set(p.team, [...(members.get(p.team) ?? []), { userId: r.user.id, isManager: p.role === 'manager' }]);
  }
  return { logins, members };
}

/** The four teams; new ones get the new staff as members. Returns ids and member ids by key. */
export async function ensureTeams(scope: Scope, newMembers: Map<TeamKey, { userId: string; isManager: boolean }[]>) {
  const existing = await teams.list(scope);
  const out = new Map<TeamKey, { id: string; members: string[] }>();
  let created = 0;
  for (const t of TEAMS) {
    let team = existing.find((e) => e.name.toLowerCase() === t.name.toLowerCase());
    if (!team) {
      created++;
      team = await teams.create(scope, { name: t.name, description: t.description });
      const members = newMembers.get(t.key) ?? [];
      if (members.length) team = await teams.setMembers(scope, team.id, { members });
    }
    out.set(t.key, { id: team.id, members: team.members.map((m) => m.userId) });
  }
  return { created, teams: out };
}

const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
const HOUR = 60;
/** Office defaults in calendar time: [first response, resolution] in minutes per priority. */
const DEFAULT_TARGETS: Record<(typeof PRIORITIES)[number], [number, number]> = {
  urgent: [4 * HOUR, 3 * 24 * HOUR], high: [24 * HOUR, 7 * 24 * HOUR], normal: [48 * HOUR, 14 * 24 * HOUR], low: [5 * 24 * HOUR, 28 * 24 * HOUR],
};
/** Casework waits on agencies: its top-level categories get three times the resolution time. */
const CASEWORK_RESOLUTION_FACTOR = 3;

/**
 * SLA policies: an office with none gets calendar-time defaults per priority and longer
 * targets for the casework categories (through the sla module, so they are audited like an
 * admin's). Returns `policyFor`, which picks a case's policy as the sla module does (the
 * category's own, else its parent's, else the office default) with the clock it runs on,
 * so the loader writes the due times the sla module would compute.
 */
export async function ensureSlaPolicies(scope: Scope, office: Office, categoryIds: Map<string, string>, groupIds: Map<string, string>, now: number) {
  let created = 0;
  if ((await sla.listPolicies(scope)).length === 0) {
    const casework = CATEGORY_GROUPS.filter((g) => g.kind === 'casework').map((g) => groupIds.get(g.name)!);
    for (const categoryId of [null, ...casework]) {
      for (const priority of PRIORITIES) {
        const [firstResponseMinutes, resolution] = DEFAULT_TARGETS[priority];
        const resolutionMinutes = categoryId === null ? resolution : resolution * CASEWORK_RESOLUTION_FACTOR;
        await sla.createPolicy(scope, undefined, { categoryId, priority, firstResponseMinutes, resolutionMinutes, clock: 'calendar' });
        created++;
      }
    }
  }
  const policies = await sla.listPolicies(scope);
  // An admin may have switched a policy to business time: those cases run on the office calendar.
  let business: Clock | null | undefined;
  const clockOf = async (kind: 'business' | 'calendar'): Promise<Clock | null> => {
    if (kind === 'calendar') return calendarClock;
    if (business === undefined) {
      const from = new Date(now - 3 * 366 * 86_400_000).toISOString().slice(0, 10);
      const holidays = (await sla.listHolidays(scope, { from })).map((h) => h.date);
      const calendar = compileCalendar({ timeZone: office.timeZone, hours: office.businessHours, holidays });
      // Without working time the sla module gives no due times; the demo then leaves the SLA columns empty.
      business = calendar.hasWorkingTime ? businessClock(calendar) : null;
    }
    return business;
  };
  const byTarget = new Map<string, DemoPolicy | null>();
  for (const p of policies) {
    const clock = await clockOf(p.clock);
    byTarget.set(`${p.categoryId ?? ''}/${p.priority}`, clock && {
      id: p.id, firstResponseMinutes: p.firstResponseMinutes, resolutionMinutes: p.resolutionMinutes, warnPercent: p.warnPercent, warnMinutesBefore: p.warnMinutesBefore, clock,
    });
  }
  const parentOf = new Map<string, string>();
  for (const g of CATEGORY_GROUPS) for (const c of g.children) parentOf.set(categoryIds.get(`${g.name}/${c.name}`)!, groupIds.get(g.name)!);
  const policyFor = (categoryId: string | null, priority: string): DemoPolicy | null => {
    for (const key of [categoryId, categoryId && parentOf.get(categoryId)]) {
      if (key && byTarget.has(`${key}/${priority}`)) return byTarget.get(`${key}/${priority}`)!;
    }
    return byTarget.get(`/${priority}`) ?? null;
  };
  return { created, total: policies.length, policyFor };
}
