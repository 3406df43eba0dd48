// Extension point for merging two cases: modules that keep rows pointing at a case
// (attachments, notes, tasks, messages) register a hook that moves their rows from the
// merged case to the survivor (`UPDATE ... SET case_id = intoId WHERE office_id = ... AND
// case_id = fromId`). Hooks run inside the merge's transaction, so a failure rolls the whole
// merge back; casework itself moves only what it owns (people, watchers, tags, links).
// Tasks, notes and attachments move (their routes register the hooks). Sent messages,
// referrals and privacy releases stay with the merged case as its record: a release's
// content hash covers the case reference it was signed for.
import type { Trx } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';

export type CaseMerge = { fromCaseId: string; intoCaseId: string };
export type CaseMergeHook = (trx: Trx, scope: Scope, merge: CaseMerge) => Promise<void>;

const hooks = new Map<string, CaseMergeHook>();

/** Registers (or replaces) the merge hook named `name`. */
export function onCaseMerge(name: string, hook: CaseMergeHook): void {
  hooks.set(name, hook);
}

export async function runCaseMergeHooks(trx: Trx, scope: Scope, merge: CaseMerge): Promise<void> {
  for (const hook of hooks.values()) await hook(trx, scope, merge);
}
