// What the report form offers to choose from: the office's public categories, each with the
// plain-language description, search words and questions of its Open311 service definition
// (one definition serves both: what integrators' apps ask, the portal asks), and a search
// over names, descriptions and keywords that works without JavaScript (a GET form).
import type { Open311Attribute } from '../../../contract/open311.js';
import type { Executor } from '../../platform/db/database.js';
import { fold } from '../constituents/constituents.normalize.js';
import { formInfo } from '../intake/intake.web-form.js';
import { attributesOf } from '../open311/open311.admin.js';
import * as open311 from '../open311/open311.repo.js';
import type { Office } from './portal.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const asked = (s: open311.ServiceRow) => attributesOf(s).filter((a) => a.variable).sort((a, b) => a.order - b.order);

export type Choice = { id: string; path: string[]; description: string; keywords: string[]; questions: Open311Attribute[] };

/** The office's public categories in the form's order, with their service definitions' words and questions. */
export async function choices(db: Executor, office: Office, minFillSeconds: number): Promise<{ items: Choice[]; formToken: string }> {
  const [form, services] = await Promise.all([formInfo(db, office, minFillSeconds), open311.services(db, office.id)]);
  const byCategory = new Map(services.map((s) => [s.category_id, s]));
  return {
    formToken: form.formToken,
    items: form.items.map((c) => {
      const s = byCategory.get(c.id);
      return { id: c.id, path: c.path, description: s?.description ?? '', keywords: s?.keywords ?? [], questions: s ? asked(s) : [] };
    }),
  };
}

/**
 * The categories matching every word of the search (accents and case ignored), best first:
 * a word at the start of the name, then in the name or its parents, then in the keywords,
 * then in the description. An empty search matches everything, in the form's order.
 */
export function search(items: readonly Choice[], q: string): Choice[] {
  const words = fold(q).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  if (!words.length) return [...items];
  const scored = items.map((c, i) => {
    const name = fold(c.path.at(-1) ?? '');
    const path = fold(c.path.join(' '));
    const keywords = fold(c.keywords.join(' '));
    const description = fold(c.description);
    let score = 0;
    for (const w of words) {
      const best = name.split(/\s+/).some((n) => n.startsWith(w)) ? 8 : path.includes(w) ? 4 : keywords.includes(w) ? 3 : description.includes(w) ? 1 : 0;
      if (!best) return null;
      score += best;
    }
    return { c, score, i };
  });
  return scored.filter((s): s is NonNullable<typeof s> => s !== null).sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.c);
}

/** The questions of a topic the form offers (none for an unknown or unoffered one: the form's own checks refuse it). */
export async function questionsOf(db: Executor, office: Office, categoryId: string | undefined): Promise<Open311Attribute[]> {
  // Not an id at all (a forged form): no questions, and the form's own checks refuse it.
  if (!categoryId || !UUID.test(categoryId) || (office.categoryIds && !office.categoryIds.includes(categoryId))) return [];
  const service = await open311.serviceOfCategory(db, office.id, categoryId);
  return service ? asked(service) : [];
}
