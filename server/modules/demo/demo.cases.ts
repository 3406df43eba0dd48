// Seeded generation of demo cases: when they arrived (more recent, more of them, fewer at
// weekends, some categories with a season), what about, from whom and where, and how far
// they have got: first response, resolution and closure, the SLA targets of the policy the
// sla module would apply (with the warnings and breaches its sweep would have marked), and
// the resident's rating of some resolved cases. Older cases are mostly resolved or closed,
// recent ones new or open, with timestamps that always follow one another.
import { CASEWORK_TEXTS, CLOSERS, IMPACTS, MONTHS, OPENERS, WEEKS } from './demo.casework-texts.js';
import { uuidv7 } from '../../platform/ids.js';
import { MINUTE } from '../sla/sla.calendar.js';
import { nextCheckAt, warnTarget } from '../sla/sla.cases.js';
import type { Clock } from '../sla/sla.clock.js';
import { housePosition, postcodeOf, randomHome, type GenContext, type Home, type Rng } from './demo.generator.js';
import { offsetMetres } from './demo.geometry.js';
import { LANDMARKS, PARKS } from './demo.names.js';
import { CATEGORY_GROUPS, CHANNELS, type TeamKey } from './demo.taxonomy.js';
import { ITEMS, REPORT_TEXTS, SINCE, VEHICLES, WHEN } from './demo.texts.js';

const DAY = 86_400_000;
const HISTORY_DAYS = 730;

export type CaseRow = {
  id: string; reference: string; subject: string; description: string; category_id: string | null; status: string; priority: string;
  channel: string; requester_id: string | null; address: string | null; lat: number | null; lng: number | null; ward_id: string | null;
  assignee_id: string | null; team_id: string | null; is_sensitive: boolean; created_at: string; updated_at: string;
  resolved_at: string | null; closed_at: string | null; first_responded_at: string | null;
  sla_policy_id: string | null; first_response_due_at: string | null; resolution_due_at: string | null;
  first_response_warn_at: string | null; resolution_warn_at: string | null; first_response_warned_at: string | null;
  first_response_breached_at: string | null; resolution_warned_at: string | null; resolution_breached_at: string | null;
  sla_next_check_at: string | null;
};

export type RatingRow = { case_id: string; score: number; comment: string | null; rated_at: string; updated_at: string };

/** The SLA policy of a category and priority, with the clock it runs on (see demo.setup.ts). */
export type DemoPolicy = {
  id: string; firstResponseMinutes: number; resolutionMinutes: number; warnPercent: number; warnMinutesBefore: number | null; clock: Clock;
};

/**
 * What is decided before any constituent exists: when, what, how and from whom (an index
 * into the new constituents). `index` is the order of drawing, which seeds the case's text.
 */
export type CaseSlot = { index: number; at: number; group: number; child: number; channel: string; requester: number };

export type CaseContext = GenContext & {
  /** Each case reseeds `rng` with this plus its slot index, so its content never depends on the clock. */
  seed: number[];
  now: number;
  /** Category ids by `${group}/${child}` name. */
  categoryIds: Map<string, string>;
  teams: Map<TeamKey, { id: string; members: string[] }>;
  requesters: { ids: string[]; homes: (Home | null)[] };
  /** The policy the sla module would give a case (category, then its parent, then the office default); null when none. */
  policyFor(categoryId: string | null, priority: string): DemoPolicy | null;
};

const FLAT_CATEGORIES = CATEGORY_GROUPS.flatMap((g, group) => g.children.map((c, child) => ({ value: { group, child }, weight: c.weight })));
const IN_OFFICE_HOURS = new Set(['phone', 'walk_in', 'letter', 'event', 'doorstep']);
const SENSITIVE: Record<string, number> = {
  Homelessness: 0.3, 'Immigration & visas': 0.4, 'Universal Credit': 0.2, 'Housing benefit': 0.2, 'NHS services': 0.4, 'Anti-social behaviour': 0.15, 'Damp & mould': 0.05,
};
const CHANNEL_PREFIX: Record<string, string[]> = {
  phone: ['Resident phoned: ', 'Caller reports: ', 'Phone call. '],
  voicemail: ['Voicemail: ', 'Voicemail left: '],
  walk_in: ['Came in to the office. ', 'Walk-in: ', 'Raised at the surgery. '],
  doorstep: ['Raised on the doorstep: ', 'Doorstep conversation. '],
  event: ['Raised at the ward forum: ', 'Raised at the community meeting. '],
  letter: ['Letter received. ', ''],
};

/**
 * Categories with a season: [amplitude, day of the year at the peak]. Damp, potholes and
 * dark streets come in winter; overgrown verges, noise and bonfires in summer.
 */
const SEASONS: Record<string, [number, number]> = {
  'Damp & mould': [0.7, 20], Potholes: [0.6, 35], 'Road defects': [0.4, 35], 'Street lighting': [0.5, 355], 'Blocked drains': [0.4, 330],
  Homelessness: [0.25, 15], 'Council tax': [0.35, 75], 'Overgrown vegetation': [0.7, 190], Noise: [0.4, 200], 'Bonfires & smoke': [0.5, 310],
  'Parks & open spaces': [0.35, 200], Trees: [0.3, 300], 'Missed garden waste collection': [0.5, 170],
};
/** Share of arrivals kept per weekday (Sunday first): Monday is the busiest day, Friday tails off. */
const WEEKDAY_KEEP = [0.3, 1, 0.95, 0.92, 0.9, 0.8, 0.35];

/**
 * Case arrival times over the last two years: recent days busier, more on Mondays and fewer
 * at weekends (office channels hardly at all), and a yearly season for some categories.
 */
function sampleTime(clock: Rng, now: number, channel: string, category: string): number {
  const today = Math.floor(now / DAY) * DAY;
  const season = SEASONS[category];
  for (;;) {
    const ageDays = Math.floor(clock.number.float() * HISTORY_DAYS);
    if (clock.number.float() * 3 > 1 + 2 * (1 - ageDays / HISTORY_DAYS)) continue;
    const midnight = today - ageDays * DAY;
    const date = new Date(midnight);
    const weekday = date.getUTCDay();
    const keep = weekday === 0 || weekday === 6 ? (IN_OFFICE_HOURS.has(channel) ? 0.1 : WEEKDAY_KEEP[weekday]! * 1.7) : WEEKDAY_KEEP[weekday]!;
    if (clock.number.float() > keep) continue;
    if (season) {
      const [amplitude, peak] = season;
      const dayOfYear = (midnight - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY;
      if (clock.number.float() * (1 + amplitude) > 1 + amplitude * Math.cos((2 * Math.PI * (dayOfYear - peak)) / 365.25)) continue;
    }
    const hour = IN_OFFICE_HOURS.has(channel) ? 9 + clock.number.float() * 8 : 6 + 17.5 * clock.number.float() ** 0.8;
    // Today's cases fit into the part of the day that has passed.
    return Math.floor(ageDays === 0 ? today + (hour / 24) * (now - today) : midnight + hour * 3_600_000);
  }
}

/**
 * Plans `count` cases in time order; requesters are indices into the new constituents. What
 * and from whom come from `rng`, when from `clock`, so only the times depend on the date.
 */
export function planCases(rng: Rng, clock: Rng, count: number, constituents: number, now: number): CaseSlot[] {
  const frequent = Math.max(1, Math.floor(constituents * 0.02));
  const slots: CaseSlot[] = [];
  for (let k = 0; k < count; k++) {
    const { group, child } = rng.helpers.weightedArrayElement(FLAT_CATEGORIES);
    const g = CATEGORY_GROUPS[group]!;
    const channel = rng.helpers.weightedArrayElement(CHANNELS[g.kind]);
    const needsRequester = g.kind === 'casework' || g.located === 'home' || rng.datatype.boolean(0.85);
    const requester = constituents === 0 || !needsRequester ? -1
      : rng.datatype.boolean(0.25) ? rng.number.int({ max: frequent - 1 }) : rng.number.int({ max: constituents - 1 });
    slots.push({ index: k, at: sampleTime(clock, now, channel, g.children[child]!.name), group, child, channel, requester });
  }
  return slots.sort((a, b) => a.at - b.at);
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.number.float())) * Math.cos(2 * Math.PI * rng.number.float());
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The first clause of a text, cut at a word near 70 characters. */
function headline(text: string): string {
  const clause = text.split(/[.,:!?]\s/)[0]!.replace(/\.$/, '');
  if (clause.length <= 70) return clause;
  return `${clause.slice(0, clause.lastIndexOf(' ', 70))}…`;
}

/** Fills {placeholders}, each drawn once per case so subject and description agree. */
function filler(ctx: CaseContext, where: Home | null) {
  const { rng, district } = ctx;
  const at = where ?? randomHome(ctx);
  const values = new Map<string, string>();
  const draw: Record<string, () => string> = {
    street: () => district.streets[at.street]!.name,
    num: () => String(at.num),
    street2: () => district.streets[(at.street + 1 + rng.number.int({ max: district.streets.length - 2 })) % district.streets.length]!.name,
    place: () => rng.helpers.arrayElement(LANDMARKS),
    park: () => rng.helpers.arrayElement(PARKS),
    since: () => rng.helpers.arrayElement(SINCE),
    when: () => rng.helpers.arrayElement(WHEN),
    items: () => rng.helpers.arrayElement(ITEMS),
    car: () => rng.helpers.arrayElement(VEHICLES),
    n: () => String(rng.number.int({ min: 2, max: 6 })),
    weeks: () => rng.helpers.arrayElement(WEEKS),
    months: () => rng.helpers.arrayElement(MONTHS),
    refno: () => `${rng.string.alpha({ length: 1, casing: 'upper' })}${rng.string.numeric(7)}`,
  };
  return (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, key: string) => {
      if (!values.has(key)) values.set(key, draw[key]?.() ?? key);
      return values.get(key)!;
    });
}

function writeText(ctx: CaseContext, slot: CaseSlot, where: Home | null): { subject: string; description: string } {
  const { rng } = ctx;
  const g = CATEGORY_GROUPS[slot.group]!;
  const name = g.children[slot.child]!.name;
  const texts = REPORT_TEXTS[name] ?? CASEWORK_TEXTS[name]!;
  const fill = filler(ctx, where);
  let body = capitalise(fill(rng.helpers.arrayElement(texts.details)));
  // Some people title a report with the category, some with the start of what they wrote.
  const style = rng.number.float();
  const subject = style < 0.08 ? name : style < 0.3 ? headline(body) : capitalise(fill(rng.helpers.arrayElement(texts.subjects)));
  const impacts = IMPACTS[g.name];
  if (impacts && rng.datatype.boolean(0.3)) body += ` ${rng.helpers.arrayElement(impacts)}`;
  const typed = ['web', 'open311', 'sms', 'social'].includes(slot.channel);
  const prefix = CHANNEL_PREFIX[slot.channel] ? rng.helpers.arrayElement(CHANNEL_PREFIX[slot.channel]!) : '';
  const opener = slot.channel === 'email' || (typed && rng.datatype.boolean(0.15)) ? rng.helpers.arrayElement(OPENERS) : '';
  // Notes staff type up from a call or a visit have no greeting or sign-off.
  const closer = slot.channel === 'email' || slot.channel === 'letter' || (typed && slot.channel !== 'sms') ? rng.helpers.arrayElement(CLOSERS) : '';
  let description = `${prefix}${opener}${body}${closer}`;
  if (typed && rng.datatype.boolean(0.07)) description = description.toLowerCase().replace(/\.$/, '');
  return { subject: subject.slice(0, 300), description };
}

function locate(ctx: CaseContext, slot: CaseSlot): { where: Home | null; address: string | null; lat: number | null; lng: number | null } {
  const { rng, district } = ctx;
  const g = CATEGORY_GROUPS[slot.group]!;
  const home = slot.requester >= 0 ? ctx.requesters.homes[slot.requester] ?? null : null;
  if (g.located === 'none') return { where: home, address: null, lat: null, lng: null };
  let where: Home;
  if (g.located === 'home') where = home ?? randomHome(ctx);
  else if (home && rng.datatype.boolean(0.55)) {
    const houses = district.streets[home.street]!.houses;
    where = { street: home.street, num: Math.min(houses, Math.max(1, home.num + rng.number.int({ min: -20, max: 20 }))) };
  } else where = randomHome(ctx);
  const s = district.streets[where.street]!;
  const exact = g.located === 'home' || rng.datatype.boolean(0.6);
  const address = exact ? `${where.num} ${s.name}, ${district.name} ${postcodeOf(s, where.street, where.num)}` : `${s.name}, ${district.name}`;
  // Some reports by phone or email say where only in words.
  if (!['web', 'open311'].includes(slot.channel) && rng.datatype.boolean(0.08)) return { where, address, lat: null, lng: null };
  const jitter = g.located === 'street' ? 15 : 0;
  const [lng, lat] = offsetMetres(housePosition(s, where.num), (rng.number.float() - 0.5) * jitter, (rng.number.float() - 0.5) * jitter);
  return { where, address, lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}

/** Urgent cases are answered and resolved sooner, low-priority ones later. */
const PACE: Record<string, number> = { urgent: 0.3, high: 0.6, normal: 1, low: 1.5 };

/**
 * Status and timestamps: resolution takes days for reports and weeks for casework; the first
 * response (lognormal, hours for reports and about a day for casework, a few very slow)
 * comes before resolution, and is missing for new cases and for some others that were
 * never answered before being resolved.
 */
function progress(rng: Rng, at: number, now: number, kind: 'report' | 'casework', pace: number) {
  // A few cases stall (waiting on a contractor or an agency) and stay open for months.
  const stalled = rng.datatype.boolean(0.04) ? 8 : 1;
  const resolveMs = (kind === 'report' ? 4 : 28) * DAY * Math.exp(0.9 * normal(rng)) * stalled * pace;
  const [u1, u2, u3] = [rng.number.float(), rng.number.float(), rng.number.float()];
  const slow = rng.datatype.boolean(0.04) ? 12 : 1;
  const respondMs = (kind === 'report' ? 5 : 20) * 3_600_000 * Math.exp(1.1 * normal(rng)) * slow * pace;
  if (at + resolveMs >= now) {
    const status = now - at < 3 * DAY && u1 < 0.8 ? 'new' : 'open';
    const respondedAt = status === 'open' && at + respondMs < now && u3 < 0.9 ? at + respondMs : null;
    return { status, resolvedAt: null, closedAt: null, respondedAt, updatedAt: status === 'new' ? at : Math.max(respondedAt ?? at, at + u2 * (now - at)) };
  }
  const resolvedAt = at + resolveMs;
  const closedAt = resolvedAt + (1 + u2 * 13) * DAY;
  // A reply that would come after the resolution is the resolution itself.
  const respondedAt = u3 < 0.88 ? Math.min(at + respondMs, resolvedAt) : null;
  return closedAt < now && u1 < 0.92
    ? { status: 'closed', resolvedAt, closedAt, respondedAt, updatedAt: closedAt }
    : { status: 'resolved', resolvedAt, closedAt: null, respondedAt, updatedAt: resolvedAt };
}

type Sla = Pick<CaseRow, 'sla_policy_id' | 'first_response_due_at' | 'resolution_due_at' | 'first_response_warn_at' | 'resolution_warn_at' | 'first_response_warned_at'
  | 'first_response_breached_at' | 'resolution_warned_at' | 'resolution_breached_at' | 'sla_next_check_at'>;
const NO_SLA: Sla = {
  sla_policy_id: null, first_response_due_at: null, resolution_due_at: null, first_response_warn_at: null, resolution_warn_at: null,
  first_response_warned_at: null, first_response_breached_at: null, resolution_warned_at: null, resolution_breached_at: null, sla_next_check_at: null,
};

/**
 * The SLA columns as the sla module leaves them: due and warning times from the policy, the
 * warnings and breaches its sweep marked while a target was still pending (so the sweep
 * has nothing old to catch up on), and the next moment it must look at the case.
 */
function slaOf(policy: DemoPolicy | null, at: number, now: number, respondedAt: number | null, doneAt: number | null): Sla {
  if (!policy) return NO_SLA;
  const moment = (minutes: number) => policy.clock.add(at, minutes * MINUTE);
  const frDue = moment(policy.firstResponseMinutes);
  const resDue = moment(policy.resolutionMinutes);
  const frWarn = policy.clock.add(at, warnTarget({ warn_percent: policy.warnPercent, warn_minutes_before: policy.warnMinutesBefore }, policy.firstResponseMinutes));
  const resWarn = policy.clock.add(at, warnTarget({ warn_percent: policy.warnPercent, warn_minutes_before: policy.warnMinutesBefore }, policy.resolutionMinutes));
  // Resolving a case answers it, as far as the first-response target goes.
  const answered = respondedAt ?? doneAt ?? Infinity;
  const resolved = doneAt ?? Infinity;
  const marked = (m: number, until: number) => (m <= now && m < until ? new Date(m) : null);
  const fr = { warnAt: new Date(frWarn), dueAt: new Date(frDue), warnedAt: marked(frWarn, answered), breachedAt: marked(frDue, answered) };
  const res = { warnAt: new Date(resWarn), dueAt: new Date(resDue), warnedAt: marked(resWarn, resolved), breachedAt: marked(resDue, resolved) };
  const next = nextCheckAt({ isResponded: answered <= now, isResolved: resolved <= now }, fr, res);
  const text = (d: Date | null) => (d === null ? null : d.toISOString());
  return {
    sla_policy_id: policy.id, first_response_due_at: iso(frDue), resolution_due_at: iso(resDue), first_response_warn_at: iso(frWarn), resolution_warn_at: iso(resWarn),
    first_response_warned_at: text(fr.warnedAt), first_response_breached_at: text(fr.breachedAt), resolution_warned_at: text(res.warnedAt),
    resolution_breached_at: text(res.breachedAt), sla_next_check_at: text(next),
  };
}

const PRAISE = ['Thank you, sorted quickly.', 'Very helpful, thanks.', 'Kept me informed throughout.', 'Great service.'];
const COMPLAINTS = ['Took far too long.', 'Nobody told me what was happening.', 'Still not properly fixed.', 'Had to chase several times.'];

/**
 * About 30% of residents rate a resolved case, mostly 4 or 5; a missed resolution target
 * moves the score down. Rated within days of the resolution, never in the future.
 */
function rating(rng: Rng, caseId: string, resolvedAt: number, now: number, breached: boolean): RatingRow | null {
  const [rates, u, delay, commented, pick] = [rng.number.float(), rng.number.float(), rng.number.float(), rng.number.float(), rng.number.float()];
  if (rates >= 0.3) return null;
  const shares = breached ? [0.15, 0.15, 0.25, 0.25, 0.2] : [0.04, 0.05, 0.11, 0.3, 0.5];
  let score = 1;
  let below = shares[0]!;
  while (u >= below && score < 5) below += shares[score++]!;
  const ratedAt = Math.min(now, resolvedAt + (0.02 + 6 * delay ** 3) * DAY);
  const comments = score >= 4 ? PRAISE : score <= 2 ? COMPLAINTS : null;
  const comment = comments && commented < 0.2 ? comments[Math.floor(pick * comments.length)]! : null;
  return { case_id: caseId, score, comment, rated_at: iso(ratedAt)!, updated_at: iso(ratedAt)! };
}

export function generateCase(ctx: CaseContext, slot: CaseSlot, reference: string): { row: CaseRow; rating: RatingRow | null } {
  const { rng } = ctx;
  rng.seed([...ctx.seed, slot.index]);
  const g = CATEGORY_GROUPS[slot.group]!;
  const category = g.children[slot.child]!;
  const place = locate(ctx, slot);
  const text = writeText(ctx, slot, place.where);
  // A fixed number of draws before the clock-dependent status, whatever the branches.
  const [r, triage, hasTeam, hasAssignee, member] = [rng.number.float(), rng.number.float(), rng.number.float(), rng.number.float(), rng.number.float()];
  const isSensitive = rng.datatype.boolean(SENSITIVE[category.name] ?? 0.005);
  const priority = r < category.urgency * 0.2 ? 'urgent' : r < category.urgency ? 'high' : r < category.urgency + 0.12 ? 'low' : 'normal';
  const p = progress(rng, slot.at, ctx.now, g.kind, PACE[priority]!);
  const team = ctx.teams.get(g.team);
  const teamId = team && (p.status !== 'new' || triage < 0.25) && hasTeam < 0.9 ? team.id : null;
  const assignee = team && teamId && team.members.length > 0 && hasAssignee < 0.75 ? team.members[Math.floor(member * team.members.length)]! : null;
  const categoryId = ctx.categoryIds.get(`${g.name}/${category.name}`) ?? null;
  const id = uuidv7(slot.at);
  const sla = slaOf(ctx.policyFor(categoryId, priority), slot.at, ctx.now, p.respondedAt, p.resolvedAt ?? p.closedAt);
  const row: CaseRow = {
    id,
    reference,
    subject: text.subject,
    description: text.description,
    category_id: categoryId,
    status: p.status,
    priority,
    channel: slot.channel,
    requester_id: slot.requester >= 0 ? ctx.requesters.ids[slot.requester]! : null,
    address: place.address,
    lat: place.lat,
    lng: place.lng,
    ward_id: place.lat !== null && place.lng !== null ? ctx.locate(place.lng, place.lat) : null,
    assignee_id: assignee,
    team_id: teamId,
    is_sensitive: isSensitive,
    created_at: iso(slot.at)!,
    updated_at: iso(p.updatedAt)!,
    resolved_at: iso(p.resolvedAt),
    closed_at: iso(p.closedAt),
    first_responded_at: iso(p.respondedAt),
    ...sla,
  };
  // Only someone who asked for something can rate how it went.
  const rated = p.resolvedAt !== null && row.requester_id !== null ? rating(rng, id, p.resolvedAt, ctx.now, sla.resolution_breached_at !== null) : null;
  return { row, rating: rated };
}
