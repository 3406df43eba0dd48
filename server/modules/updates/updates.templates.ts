// The templates resident updates are sent from: one per kind, the office's own reply
// template marked with a system key, so its text follows the usual draft -> approved
// workflow (Settings -> Reply templates). The first time an office needs one it is created
// with the default text below, approved in English and Spanish by "Civitas (default text)".
// Retiring it switches that update off for the office.
import type { ApprovedTemplateText } from '../../../contract/templates.js';
import * as audit from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import * as templates from '../messages/templates.repo.js';
import * as versions from '../messages/templates.versions-repo.js';
import { approvedText } from '../messages/templates.workflow.js';
import type { UpdateKind } from './updates.repo.js';

type Text = { subject: string; body: string };

/** What a template is for: the requester's updates, or a follower's (a status change of a public report they follow). */
export type TemplateKind = UpdateKind | 'follower_status';

const SYSTEM_KEYS: Record<TemplateKind, string> = { status_changed: 'resident.status_changed', public_note: 'resident.public_note', follower_status: 'follower.status_changed' };

const NAMES: Record<TemplateKind, string> = { status_changed: 'Resident update: status changed', public_note: 'Resident update: note shared', follower_status: 'Report followers: status changed' };

const DEFAULT_TEXT: Record<TemplateKind, Record<'en' | 'es', Text>> = {
  status_changed: {
    en: {
      subject: 'Your request {{case.reference}} is now: {{update.status}}',
      body: 'Dear {{constituent.given_name}},\n\nThere is news about your request {{case.reference}}: it is now "{{update.status}}".\n\n{{update.tracking_link}}\n\n{{office.name}}',
    },
    es: {
      subject: 'Su solicitud {{case.reference}} está ahora: {{update.status}}',
      body: 'Estimado/a {{constituent.given_name}}:\n\nHay novedades sobre su solicitud {{case.reference}}: ahora está "{{update.status}}".\n\n{{update.tracking_link}}\n\n{{office.name}}',
    },
  },
  // A follower is not the requester: nothing of the request's words or of who sent it.
  follower_status: {
    en: {
      subject: 'Report {{case.reference}} is now: {{update.status}}',
      body: 'Hello,\n\nThere is news about report {{case.reference}} ({{case.category}}), which you follow: it is now "{{update.status}}".\n\n{{update.tracking_link}}\n\n{{office.name}}',
    },
    es: {
      subject: 'El aviso {{case.reference}} está ahora: {{update.status}}',
      body: 'Hola:\n\nHay novedades sobre el aviso {{case.reference}} ({{case.category}}), que usted sigue: ahora está "{{update.status}}".\n\n{{update.tracking_link}}\n\n{{office.name}}',
    },
  },
  public_note: {
    en: {
      subject: 'An update on your request {{case.reference}}',
      body: 'Dear {{constituent.given_name}},\n\n{{office.name}} has added an update to your request {{case.reference}}:\n\n{{update.note}}\n\n{{update.tracking_link}}\n\n{{office.name}}',
    },
    es: {
      subject: 'Novedades sobre su solicitud {{case.reference}}',
      body: 'Estimado/a {{constituent.given_name}}:\n\n{{office.name}} ha añadido una novedad a su solicitud {{case.reference}}:\n\n{{update.note}}\n\n{{update.tracking_link}}\n\n{{office.name}}',
    },
  },
};

const AUTHOR = { userId: null, label: 'Civitas (default text)' };

/** The office's template for the kind, created with the approved default text when missing. */
async function ensure(db: Executor, scope: Scope, kind: TemplateKind): Promise<templates.TemplateRow> {
  const key = SYSTEM_KEYS[kind];
  const found = await templates.bySystemKey(db, scope.officeId, key);
  if (found) return found;
  // A live template of the office may have the name already: the system one gives way.
  const name = (await templates.liveByName(db, scope.officeId, NAMES[kind])) ? `${NAMES[kind]} (Civitas)` : NAMES[kind];
  const row = await templates.insertSystem(db, scope.officeId, { name, key, defaultLanguage: 'en' });
  if (!row) return (await templates.bySystemKey(db, scope.officeId, key))!;
  for (const [language, text] of Object.entries(DEFAULT_TEXT[kind])) {
    const v = await versions.insertDraft(db, scope.officeId, { templateId: row.id, language, ...text, createdBy: null, createdByLabel: AUTHOR.label });
    await versions.approve(db, scope.officeId, { templateId: row.id, language, version: v.version }, AUTHOR);
  }
  await audit.record(db, scope, { entity: 'reply_template', id: row.id, action: 'created', after: { name, systemKey: key, languages: Object.keys(DEFAULT_TEXT[kind]), summary: `Default template "${name}" created, approved in en and es` } });
  return row;
}

/** The approved text to send for the kind in the first language of `preferred` it has (else English); null when the office retired the template. */
export async function updateText(db: Executor, scope: Scope, kind: TemplateKind, preferred: readonly string[]): Promise<ApprovedTemplateText | null> {
  const t = await ensure(db, scope, kind);
  return approvedText(db, scope.officeId, t.id, preferred);
}
