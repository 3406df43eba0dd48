// Seeded generation of demo cases: when they arrived (more recent, more of them), what
// about, from whom and where, and how far they have got. Older cases are mostly resolved
// or closed, recent ones new or open, with timestamps that always follow one another.
import { CASEWORK_TEXTS, CLOSERS, IMPACTS, MONTHS, OPENERS, WEEKS } from './demo.casework-texts.js';
import { uuidv7 } from '../../platform/ids.js';
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
  resolved_at: string | null; closed_at: string | null;
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

/** Case arrival times over the last two years, recent days busier and weekends quieter. */
function sampleTime(clock: Rng, now: number, channel: string): number {
  const today = Math.floor(now / DAY) * DAY;
  for (;;) {
    const ageDays = Math.floor(clock.number.float() * HISTORY_DAYS);
    if (clock.number.float() * 3 > 1 + 2 * (1 - ageDays / HISTORY_DAYS)) continue;
    const midnight = today - ageDays * DAY;
    const weekday = new Date(midnight).getUTCDay();
    if ((weekday === 0 || weekday === 6) && clock.number.float() > (IN_OFFICE_HOURS.has(channel) ? 0.1 : 0.6)) continue;
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
    slots.push({ index: k, at: sampleTime(clock, now, channel), group, child, channel, requester });
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

/** Status and timestamps: resolution takes days for reports and weeks for casework. */
function progress(rng: Rng, at: number, now: number, kind: 'report' | 'casework') {
  // A few cases stall (waiting on a contractor or an agency) and stay open for months.
  const stalled = rng.datatype.boolean(0.04) ? 8 : 1;
  const resolveMs = (kind === 'report' ? 4 : 28) * DAY * Math.exp(0.9 * normal(rng)) * stalled;
  const [u1, u2] = [rng.number.float(), rng.number.float()];
  if (at + resolveMs >= now) {
    const status = now - at < 3 * DAY && u1 < 0.8 ? 'new' : 'open';
    return { status, resolvedAt: null, closedAt: null, updatedAt: status === 'new' ? at : at + u2 * (now - at) };
  }
  const resolvedAt = at + resolveMs;
  const closedAt = resolvedAt + (1 + u2 * 13) * DAY;
  return closedAt < now && u1 < 0.92
    ? { status: 'closed', resolvedAt, closedAt, updatedAt: closedAt }
    : { status: 'resolved', resolvedAt, closedAt: null, updatedAt: resolvedAt };
}

export function generateCase(ctx: CaseContext, slot: CaseSlot, reference: string): CaseRow {
  const { rng } = ctx;
  rng.seed([...ctx.seed, slot.index]);
  const g = CATEGORY_GROUPS[slot.group]!;
  const category = g.children[slot.child]!;
  const place = locate(ctx, slot);
  const text = writeText(ctx, slot, place.where);
  // A fixed number of draws before the clock-dependent status, whatever the branches.
  const [r, triage, hasTeam, hasAssignee, member] = [rng.number.float(), rng.number.float(), rng.number.float(), rng.number.float(), rng.number.float()];
  const isSensitive = rng.datatype.boolean(SENSITIVE[category.name] ?? 0.005);
  const p = progress(rng, slot.at, ctx.now, g.kind);
  const team = ctx.teams.get(g.team);
  const teamId = team && (p.status !== 'new' || triage < 0.25) && hasTeam < 0.9 ? team.id : null;
  const assignee = team && teamId && team.members.length > 0 && hasAssignee < 0.75 ? team.members[Math.floor(member * team.members.length)]! : null;
  return {
    id: uuidv7(slot.at),
    reference,
    subject: text.subject,
    description: text.description,
    category_id: ctx.categoryIds.get(`${g.name}/${category.name}`) ?? null,
    status: p.status,
    priority: r < category.urgency * 0.2 ? 'urgent' : r < category.urgency ? 'high' : r < category.urgency + 0.12 ? 'low' : 'normal',
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
  };
}
