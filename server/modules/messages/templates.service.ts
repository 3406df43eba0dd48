// Reply templates: the template itself (name, category, default language, retired) and how a
// template is presented with its languages. A new template is a draft; its text changes only
// through the draft -> approved workflow in templates.workflow.ts. Merge fields are checked on
// every save, so a template that would not render never exists. Retiring keeps it for the
// messages sent from it.
import { TEMPLATE_MERGE_FIELDS } from '../../../contract/messages.js';
import {
  ZCreateReplyTemplate, ZUpdateReplyTemplate, type CreateReplyTemplate, type ReplyTemplate, type TemplateTranslation, type TemplateVersion, type UpdateReplyTemplate,
} from '../../../contract/templates.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { actingUserId, withDb, type Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as offices from '../offices/offices.service.js';
import { MergeError, parseTemplate } from './messages.merge.js';
import * as repo from './templates.repo.js';
import * as versions from './templates.versions-repo.js';

export function presentVersion(v: versions.VersionRow): TemplateVersion {
  return {
    language: v.language, version: v.version, status: v.status as TemplateVersion['status'], subject: v.subject, body: v.body, revision: v.revision,
    createdBy: v.created_by_label, createdAt: v.created_at.toISOString(), updatedAt: v.updated_at.toISOString(),
    approvedBy: v.approved_by_label, approvedAt: v.approved_at?.toISOString() ?? null, closedAt: v.closed_at?.toISOString() ?? null,
  };
}

/** The template with its languages: `current` holds its approved versions and open drafts. */
export function present(row: repo.TemplateRow, current: versions.VersionRow[]): ReplyTemplate {
  const byLanguage = new Map<string, TemplateTranslation>();
  for (const v of current) {
    if (v.status !== 'approved' && v.status !== 'draft') continue;
    const t = byLanguage.get(v.language) ?? { language: v.language, approved: null, draft: null };
    t[v.status] = presentVersion(v);
    byLanguage.set(v.language, t);
  }
  const rank = (language: string) => (language === row.default_language ? '' : language);
  return {
    id: row.id, name: row.name, channel: 'email', categoryId: row.category_id, retired: row.retired, defaultLanguage: row.default_language,
    translations: [...byLanguage.values()].sort((a, b) => rank(a.language).localeCompare(rank(b.language))),
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

/** The template without its text, as the audit log records a change to it. */
function identity(row: repo.TemplateRow) {
  const { translations: _, ...rest } = present(row, []);
  return rest;
}

/** The template as the API shows it, read again (after a change). */
export async function load(db: Executor, officeId: string, row: repo.TemplateRow): Promise<ReplyTemplate> {
  return present(row, await versions.current(db, officeId, [row.id]));
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

export function checkText(v: { subject: string; body: string }): void {
  checkMergeFields(v.subject, 'subject');
  checkMergeFields(v.body, 'body');
}

/** Who is acting, as a version records it. */
export const authorOf = (scope: Scope) => ({ userId: actingUserId(scope), label: scope.actor.label });

async function checkName(db: Executor, officeId: string, name: string, exceptId?: string): Promise<void> {
  if (await repo.liveByName(db, officeId, name, exceptId)) throw new DomainError('conflict', { field: 'name', message: `A template named "${name}" already exists` });
}

export async function list(scope: Scope, includeRetired: boolean): Promise<ReplyTemplate[]> {
  const rows = await repo.list(scope.db, scope.officeId, includeRetired);
  const current = await versions.current(scope.db, scope.officeId, rows.map((r) => r.id));
  return rows.map((r) => present(r, current.filter((v) => v.template_id === r.id)));
}

const notFound = () => new DomainError('not_found', { message: 'No such template in this office' });

/** A template of this office (retired ones too); 404 otherwise. */
export async function getRow(db: Executor, officeId: string, id: string): Promise<repo.TemplateRow> {
  const row = await repo.get(db, officeId, id);
  if (!row) throw notFound();
  return row;
}

/** The template locked for a change of its versions; 404 when not of this office. */
export async function lockRow(db: Executor, officeId: string, id: string): Promise<repo.TemplateRow> {
  const row = await repo.lock(db, officeId, id);
  if (!row) throw notFound();
  return row;
}

export const get = async (scope: Scope, id: string) => load(scope.db, scope.officeId, await getRow(scope.db, scope.officeId, id));

/** The office's language: its locale without the region (en-GB: en). */
const officeLanguage = async (scope: Scope) => (await offices.get(scope)).locale.split('-')[0]!.toLowerCase();

/** A new template: its first text is a draft (version 1) in the language given, else the office's. */
export async function create(scope: Scope, input: CreateReplyTemplate): Promise<ReplyTemplate> {
  const v = ZCreateReplyTemplate.parse(input);
  checkText(v);
  return inTransaction(scope.db, async (trx) => {
    await checkName(trx, scope.officeId, v.name);
    if (v.categoryId) await categories.assertUsable(trx, scope.officeId, v.categoryId);
    const language = v.language ?? (await officeLanguage(withDb(scope, trx)));
    const row = await repo.insert(trx, scope.officeId, { name: v.name, categoryId: v.categoryId, defaultLanguage: language });
    const author = authorOf(scope);
    await versions.insertDraft(trx, scope.officeId, { templateId: row.id, language, subject: v.subject, body: v.body, createdBy: author.userId, createdByLabel: author.label });
    const created = await load(trx, scope.officeId, row);
    await audit.record(trx, scope, { entity: 'reply_template', id: row.id, action: 'created', after: created });
    return created;
  });
}

/** Renames, recategorises, changes the default language of, retires or restores a template (never its text). */
export async function update(scope: Scope, id: string, input: UpdateReplyTemplate): Promise<ReplyTemplate> {
  const v = ZUpdateReplyTemplate.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const before = await lockRow(trx, scope.officeId, id);
    const retired = v.retired ?? before.retired;
    // Un-retiring or renaming a live template must not clash with another live one.
    if (!retired && (v.name !== undefined || before.retired)) await checkName(trx, scope.officeId, v.name ?? before.name, id);
    if (v.categoryId) await categories.assertUsable(trx, scope.officeId, v.categoryId);
    const row = await repo.update(trx, scope.officeId, id, {
      ...(v.name !== undefined ? { name: v.name } : {}), ...(v.categoryId !== undefined ? { category_id: v.categoryId } : {}),
      ...(v.defaultLanguage !== undefined ? { default_language: v.defaultLanguage } : {}), ...(v.retired !== undefined ? { retired: v.retired } : {}),
    });
    await audit.record(trx, scope, { entity: 'reply_template', id, action: v.retired === true && !before.retired ? 'retired' : 'updated', before: identity(before), after: identity(row) });
    return load(trx, scope.officeId, row);
  });
}
