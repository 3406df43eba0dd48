// Finding people: one search box (name with typos, email, phone in any format, address,
// postcode, external id) plus structured filters, with cursor pagination.
import { z } from 'zod';
import type { ConstituentListQuery, ConstituentSummary } from '../../../contract/constituents.js';
import type { Page } from '../../../contract/common.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import * as geo from '../geo/geo.service.js';
import { checkValue } from './constituents.custom-fields.js';
import { displayPhone, fold, normalizePhone, postcodeKey } from './constituents.normalize.js';
import * as repo from './constituents.repo.js';
import * as searchRepo from './constituents.search-repo.js';

// UK postcodes, US ZIP (+4), and other short alphanumeric codes with a digit.
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|\d{5}(-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$/i;
const PHONE = /^[+()\d\s.-]{6,}$/;
const STREET_WORDS = [
  'street', 'st', 'road', 'rd', 'lane', 'ln', 'avenue', 'ave', 'close', 'way', 'drive', 'dr', 'court', 'ct', 'terrace', 'crescent',
  'place', 'square', 'gardens', 'grove', 'hill', 'row', 'walk', 'mews', 'park', 'green', 'parade', 'boulevard', 'blvd', 'flat', 'apartment',
];

/** Decides which kinds of match a query can be. */
export function planSearch(q: string, region: string): searchRepo.SearchPlan {
  const text = q.trim();
  const plan: searchRepo.SearchPlan = { externalId: text };
  if (text.includes('@')) {
    plan.email = text.toLowerCase();
    return plan;
  }
  if (PHONE.test(text) && (text.match(/\d/g) ?? []).length >= 6) {
    const phone = normalizePhone(text, region);
    if (phone.ok) plan.phone = phone.e164;
  }
  if (POSTCODE.test(text)) plan.postcodeKey = postcodeKey(text);
  const folded = fold(text);
  const words = folded.split(/[^\p{L}\p{N}'-]+/u).filter((w) => w.length > 0);
  const hasLetters = /\p{L}/u.test(folded);
  if (hasLetters && !/\d/.test(folded)) {
    plan.nameWords = words.slice(0, 6);
  }
  // Addresses: a house number with a street ("12 high st"), or words that look like a street
  // ("railway terr"). Plain names skip the address index, which keeps name search fast.
  const looksLikeStreet = words.some((w) => w.length >= 2 && STREET_WORDS.some((s) => s.startsWith(w) && (w.length >= 3 || s === w)));
  if (!plan.postcodeKey && hasLetters && folded.length >= 4 && (/\d/.test(folded) || looksLikeStreet)) plan.addressText = folded.replace(/[^a-z0-9]+/g, ' ').trim();
  return plan;
}

const ZNameCursor = z.tuple([z.string(), z.uuid()]);
const ZScoreCursor = z.tuple([z.number(), z.uuid()]);

async function filtersOf(scope: Scope, query: ConstituentListQuery): Promise<searchRepo.Filters> {
  const filters: searchRepo.Filters = { ward: query.ward, tag: query.tag, hasOpenCase: query.hasOpenCase, kind: query.kind };
  if (query.field) {
    const at = query.field.indexOf(':');
    const key = query.field.slice(0, at);
    const raw = query.field.slice(at + 1);
    const def = (await repo.customFields(scope.db, scope.officeId)).find((f) => f.key === key);
    if (!def) throw new DomainError('validation_failed', { field: 'field', message: `no custom field "${key}" in this office` });
    const checked = checkValue({ type: def.type as 'text', options: def.options }, raw);
    if (!checked.ok || checked.value === null) throw new DomainError('validation_failed', { field: 'field', message: `${def.label} ${checked.ok ? 'needs a value' : checked.message}` });
    filters.custom = { key, value: Array.isArray(checked.value) ? checked.value[0] : checked.value };
  }
  return filters;
}

export async function list(scope: Scope, query: ConstituentListQuery): Promise<Page<ConstituentSummary>> {
  const filters = await filtersOf(scope, query);
  const region = await repo.officeRegion(scope.db, scope.officeId);
  const q = query.q?.trim();
  let rows: searchRepo.ListRow[];
  let next: Page<unknown>['nextCursor'];
  if (q) {
    const after = decodeCursor(query.cursor, ZScoreCursor);
    rows = await searchRepo.page(scope.db, scope.officeId, planSearch(q, region), filters, query.limit, after && { score: after[0], id: after[1] });
    ({ items: rows, nextCursor: next } = page(rows, query.limit, (r) => [r.score ?? 0, r.id]));
  } else {
    const after = decodeCursor(query.cursor, ZNameCursor);
    rows = await searchRepo.page(scope.db, scope.officeId, null, filters, query.limit, after && { sortName: after[0], id: after[1] });
    ({ items: rows, nextCursor: next } = page(rows, query.limit, (r) => [r.sort_name ?? '', r.id]));
  }
  const extras = new Map((await searchRepo.extras(scope.db, scope.officeId, rows.map((r) => r.id))).map((e) => [e.id, e]));
  const addressIds = [...extras.values()].flatMap((e) => (e.address_id ? [e.address_id] : []));
  const areas = await geo.areasFor(scope.db, scope.officeId, addressIds);
  return {
    items: rows.map((r) => {
      const e = extras.get(r.id);
      const ward = e?.address_id ? areas.get(e.address_id)?.find((a) => a.layer === 'ward') : undefined;
      return {
        id: r.id, kind: r.kind as ConstituentSummary['kind'], displayName: r.display_name ?? '',
        primaryEmail: e?.email ?? null, primaryPhone: e?.phone ? displayPhone(e.phone, region) : null,
        primaryAddress: e?.line1 ? [e.line1, e.locality].filter(Boolean).join(', ') : null, postcode: e?.postcode ?? null,
        ward: ward?.name ?? null, tags: r.tags, openCases: e?.open_cases ?? 0, score: r.score,
      };
    }),
    nextCursor: next,
  };
}
