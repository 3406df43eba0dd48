// Merging two cases of the same person: the other case's people, watchers and tags join the
// surviving case, links to it (duplicates of it, related cases) move to the survivor, other
// modules move their rows through the merge hooks, and the merged case is closed with the
// "merged" resolution and linked to the survivor. One transaction, audited on both cases.
import { ZMergeCases, type MergeCases } from '../../../contract/case-links.js';
import type { Case } from '../../../contract/cases.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { runCaseHooks } from './cases.hooks.js';
import * as links from './cases.links-repo.js';
import { closeWith, lockPair } from './cases.links.js';
import { runCaseMergeHooks } from './cases.merge-hooks.js';
import * as repo from './cases.repo.js';
import { get, type Viewer } from './cases.service.js';

/** As the case contract allows. */
const MAX_TAGS = 30;
const MAX_PEOPLE = 20;

export async function merge(scope: Scope, viewer: Viewer, intoId: string, input: MergeCases): Promise<Case> {
  const v = ZMergeCases.parse(input);
  const field = 'fromCaseId';
  if (v.fromCaseId === intoId) throw new DomainError('validation_failed', { field, message: 'A case cannot be merged into itself' });
  await inTransaction(scope.db, async (trx) => {
    const [into, from] = await lockPair(trx, scope.officeId, intoId, v.fromCaseId);
    if (!into || (into.is_sensitive && !viewer.canSeeSensitive)) throw new DomainError('not_found', { message: 'No such case in this office' });
    if (!from || (from.is_sensitive && !viewer.canSeeSensitive)) throw new DomainError('validation_failed', { field, message: 'No such case in this office' });
    if (from.is_sensitive !== into.is_sensitive) throw new DomainError('conflict', { field, message: `One of ${from.reference} and ${into.reference} is sensitive and the other is not; make them match first` });
    const [fromLink, intoLink] = [await links.originalOf(trx, scope.officeId, from.id), await links.originalOf(trx, scope.officeId, into.id)];
    if (fromLink) throw new DomainError('conflict', { field, message: `${from.reference} is already closed as a duplicate of (or merged into) another case` });
    if (intoLink) throw new DomainError('conflict', { field, message: `${into.reference} is itself closed as a duplicate of (or merged into) another case; merge into that one` });
    const [fromPeople, intoPeople] = [await repo.constituentsOf(trx, scope.officeId, from.id), await repo.constituentsOf(trx, scope.officeId, into.id)];
    const intoIds = new Set(intoPeople.map((p) => p.constituent_id));
    if (!fromPeople.some((p) => intoIds.has(p.constituent_id))) throw new DomainError('validation_failed', { field, message: `${from.reference} and ${into.reference} share no person; only cases of the same person can be merged` });
    const people = [...intoPeople, ...fromPeople.filter((p) => !intoIds.has(p.constituent_id))];
    if (people.length > MAX_PEOPLE) throw new DomainError('validation_failed', { field, message: `The merged case would have ${people.length} people; at most ${MAX_PEOPLE}` });
    const tags = [...new Set([...into.tags, ...from.tags])];
    if (tags.length > MAX_TAGS) throw new DomainError('validation_failed', { field, message: `The merged case would have ${tags.length} tags; at most ${MAX_TAGS}` });
    const [fromWatchers, intoWatchers] = [await repo.watchersOf(trx, scope.officeId, from.id), await repo.watchersOf(trx, scope.officeId, into.id)];
    const watchers = [...new Set([...intoWatchers, ...fromWatchers])];

    await repo.replaceConstituents(trx, scope.officeId, into.id, people.map((p) => ({ constituent_id: p.constituent_id, role: p.role })));
    await repo.replaceWatchers(trx, scope.officeId, into.id, watchers);
    await repo.update(trx, scope.officeId, into.id, { tags });
    await links.repointLinks(trx, scope.officeId, from.id, into.id);
    await runCaseMergeHooks(trx, scope, { fromCaseId: from.id, intoCaseId: into.id });
    await links.insertLink(trx, scope.officeId, { case_id: from.id, target_case_id: into.id, kind: 'merged_into', previous_status: from.status });
    if (!from.closed_at) await closeWith(trx, scope, from, 'merged', `Merged into ${into.reference}`);
    await runCaseHooks(trx, scope, { kind: 'updated', before: into, after: (await repo.lock(trx, scope.officeId, into.id))! });

    const added = {
      people: fromPeople.filter((p) => !intoIds.has(p.constituent_id)).map((p) => p.constituent_id),
      watchers: fromWatchers.filter((w) => !intoWatchers.includes(w)),
      tags: from.tags.filter((t) => !into.tags.includes(t)),
    };
    await audit.recordMany(trx, scope, [
      { entity: 'case', id: from.id, action: 'merged_into', caseId: from.id, before: { status: from.status }, after: { intoId: into.id, intoReference: into.reference, summary: `Merged into ${into.reference} and closed` } },
      {
        entity: 'case', id: into.id, action: 'merged', caseId: into.id, after: {
          fromId: from.id, fromReference: from.reference, added,
          summary: `${from.reference} merged into this case (${added.people.length} people, ${added.watchers.length} watchers, ${added.tags.length} tags added; its history stays on ${from.reference})`,
        },
      },
    ]);
  });
  return get(scope, viewer, intoId);
}
