// Approved reply templates: per-office CRUD with the merge fields checked on every save, so a
// template that would not render never exists. Retiring keeps it for the messages sent from it.
import {
  TEMPLATE_MERGE_FIELDS, ZCreateReplyTemplate, ZUpdateReplyTemplate, type CreateReplyTemplate, type ReplyTemplate, type UpdateReplyTemplate,
} from '../../../contract/messages.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import { MergeError, parseTemplate } from './messages.merge.js';
import * as repo from './templates.repo.js';

export function present(row: repo.TemplateRow): ReplyTemplate {
  return {
    id: row.id, name: row.name, channel: 'email', subject: row.subject, body: row.body, categoryId: row.category_id, retired: row.retired,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

export const mergeFields = () => Object.entries(TEMPLATE_MERGE_FIELDS).map(([name, description]) => ({ name, description }));

/** Refuses text whose merge fields are unknown or malformed, naming the field of the request. */
export function checkMergeFields(text: string, field: 'subject' | 'body'): void {
  try {
    parseTemplate(text);
  } catch (err) {
    if (err instanceof MergeError) throw new DomainError('validation_failed', { field, message: `${field}: ${err.message}` });
    throw err;
  }
}

async function checkName(db: Executor, officeId: string, name: string, exceptId?: string): Promise<void> {
  if (await repo.liveByName(db, officeId, name, exceptId)) throw new DomainError('conflict', { field: 'name', message: `A template named "${name}" already exists` });
}

export async function list(scope: Scope, includeRetired: boolean): Promise<ReplyTemplate[]> {
  return (await repo.list(scope.db, scope.officeId, includeRetired)).map(present);
}

/** A template of this office (retired ones too); 404 otherwise. */
export async function getRow(db: Executor, officeId: string, id: string): Promise<repo.TemplateRow> {
  const row = await repo.get(db, officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such template in this office' });
  return row;
}

export const get = async (scope: Scope, id: string) => present(await getRow(scope.db, scope.officeId, id));

export async function create(scope: Scope, input: CreateReplyTemplate): Promise<ReplyTemplate> {
  const v = ZCreateReplyTemplate.parse(input);
  checkMergeFields(v.subject, 'subject');
  checkMergeFields(v.body, 'body');
  return inTransaction(scope.db, async (trx) => {
    await checkName(trx, scope.officeId, v.name);
    if (v.categoryId) await categories.assertUsable(trx, scope.officeId, v.categoryId);
    const row = await repo.insert(trx, scope.officeId, { name: v.name, subject: v.subject, body: v.body, categoryId: v.categoryId });
    await audit.record(trx, scope, { entity: 'reply_template', id: row.id, action: 'created', after: present(row) });
    return present(row);
  });
}

export async function update(scope: Scope, id: string, input: UpdateReplyTemplate): Promise<ReplyTemplate> {
  const v = ZUpdateReplyTemplate.parse(input);
  if (v.subject !== undefined) checkMergeFields(v.subject, 'subject');
  if (v.body !== undefined) checkMergeFields(v.body, 'body');
  return inTransaction(scope.db, async (trx) => {
    const before = await getRow(trx, scope.officeId, id);
    const retired = v.retired ?? before.retired;
    // Un-retiring or renaming a live template must not clash with another live one.
    if (!retired && (v.name !== undefined || before.retired)) await checkName(trx, scope.officeId, v.name ?? before.name, id);
    if (v.categoryId) await categories.assertUsable(trx, scope.officeId, v.categoryId);
    const row = await repo.update(trx, scope.officeId, id, {
      ...(v.name !== undefined ? { name: v.name } : {}), ...(v.subject !== undefined ? { subject: v.subject } : {}), ...(v.body !== undefined ? { body: v.body } : {}),
      ...(v.categoryId !== undefined ? { category_id: v.categoryId } : {}), ...(v.retired !== undefined ? { retired: v.retired } : {}),
    });
    await audit.record(trx, scope, { entity: 'reply_template', id, action: v.retired === true && !before.retired ? 'retired' : 'updated', before: present(before), after: present(row) });
    return present(row);
  });
}
