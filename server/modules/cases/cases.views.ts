// Saved views of the case list: named filter sets, personal (only the owner sees them) or
// shared with a team (every member sees them). The owner edits and deletes their views; a
// shared view may also be edited by staff who manage teams (managers, admins: team.manage)
// and by the managers of its team, provided they can see it. Views nobody may see answer 404.
import {
  ZCreateCaseView, ZUpdateCaseView, type CaseView, type CaseViewFilters, type CreateCaseView, type UpdateCaseView,
} from '../../../contract/cases.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './cases.views-repo.js';

export const MAX_VIEWS_PER_USER = 100;

/** Who is asking: the user, and whether they manage teams (managers and admins). */
export type ViewEditor = { userId: string; managesTeams: boolean };

type Memberships = Map<string, boolean>;

function canEdit(v: repo.ViewRow, who: ViewEditor, teams: Memberships): boolean {
  if (v.owner_id === who.userId) return true;
  return v.team_id !== null && (who.managesTeams || teams.get(v.team_id) === true);
}

function present(v: repo.ViewRow, who: ViewEditor, teams: Memberships): CaseView {
  return {
    id: v.id, name: v.name, filters: v.filters as CaseViewFilters, owner: { id: v.owner_id, name: v.owner_name },
    team: v.team_id ? { id: v.team_id, name: v.team_name ?? '' } : null, canEdit: canEdit(v, who, teams),
    createdAt: v.created_at.toISOString(), updatedAt: v.updated_at.toISOString(),
  };
}

const notFound = () => new DomainError('not_found', { message: 'No such saved view (or it is not shared with you)' });

function assertMember(teamId: string | null, teams: Memberships): void {
  if (teamId !== null && !teams.has(teamId)) throw new DomainError('validation_failed', { field: 'teamId', message: 'You can share a view only with a team you are a member of' });
}

async function assertNameFree(db: Executor, officeId: string, ownerId: string, name: string, exceptId: string | null): Promise<void> {
  if (await repo.nameTaken(db, officeId, ownerId, name, exceptId)) throw new DomainError('conflict', { field: 'name', message: `There is already a saved view named "${name}"` });
}

/** Drops empty values, so a view stores only the filters it sets. */
const compact = (f: CaseViewFilters): Record<string, string> => Object.fromEntries(Object.entries(f).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));

export async function list(scope: Scope, who: ViewEditor): Promise<CaseView[]> {
  const [rows, teams] = await Promise.all([repo.listVisible(scope.db, scope.officeId, who.userId), repo.memberships(scope.db, scope.officeId, who.userId)]);
  return rows.map((r) => present(r, who, teams));
}

export async function create(scope: Scope, who: ViewEditor, input: CreateCaseView): Promise<CaseView> {
  const v = ZCreateCaseView.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const teams = await repo.memberships(trx, scope.officeId, who.userId);
    assertMember(v.teamId, teams);
    await assertNameFree(trx, scope.officeId, who.userId, v.name, null);
    if ((await repo.countOwned(trx, scope.officeId, who.userId)) >= MAX_VIEWS_PER_USER) throw new DomainError('conflict', { message: `A user can have at most ${MAX_VIEWS_PER_USER} saved views` });
    const { id } = await repo.insert(trx, scope.officeId, { owner_id: who.userId, team_id: v.teamId, name: v.name, filters: compact(v.filters) });
    const view = present((await repo.getVisible(trx, scope.officeId, who.userId, id))!, who, teams);
    await audit.record(trx, scope, { entity: 'case_view', id, action: 'created', after: view });
    return view;
  });
}

/** The view, if the caller sees it and may edit it. */
async function editable(db: Executor, scope: Scope, who: ViewEditor, id: string): Promise<{ row: repo.ViewRow; teams: Memberships }> {
  const [row, teams] = await Promise.all([repo.getVisible(db, scope.officeId, who.userId, id), repo.memberships(db, scope.officeId, who.userId)]);
  if (!row) throw notFound();
  if (!canEdit(row, who, teams)) throw new DomainError('forbidden', { message: `"${row.name}" is ${row.owner_name}'s view; only its owner, a manager of its team or a manager or admin can change it` });
  return { row, teams };
}

export async function update(scope: Scope, who: ViewEditor, id: string, input: UpdateCaseView): Promise<CaseView> {
  const v = ZUpdateCaseView.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const { row, teams } = await editable(trx, scope, who, id);
    if (v.teamId !== undefined && v.teamId !== row.team_id) assertMember(v.teamId, teams);
    if (v.name !== undefined && v.name.toLowerCase() !== row.name.toLowerCase()) await assertNameFree(trx, scope.officeId, row.owner_id, v.name, id);
    await repo.update(trx, scope.officeId, id, { name: v.name, team_id: v.teamId, filters: v.filters ? compact(v.filters) : undefined });
    const after = await repo.getVisible(trx, scope.officeId, row.owner_id, id);
    const view = present(after!, who, teams);
    await audit.record(trx, scope, { entity: 'case_view', id, action: 'updated', before: present(row, who, teams), after: view });
    return view;
  });
}

export async function remove(scope: Scope, who: ViewEditor, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const { row, teams } = await editable(trx, scope, who, id);
    await repo.remove(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'case_view', id, action: 'deleted', before: present(row, who, teams) });
  });
}
