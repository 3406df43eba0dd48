// `civitas demo`: fills an office with a fictional district's data (wards, categories, staff,
// teams, SLA policies, constituents with contact points, two years of cases with their SLA
// state and some residents' ratings), in batches of one statement
// per table, with progress on stderr and one audit event for the whole load.
//
// Running it again on the same office adds more constituents and cases: wards, categories,
// staff and teams are reused, case references continue from the office's counters, and
// the seed is mixed with the number of constituents already there so the new people differ.
// Cases are requested by the constituents added in the same run.
import * as audit from '../../platform/audit/audit.js';
import type { Database, Trx } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import { assignAreas } from '../geo/geo.service.js';
import * as publicForm from '../intake/intake.public-form.js';
import { generateCase, planCases, type CaseContext, type CaseSlot } from './demo.cases.js';
import { buildDistrict, createRng, generatePerson, type GenContext, type Home, type Person } from './demo.generator.js';
import * as repo from './demo.repo.js';
import { ensureCategories, ensureOffice, ensureRegister, ensureSlaPolicies, ensureStaff, ensureTeams, ensureWards, type StaffLogin } from './demo.setup.js';

export type DemoOptions = {
  officeSlug: string; constituents: number; cases: number; seed: number;
  /** Fill an empty address register with the district's houses (default true; tests of other parts skip it). */
  addressRegister?: boolean;
};
export type DemoIo = { progress(line: string): void; print(line: string): void };
export type DemoSummary = {
  officeId: string;
  officeCreated: boolean;
  /** The public form (and with it the resident portal) was switched on by this run. */
  publicFormEnabled: boolean;
  wards: { created: number; total: number };
  registerAddressesCreated: number;
  categoriesCreated: number;
  slaPoliciesCreated: number;
  staff: StaffLogin[];
  teamsCreated: number;
  constituents: number;
  cases: number;
  references: { first: string; last: string } | null;
  seconds: number;
};

const BATCH = 5_000;
const DAY = 86_400_000;
const consoleIo: DemoIo = { progress: (l) => console.error(l), print: (l) => console.log(l) };

/**
 * Runs batch inserts one after another while the caller builds the next batch, so that on
 * PostgreSQL generating and inserting overlap. A failed batch fails the next `add` or `done`.
 */
function batchWriter(database: Database) {
  let pending: Promise<void> = Promise.resolve();
  const settle = async () => {
    const p = pending;
    pending = Promise.resolve();
    await p;
  };
  return {
    async add(write: (trx: Trx) => Promise<void>, then: () => void) {
      await settle();
      pending = database.db.transaction().execute(write).then(then);
      pending.catch(() => undefined); // awaited by the next add or done
    },
    done: settle,
  };
}

export async function runDemo(database: Database, opts: DemoOptions, io: DemoIo = consoleIo): Promise<DemoSummary> {
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const db = database.db;
  const now = Date.now();
  const district = buildDistrict();
  const { office, created: officeCreated } = await ensureOffice(db, opts.officeSlug, district.name);
  const scope = systemScope(db, office.id, 'demo');
  const wards = await ensureWards(db, office.id, district);
  const registerAddressesCreated = opts.addressRegister === false ? 0 : await ensureRegister(scope, district);
  const categories = await ensureCategories(db, office.id);
  const staff = await ensureStaff(scope, office, opts.seed);
  const teams = await ensureTeams(scope, staff.members);
  // The demo office shows its public request form and the resident portal, also when the
  // office came from the first start; once set (by an admin or an earlier run) it is left alone.
  const publicFormEnabled = await publicForm.enableUnlessSet(scope);
  const sla = await ensureSlaPolicies(scope, office, categories.ids, categories.groupIds, now);
  io.progress(`set up office ${office.slug}: ${wards.total} wards, ${categories.total} categories, ${teams.teams.size} teams, ${sla.total} SLA policies (${elapsed()}s)`);

  // Separate streams for people, case plans, case times and case content, so that the same
  // seed gives the same people and case texts whatever the date (only times move with it).
  const existing = await repo.countConstituents(db, office.id);
  const seed = [opts.seed, existing];
  const gen: GenContext = { rng: createRng([...seed, 1]), district, locate: wards.locate };
  const slots = planCases(createRng([...seed, 2]), createRng([...seed, 3]), opts.cases, opts.constituents, now);

  const requesters = await loadConstituents(database, office.id, gen, slots, opts.constituents, now, (done) =>
    io.progress(`constituents ${done}/${opts.constituents} (${elapsed()}s)`),
  );
  const ctx: CaseContext = { ...gen, rng: createRng(0), seed: [...seed, 4], now, categoryIds: categories.ids, teams: teams.teams, requesters, policyFor: sla.policyFor };
  const references = await loadCases(database, office.id, office.timeZone, ctx, slots, (done) => io.progress(`cases ${done}/${opts.cases} (${elapsed()}s)`));
  // Fresh statistics, so the planner uses the search indexes on the new rows at once.
  await repo.analyzeRegistry(db);

  const summary: DemoSummary = {
    officeId: office.id,
    officeCreated,
    publicFormEnabled,
    wards: { created: wards.created, total: wards.total },
    registerAddressesCreated,
    categoriesCreated: categories.created,
    slaPoliciesCreated: sla.created,
    staff: staff.logins,
    teamsCreated: teams.created,
    constituents: opts.constituents,
    cases: opts.cases,
    references,
    seconds: Number(elapsed()),
  };
  const { staff: _logins, officeId: _id, seconds: _s, publicFormEnabled: _p, ...counts } = summary;
  await audit.record(db, scope, { entity: 'office', id: office.id, action: 'demo_loaded', after: { seed: opts.seed, ...counts, staffCreated: staff.logins.length } });
  printSummary(io, office.slug, summary);
  return summary;
}

/** Inserts the constituents batch by batch; returns their ids and homes for the cases. */
async function loadConstituents(
  database: Database,
  officeId: string,
  gen: GenContext,
  slots: CaseSlot[],
  count: number,
  now: number,
  onBatch: (done: number) => void,
): Promise<{ ids: string[]; homes: (Home | null)[] }> {
  // Everyone who reported something was on the register before their first case.
  const firstCase = new Float64Array(count).fill(Infinity);
  for (const s of slots) if (s.requester >= 0) firstCase[s.requester] = Math.min(firstCase[s.requester]!, s.at);
  const ids: string[] = [];
  const homes: (Home | null)[] = [];
  const writer = batchWriter(database);
  for (let start = 0; start < count; start += BATCH) {
    const batch = { constituents: [] as Person['constituent'][], emails: [] as Person['emails'], phones: [] as Person['phones'], addresses: [] as Person['addresses'] };
    for (let k = start; k < Math.min(count, start + BATCH); k++) {
      const joined = now - 4 * 365 * DAY * gen.rng.number.float() ** 0.8;
      const createdAt = Math.min(joined, firstCase[k]! - (0.01 + gen.rng.number.float() * 30) * DAY);
      const p = generatePerson(gen, new Date(createdAt));
      batch.constituents.push(p.constituent);
      batch.emails.push(...p.emails);
      batch.phones.push(...p.phones);
      batch.addresses.push(...p.addresses);
      ids.push(p.constituent.id);
      homes.push(p.home);
    }
    const done = ids.length;
    await writer.add(async (trx) => {
      await repo.insertConstituents(trx, officeId, batch);
      // Every address gets its areas (constituent_address_areas), as imported boundaries give them.
      await assignAreas(trx, officeId, batch.addresses.map((a) => a.id));
    }, () => onBatch(done));
  }
  await writer.done();
  return { ids, homes };
}

/** Reserves references per year, then inserts the cases in time order, batch by batch. */
async function loadCases(
  database: Database,
  officeId: string,
  timeZone: string,
  ctx: CaseContext,
  slots: CaseSlot[],
  onBatch: (done: number) => void,
): Promise<{ first: string; last: string } | null> {
  if (slots.length === 0) return null;
  const yearOf = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' });
  const years = slots.map((s) => Number(yearOf.format(s.at)));
  const perYear = new Map<number, number>();
  for (const y of years) perYear.set(y, (perYear.get(y) ?? 0) + 1);
  const next = await database.db.transaction().execute(async (trx) => {
    const firsts = new Map<number, number>();
    for (const [year, n] of perYear) firsts.set(year, await repo.reserveReferences(trx, officeId, year, n));
    return firsts;
  });
  const references = years.map((y) => {
    const seq = next.get(y)!;
    next.set(y, seq + 1);
    return `C-${y}-${String(seq).padStart(5, '0')}`;
  });
  const writer = batchWriter(database);
  for (let start = 0; start < slots.length; start += BATCH) {
    const made = slots.slice(start, start + BATCH).map((s, k) => generateCase(ctx, s, references[start + k]!));
    const rows = made.map((m) => m.row);
    const ratings = made.flatMap((m) => (m.rating ? [m.rating] : []));
    await writer.add((trx) => repo.insertCases(trx, officeId, rows, ratings), () => onBatch(Math.min(slots.length, start + BATCH)));
  }
  await writer.done();
  return { first: references[0]!, last: references[references.length - 1]! };
}

function printSummary(io: DemoIo, slug: string, s: DemoSummary): void {
  io.print(`Demo data loaded into office "${slug}" in ${s.seconds}s${s.officeCreated ? ' (office created)' : ''}:`);
  io.print(`  wards ${s.wards.total} (${s.wards.created} new), ${s.registerAddressesCreated} new register addresses, ${s.categoriesCreated} new categories, ${s.slaPoliciesCreated} new SLA policies, ${s.teamsCreated} new teams, ${s.staff.length} new staff`);
  io.print(`  constituents ${s.constituents}, cases ${s.cases}${s.references ? ` (${s.references.first} to ${s.references.last})` : ''}`);
  if (s.publicFormEnabled) io.print(`  the public form and the resident portal are on: /portal/${slug} and /forms/${slug} (an admin can switch them off under Settings, Public web form)`);
  if (s.staff.length === 0) return;
  io.print('Staff accounts (passwords are shown only this once):');
  for (const l of s.staff) io.print(`  ${l.role.padEnd(10)} ${l.email.padEnd(44)} ${l.password}`);
}
