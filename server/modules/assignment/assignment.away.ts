// Staff away: one period per person (first and last day, or until further notice), set by
// the person or by a manager; automatic assignment skips people while they are away.
import { ZSetAway, type Away, type SetAway } from '../../../contract/assignment.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './assignment.repo.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.away>>>;

const present = (r: Row): Away => ({
  userId: r.user_id, from: r.from_date, until: r.until_date, note: r.note, isAwayNow: r.is_away_now, updatedAt: r.updated_at.toISOString(),
});

async function known(db: Executor, officeId: string, userId: string): Promise<string> {
  const u = await repo.user(db, officeId, userId);
  if (!u) throw new DomainError('not_found', { message: 'No such user in this office' });
  return u.display_name;
}

export async function get(scope: Scope, userId: string): Promise<{ away: Away | null }> {
  await known(scope.db, scope.officeId, userId);
  const row = await repo.away(scope.db, scope.officeId, userId);
  return { away: row ? present(row) : null };
}

export async function set(scope: Scope, userId: string, input: SetAway): Promise<{ away: Away | null }> {
  const v = ZSetAway.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const name = await known(trx, scope.officeId, userId);
    const before = await repo.away(trx, scope.officeId, userId);
    await repo.setAway(trx, scope.officeId, userId, { from_date: v.from, until_date: v.until, note: v.note });
    const after = present((await repo.away(trx, scope.officeId, userId))!);
    await audit.record(trx, scope, {
      entity: 'user', id: userId, action: 'away_set', before: before ? present(before) : null,
      after: { ...after, summary: `${name} away from ${v.from}${v.until ? ` to ${v.until}` : ' until further notice'}` },
    });
    return { away: after };
  });
}

export async function clear(scope: Scope, userId: string): Promise<{ away: Away | null }> {
  return inTransaction(scope.db, async (trx) => {
    const name = await known(trx, scope.officeId, userId);
    const before = await repo.away(trx, scope.officeId, userId);
    if (!before) return { away: null };
    await repo.clearAway(trx, scope.officeId, userId);
    await audit.record(trx, scope, { entity: 'user', id: userId, action: 'away_cleared', before: present(before), after: { summary: `${name} is back` } });
    return { away: null };
  });
}
