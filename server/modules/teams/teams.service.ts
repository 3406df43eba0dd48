// Teams group staff for assignment and escalation; managers are flagged per team.
import { inTransaction } from '../../platform/db/database.js';
import { ZCreateTeam, ZSetMembers, type CreateTeam, type SetMembers, type Team, type UpdateTeam } from '../../../contract/teams.js';
import * as audit from '../../platform/audit/audit.js';
import { DomainError } from '../../platform/errors.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as repo from './teams.repo.js';

export function present(row: repo.TeamRow): Team {
  return { id: row.id, name: row.name, description: row.description, members: row.members, createdAt: row.created_at.toISOString() };
}

export async function get(scope: Scope, id: string): Promise<Team> {
  const row = await repo.get(scope.db, scope.officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such team in this office' });
  return present(row);
}

export const list = async (scope: Scope): Promise<Team[]> => (await repo.list(scope.db, scope.officeId)).map(present);

export async function create(scope: Scope, input: CreateTeam): Promise<Team> {
  const v = ZCreateTeam.parse(input);
  return inTransaction(scope.db, async (trx) => {
    if (await repo.nameTaken(trx, scope.officeId, v.name)) throw new DomainError('conflict', { field: 'name', message: 'A team with this name already exists' });
    const { id } = await repo.insert(trx, scope.officeId, v);
    const team = await get(withDb(scope, trx), id);
    await audit.record(trx, scope, { entity: 'team', id, action: 'created', after: team });
    return team;
  });
}

export async function update(scope: Scope, id: string, input: UpdateTeam): Promise<Team> {
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const before = await get(s, id);
    if (input.name && (await repo.nameTaken(trx, scope.officeId, input.name, id))) throw new DomainError('conflict', { field: 'name', message: 'A team with this name already exists' });
    await repo.update(trx, scope.officeId, id, { ...input, updated_at: new Date() });
    const after = await get(s, id);
    await audit.record(trx, scope, { entity: 'team', id, action: 'updated', before, after });
    return after;
  });
}

export async function setMembers(scope: Scope, id: string, input: SetMembers): Promise<Team> {
  const { members } = ZSetMembers.parse(input);
  const ids = [...new Set(members.map((m) => m.userId))];
  if (ids.length !== members.length) throw new DomainError('validation_failed', { field: 'members', message: 'A user is listed twice' });
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    await repo.lock(trx, scope.officeId, id);
    const before = await get(s, id);
    const known = new Set(await repo.existingUserIds(trx, scope.officeId, ids));
    const unknown = ids.findIndex((u) => !known.has(u));
    if (unknown >= 0) throw new DomainError('validation_failed', { field: `members.${unknown}.userId`, message: 'No such user in this office' });
    await repo.replaceMembers(trx, scope.officeId, id, members);
    const after = await get(s, id);
    await audit.record(trx, scope, { entity: 'team', id, action: 'members_changed', before: before.members, after: after.members });
    return after;
  });
}

export async function remove(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const before = await get(withDb(scope, trx), id);
    if (await repo.inUse(trx, scope.officeId, id)) throw new DomainError('conflict', { message: 'Cases are assigned to this team; reassign them before deleting it' });
    await repo.remove(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'team', id, action: 'deleted', before });
  });
}
