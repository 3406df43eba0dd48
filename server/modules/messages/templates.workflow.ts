// The draft -> approved workflow of reply templates' text, per language, and the one way text
// leaves a template for sending (approvedText / usableTemplate). Approved text is never edited:
// saving makes or updates the language's one open draft; approving it supersedes the approved
// version; a draft can be discarded; any old version can be restored as the new draft. Every
// change takes the template's row lock, so versions are numbered without gaps or races, and
// appends an audit event.
import { ZLanguageTag } from '../../../contract/common.js';
import {
  ZApproveTemplateDraft, ZSaveTemplateDraft, type ApprovedTemplateText, type ApproveTemplateDraft, type ReplyTemplate, type SaveTemplateDraft, type TemplateVersion,
} from '../../../contract/templates.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { authorOf, checkText, getRow, load, lockRow, presentVersion } from './templates.service.js';
import * as repo from './templates.repo.js';
import * as versions from './templates.versions-repo.js';

type Change = (trx: Trx, template: repo.TemplateRow) => Promise<{ action: string; before?: unknown; after: unknown }>;

/** Runs one change of a template's versions under its lock, audits it and answers the template as it now is. */
function change(scope: Scope, id: string, fn: Change): Promise<ReplyTemplate> {
  return inTransaction(scope.db, async (trx) => {
    const template = await lockRow(trx, scope.officeId, id);
    const { action, before, after } = await fn(trx, template);
    await audit.record(trx, scope, { entity: 'reply_template', id, action, before, after });
    return load(trx, scope.officeId, await repo.update(trx, scope.officeId, id, {}));
  });
}

const auditOf = (v: versions.VersionRow) => ({ language: v.language, version: v.version, status: v.status, subject: v.subject, body: v.body });

/** Saves the language's draft: updates the open one, else starts the next version (a new language is a new translation). */
export function saveDraft(scope: Scope, id: string, language: string, input: SaveTemplateDraft): Promise<ReplyTemplate> {
  const v = ZSaveTemplateDraft.parse(input);
  checkText(v);
  return change(scope, id, async (trx, t) => {
    const draft = await versions.inStatus(trx, scope.officeId, t.id, language, 'draft');
    if (draft) {
      const saved = await versions.updateDraft(trx, scope.officeId, { templateId: t.id, language, version: draft.version }, v);
      return { action: 'draft_saved', before: auditOf(draft), after: auditOf(saved) };
    }
    const author = authorOf(scope);
    const created = await versions.insertDraft(trx, scope.officeId, { templateId: t.id, language, ...v, createdBy: author.userId, createdByLabel: author.label });
    return { action: 'draft_saved', after: auditOf(created) };
  });
}

async function openDraft(trx: Trx, scope: Scope, t: repo.TemplateRow, language: string): Promise<versions.VersionRow> {
  const draft = await versions.inStatus(trx, scope.officeId, t.id, language, 'draft');
  if (!draft) throw new DomainError('not_found', { message: `The template "${t.name}" has no draft in ${language}` });
  return draft;
}

/**
 * Approves the language's draft, named by the version and revision the approver read (409 if
 * it has changed since): it becomes the text in use, and the approved version before it is
 * superseded. Who may do this is the route's `templates.approve`.
 */
export function approve(scope: Scope, id: string, language: string, input: ApproveTemplateDraft): Promise<ReplyTemplate> {
  const v = ZApproveTemplateDraft.parse(input);
  return change(scope, id, async (trx, t) => {
    const draft = await openDraft(trx, scope, t, language);
    if (draft.version !== v.version || draft.revision !== v.revision) {
      throw new DomainError('conflict', {
        field: 'revision', message: `The ${language} draft has changed since you read it (it is now version ${draft.version}, revision ${draft.revision}); read it again before approving`,
      });
    }
    checkText(draft);
    const previous = await versions.inStatus(trx, scope.officeId, t.id, language, 'approved');
    // The one approved version is superseded first: a partial unique index allows one at a time.
    if (previous) await versions.close(trx, scope.officeId, { templateId: t.id, language, version: previous.version }, 'superseded');
    const approved = await versions.approve(trx, scope.officeId, { templateId: t.id, language, version: draft.version }, authorOf(scope));
    return { action: 'approved', before: previous ? auditOf(previous) : undefined, after: auditOf(approved) };
  });
}

/** Discards the language's open draft (it stays in the history as discarded). */
export function discard(scope: Scope, id: string, language: string): Promise<ReplyTemplate> {
  return change(scope, id, async (trx, t) => {
    const draft = await openDraft(trx, scope, t, language);
    const closed = await versions.close(trx, scope.officeId, { templateId: t.id, language, version: draft.version }, 'discarded');
    return { action: 'draft_discarded', before: auditOf(draft), after: auditOf(closed) };
  });
}

/** Starts a new draft from an old version's text (checked again: the merge fields may have changed since). */
export function restore(scope: Scope, id: string, language: string, version: number): Promise<ReplyTemplate> {
  return change(scope, id, async (trx, t) => {
    const old = await versions.get(trx, scope.officeId, { templateId: t.id, language, version });
    if (!old) throw new DomainError('not_found', { message: `The template "${t.name}" has no version ${version} in ${language}` });
    const draft = await versions.inStatus(trx, scope.officeId, t.id, language, 'draft');
    if (draft) throw new DomainError('conflict', { message: `The ${language} text already has an open draft (version ${draft.version}); save over it or discard it first` });
    checkText(old);
    const author = authorOf(scope);
    const created = await versions.insertDraft(trx, scope.officeId, {
      templateId: t.id, language, subject: old.subject, body: old.body, createdBy: author.userId, createdByLabel: author.label,
    });
    return { action: 'version_restored', before: auditOf(old), after: auditOf(created) };
  });
}

/** Every version of the template (of one language when given), newest first within each language. */
export async function history(scope: Scope, id: string, language: string | undefined): Promise<TemplateVersion[]> {
  const t = await getRow(scope.db, scope.officeId, id);
  return (await versions.history(scope.db, scope.officeId, t.id, language)).map(presentVersion);
}

const primaryOf = (tag: string) => tag.split('-')[0]!.toLowerCase();

/**
 * The language to use among those with approved text: for each preferred language in turn, the
 * same tag, else its primary language (es-MX: es), else a regional form of it (en: en-GB);
 * then the fallback (the template's default language); else null.
 */
export function pickLanguage(available: readonly string[], preferred: readonly string[], fallback: string): string | null {
  for (const raw of preferred) {
    const parsed = ZLanguageTag.safeParse(raw);
    if (!parsed.success) continue;
    const tag = parsed.data;
    const primary = primaryOf(tag);
    const hit = available.find((a) => a === tag) ?? available.find((a) => a === primary) ?? [...available].sort().find((a) => primaryOf(a) === primary);
    if (hit) return hit;
  }
  return available.includes(fallback) ? fallback : null;
}

const textOf = (v: versions.VersionRow): ApprovedTemplateText => ({ templateId: v.template_id, version: v.version, language: v.language, subject: v.subject, body: v.body });

/**
 * The approved text to send from a template: in the first preferred language that has one (see
 * pickLanguage), else in the template's default language; null when the template is unknown,
 * retired or has no approved text there. Never a draft. For anything that sends template text
 * automatically (replies, closure messages, triage's auto-reply).
 */
export async function approvedText(db: Executor, officeId: string, templateId: string, preferredLanguages: readonly string[]): Promise<ApprovedTemplateText | null> {
  const t = await repo.get(db, officeId, templateId);
  if (!t || t.retired) return null;
  const approved = await versions.approved(db, officeId, templateId);
  const language = pickLanguage(approved.map((v) => v.language), preferredLanguages, t.default_language);
  const chosen = approved.find((v) => v.language === language);
  return chosen ? textOf(chosen) : null;
}

/**
 * The approved text of a template chosen in a request, for a recipient: in `language` exactly
 * when given, else as approvedText picks it. Refuses (400 naming `field`) a template of another
 * office, a retired one, or one without approved text there.
 */
export async function usableTemplate(
  db: Executor, officeId: string, templateId: string, opts: { field: string; preferredLanguages: readonly (string | null)[]; language?: string | undefined },
): Promise<ApprovedTemplateText> {
  const t = await repo.get(db, officeId, templateId);
  const refuse = (message: string, field = opts.field) => new DomainError('validation_failed', { field, message });
  if (!t) throw refuse('No such template in this office');
  if (t.retired) throw refuse(`The template "${t.name}" is retired`);
  if (opts.language) {
    const v = await versions.inStatus(db, officeId, t.id, opts.language, 'approved');
    if (!v) throw refuse(`The template "${t.name}" has no approved text in ${opts.language}`, 'templateLanguage');
    return textOf(v);
  }
  const text = await approvedText(db, officeId, t.id, opts.preferredLanguages.filter((l): l is string => !!l));
  if (!text) throw refuse(`The template "${t.name}" has no approved text yet: only approved text is sent`);
  return text;
}
