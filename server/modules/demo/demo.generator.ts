// Seeded generation of the demo district and its people: streets and postcodes (fixed, the
// same for every run), constituents with names, contact points and home addresses (from the
// --seed). Pure apart from the row ids, which are random so that re-runs never collide.
import { uuidv7 } from '../../platform/ids.js';
import { Faker, en, en_GB, type Randomizer } from '@faker-js/faker';
import { bboxOf, buildWards, mulberry32, offsetMetres, polygonOf, wardLocator, type Position, type WardShape } from './demo.geometry.js';
import * as N from './demo.names.js';

export type Rng = Faker;

/** Faker's helpers over sfc32: each case reseeds its generator, and sfc32 seeds in O(1). */
export function createRng(seed: number | number[]): Rng {
  const rng = new Faker({ locale: [en_GB, en], randomizer: sfc32() });
  rng.seed(seed);
  return rng;
}

function sfc32(): Randomizer {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  return {
    next,
    seed(seed) {
      // Hash the seed numbers (cyrb-style) into the four state words, then warm up.
      let h = 1_779_033_703;
      for (const n of Array.isArray(seed) ? seed : [seed]) {
        h = Math.imul(h ^ (n >>> 0), 3_432_918_353);
        h = Math.imul((h << 13) | (h >>> 19), 461_845_907) ^ Math.floor(n / 4_294_967_296);
      }
      const mix = () => {
        h = Math.imul(h ^ (h >>> 16), 2_246_822_507);
        h = Math.imul(h ^ (h >>> 13), 3_266_489_909);
        h = (h ^ (h >>> 16)) + 0x9e3779b9;
        return h | 0;
      };
      [a, b, c, d] = [mix(), mix(), mix(), mix()];
      for (let k = 0; k < 12; k++) next();
    },
  };
}

export type Street = { name: string; from: Position; angle: number; lengthM: number; houses: number; outward: string; sector: number };
export type District = { name: string; wards: WardShape[]; streets: Street[] };

const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'; // the letters UK inward codes use

/** The fictional district: always the same wards, streets and postcodes. */
export function buildDistrict(): District {
  const wards = buildWards(N.WARD_NAMES);
  const locate = wardLocator(wards.map((w) => ({ id: w.code, geometry: polygonOf(w.ring), bbox: w.bbox })));
  const rand = mulberry32(7_919);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const types = N.STREET_TYPES.flatMap((t) => Array<string>(t.weight).fill(t.value));
  const all = bboxOf(wards.map((w) => w.ring));
  const streets: Street[] = [];
  const names = new Set<string>();
  for (let tries = 0; streets.length < 480 && tries < 20_000; tries++) {
    const name = `${pick(N.STREET_STEMS)} ${pick(types)}`;
    if (names.has(name)) continue;
    const from: Position = [all.minLng + rand() * (all.maxLng - all.minLng), all.minLat + rand() * (all.maxLat - all.minLat)];
    const ward = locate(...from);
    if (!ward) continue;
    const angle = rand() * Math.PI * 2;
    let lengthM = 150 + rand() * rand() * 1100;
    // Shorten streets that would run out of the district.
    while (lengthM > 80 && !locate(...offsetMetres(from, lengthM * Math.cos(angle), lengthM * Math.sin(angle)))) lengthM /= 2;
    if (lengthM <= 80) continue;
    names.add(name);
    const houses = Math.max(6, Math.round(lengthM / 7));
    streets.push({ name, from, angle, lengthM, houses, outward: `${N.POSTCODE_AREA}${wards.findIndex((w) => w.code === ward) + 1}`, sector: 1 + Math.floor(rand() * 9) });
  }
  return { name: N.DISTRICT_NAME, wards, streets };
}

/** Where house `num` of a street stands: odd numbers on one side, even on the other. */
export function housePosition(s: Street, num: number): Position {
  const along = (Math.min(num, s.houses) - 0.5) / s.houses * s.lengthM;
  const side = num % 2 === 1 ? 9 : -9;
  return offsetMetres(s.from, along * Math.cos(s.angle) - side * Math.sin(s.angle), along * Math.sin(s.angle) + side * Math.cos(s.angle));
}

export function postcodeOf(s: Street, streetIndex: number, num: number): string {
  const h = Math.imul(streetIndex + 1, 2_654_435_761) ^ Math.imul(Math.floor(num / 24) + 1, 40_503);
  const k = (h >>> 0) % (POSTCODE_LETTERS.length * POSTCODE_LETTERS.length);
  return `${s.outward} ${s.sector}${POSTCODE_LETTERS[Math.floor(k / POSTCODE_LETTERS.length)]}${POSTCODE_LETTERS[k % POSTCODE_LETTERS.length]}`;
}

export type ConstituentRow = {
  id: string; kind: 'person' | 'organisation'; given_name: string | null; family_name: string | null; preferred_name: string | null;
  organisation_name: string | null; date_of_birth: string | null; preferred_channel: string | null; preferred_language: string | null; created_at: string;
};
export type EmailRow = { id: string; constituent_id: string; email: string; type: string; is_primary: boolean; status: string };
export type PhoneRow = { id: string; constituent_id: string; phone_e164: string; type: string; is_primary: boolean; status: string };
export type AddressRow = {
  id: string; constituent_id: string; line1: string; line2: string | null; locality: string; postcode: string; country: string;
  lat: number; lng: number; ward_id: string | null; type: string; is_primary: boolean;
};
export type Home = { street: number; num: number };
export type Person = { constituent: ConstituentRow; emails: EmailRow[]; phones: PhoneRow[]; addresses: AddressRow[]; home: Home | null };

export type GenContext = { rng: Rng; district: District; locate: (lng: number, lat: number) => string | null };

const SHORT_NAMES: Record<string, string> = {
  William: 'Bill', Robert: 'Bob', Margaret: 'Maggie', Christopher: 'Chris', Michael: 'Mike', Anthony: 'Tony', Katarzyna: 'Kasia',
  Alexander: 'Alex', Benjamin: 'Ben', Jennifer: 'Jen', Samuel: 'Sam', Rebecca: 'Becky', Joseph: 'Joe', Edward: 'Ted', Patricia: 'Pat',
};

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();
const slugify = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);

// Ofcom's ranges reserved for drama (07700 900xxx, 01632 960xxx, 020 7946 0xxx): demo
// numbers can never ring or text a real person.
const mobile = (rng: Rng) => `+447700900${rng.string.numeric(3)}`;
const landline = (rng: Rng) => (rng.datatype.boolean(0.8) ? `+441632960${rng.string.numeric(3)}` : `+4420794600${rng.string.numeric(2)}`);

/** A name early in a list is more common than one late in it. */
const skewed = <T>(rng: Rng, xs: readonly T[], power: number) => xs[Math.floor(xs.length * rng.number.float() ** power)]!;

function personalEmail(rng: Rng, given: string, family: string): string {
  const f = ascii(given);
  const l = ascii(family);
  const local = rng.helpers.weightedArrayElement([
    { value: `${f}.${l}`, weight: 4 }, { value: `${f}${l}`, weight: 2 }, { value: `${f[0]}${l}`, weight: 2 }, { value: `${f}_${l}`, weight: 1 },
    { value: `${l}.${f}`, weight: 1 }, { value: `${f}${rng.number.int({ min: 60, max: 99 })}`, weight: 1 },
  ]);
  const digits = rng.datatype.boolean(0.55) ? String(rng.number.int({ min: 1, max: 999 })) : '';
  return `${local}${digits}@${rng.helpers.arrayElement(N.EMAIL_DOMAINS)}`;
}

function organisationName(ctx: GenContext): string {
  const { rng } = ctx;
  return rng.helpers.arrayElement(N.ORGANISATION_PATTERNS).replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'stem': return rng.helpers.arrayElement(N.STREET_STEMS);
      case 'type': return rng.helpers.weightedArrayElement(N.STREET_TYPES as { value: string; weight: number }[]);
      case 'ward': return rng.helpers.arrayElement(N.WARD_NAMES);
      case 'park': return rng.helpers.arrayElement(N.PARKS);
      case 'surname': return rng.helpers.arrayElement(N.SURNAMES);
      case 'saint': return rng.helpers.arrayElement(N.SAINTS);
      default: return N.DISTRICT_NAME;
    }
  });
}

export function homeAddress(ctx: GenContext, constituentId: string, home: Home, type: 'home' | 'work'): AddressRow {
  const { rng, district } = ctx;
  const s = district.streets[home.street]!;
  const [lng, lat] = housePosition(s, home.num);
  const flat = type === 'home' ? rng.number.float() : 1;
  const block = `${rng.helpers.arrayElement(N.STREET_STEMS)} ${rng.helpers.arrayElement(N.BLOCK_NAMES)}`;
  const [line1, line2] =
    flat < 0.15 ? [`Flat ${rng.number.int({ min: 1, max: 40 })}, ${home.num} ${s.name}`, null]
    : flat < 0.25 ? [`Flat ${rng.number.int({ min: 1, max: 120 })}, ${block}`, s.name]
    : [`${home.num} ${s.name}`, null];
  return {
    id: uuidv7(Date.now()), constituent_id: constituentId, line1, line2, locality: district.name, postcode: postcodeOf(s, home.street, home.num),
    country: 'GB', lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6, ward_id: ctx.locate(lng, lat), type, is_primary: true,
  };
}

/** Picks a street, longer streets (more houses) more often, and a house on it. */
export function randomHome(ctx: GenContext): Home {
  const streets = ctx.district.streets;
  for (;;) {
    const street = ctx.rng.number.int({ max: streets.length - 1 });
    const s = streets[street]!;
    if (ctx.rng.number.float() * 180 < s.houses) return { street, num: ctx.rng.number.int({ min: 1, max: s.houses }) };
  }
}

/** One constituent with contact points; every one has a primary email or phone. */
export function generatePerson(ctx: GenContext, createdAt: Date): Person {
  const { rng } = ctx;
  const id = uuidv7(createdAt.getTime());
  const isOrg = rng.datatype.boolean(0.03);
  const given = isOrg ? null : skewed(rng, N.FIRST_NAMES, 1.15);
  const family = isOrg ? null : skewed(rng, N.SURNAMES, 1.4);
  const orgName = isOrg ? organisationName(ctx) : null;
  const emails: EmailRow[] = [];
  const phones: PhoneRow[] = [];
  const addEmail = (email: string, type: string) =>
    emails.push({ id: uuidv7(createdAt.getTime()), constituent_id: id, email, type, is_primary: emails.length === 0, status: rng.datatype.boolean(0.02) ? 'bounced' : 'valid' });
  const addPhone = (phone: string, type: string) =>
    phones.push({ id: uuidv7(createdAt.getTime()), constituent_id: id, phone_e164: phone, type, is_primary: phones.length === 0, status: rng.datatype.boolean(0.015) ? 'wrong_number' : 'valid' });

  let hasEmail = rng.datatype.boolean(isOrg ? 0.9 : 0.78);
  let hasMobile = rng.datatype.boolean(isOrg ? 0.3 : 0.55);
  const hasLandline = rng.datatype.boolean(isOrg ? 0.7 : 0.12);
  if (!hasEmail && !hasMobile && !hasLandline) {
    if (rng.datatype.boolean()) hasEmail = true;
    else hasMobile = true;
  }
  if (hasEmail) {
    const local = rng.helpers.arrayElement(['info', 'hello', 'office', 'admin', 'enquiries']);
    addEmail(isOrg ? `${local}@${slugify(orgName!)}.example` : personalEmail(rng, given!, family!), isOrg ? 'work' : 'personal');
    if (!isOrg && rng.datatype.boolean(0.06)) addEmail(`${ascii(given!)}.${ascii(family!)}@work.example`, 'work');
  }
  if (hasMobile) addPhone(mobile(rng), 'mobile');
  if (hasLandline) addPhone(landline(rng), isOrg ? 'work' : 'home');

  const home = rng.datatype.boolean(isOrg ? 0.8 : 0.92) ? randomHome(ctx) : null;
  const addresses = home ? [homeAddress(ctx, id, home, isOrg ? 'work' : 'home')] : [];
  const channels = [hasEmail && 'email', hasMobile && 'sms', phones.length > 0 && 'phone', home && 'post'].filter((c): c is string => !!c);
  const age = 18 + Math.floor(74 * rng.number.float() ** 1.3);
  const dob = !isOrg && rng.datatype.boolean(0.55)
    ? new Date(createdAt.getTime() - (age * 365.25 + rng.number.int({ max: 364 })) * 86_400_000).toISOString().slice(0, 10)
    : null;
  const constituent: ConstituentRow = {
    id,
    kind: isOrg ? 'organisation' : 'person',
    given_name: given,
    family_name: family,
    preferred_name: given && SHORT_NAMES[given] && rng.datatype.boolean(0.5) ? SHORT_NAMES[given]! : null,
    organisation_name: orgName,
    date_of_birth: dob,
    preferred_channel: rng.datatype.boolean(0.6) ? rng.helpers.arrayElement(channels) : null,
    preferred_language: rng.datatype.boolean(0.08) ? rng.helpers.weightedArrayElement(N.LANGUAGES as { value: string; weight: number }[]) : rng.datatype.boolean(0.3) ? 'en' : null,
    created_at: createdAt.toISOString(),
  };
  return { constituent, emails, phones, addresses, home };
}
