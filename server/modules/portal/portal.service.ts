// The resident portal's journeys. A report goes through the public form's intake path
// (intake.web-form submit: checks, stored raw under its client token, processed into a case)
// with the resident's choices; its answer is a signed tracking link to the stored item, so it
// can be followed before the case exists. A lookup by reference and email or phone gives the
// same link; a comment goes through intake too and is threaded into the case. The portal is
// live exactly when the office's public form is (intake's officeOf).
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { ZPortalComment, ZPortalReport, ZTrackLookup } from '../../../contract/portal.js';
import { normalizePhone } from '../constituents/constituents.normalize.js';
import { checkFormToken, checkTrackingToken, issueFormToken, issueTrackingToken } from '../intake/intake.form-token.js';
import { requestByReference } from '../intake/intake.feed.js';
import { formInfo, officeOf, submit, submitComment, type FormDeps, type PublicOffice } from '../intake/intake.web-form.js';
import { questionsOf } from './portal.categories.js';
import { FormProblems, inFormOrder, parseForm, reportProblem } from './portal.forms.js';
import type { Translator } from './portal.i18n.js';
import { readAnswers } from './portal.questions.js';
import { parseWithPhotos, photoPlaceProblem, pointFromPhotos, ZPortalPhotoComment, type SentForm } from './portal.photos.js';
import { trackingView } from './portal.track.js';

export type Office = PublicOffice;
export const DESCRIPTION_MAX = 5000;

export const officeFor = (db: Executor, slug: string): Promise<Office> => officeOf(db, slug);

/** A signed form token for the portal's small forms (tracking lookup, comment). */
export const formToken = (db: Executor, office: Office) => issueFormToken(db, office.id);

/** What the report form offers: the public form's categories and a signed form token. */
export const reportForm = (db: Executor, office: Office, minFillSeconds: number) => formInfo(db, office, minFillSeconds);

/** The words beside the consent checkbox: the office's privacy text, else the portal's. */
export const privacyText = (office: Office, t: Translator) => office.branding.privacyNotice ?? t.t('report.privacy.default', { office: office.name });

/** Sends a report; returns its tracking token, or throws FormProblems for what the resident can fix. */
export async function report(deps: FormDeps, office: Office, sent: SentForm, t: Translator, meta: { ip: string; userAgent: string }): Promise<string> {
  // The topic's own questions are answered on the same form: their problems join the rest.
  const questions = await questionsOf(deps.database.db, office, sent.body.categoryId);
  const parsed = await parseWithPhotos('report', () => {
    const asked = readAnswers(questions, sent.body);
    try {
      const value = parseForm(ZPortalReport, 'report', sent.body);
      if (asked.issues.length) throw new FormProblems(asked.issues);
      return { ...value, answers: asked.answers };
    } catch (err) {
      if (err instanceof FormProblems && err.issues !== asked.issues) throw new FormProblems(inFormOrder('report', [...err.issues, ...asked.issues]));
      throw err;
    }
  }, sent);
  // A photo's position is the report's point when the resident marked none.
  const { request: { answers, ...r }, from } = pointFromPhotos(parsed.value, parsed.photos);
  const consent = `${t.t('report.consent.label', { office: office.name })}. ${privacyText(office, t)} (resident portal, ${t.lang})`;
  const portal = {
    preferredChannel: r.preferredChannel ?? (r.email ? 'email' as const : 'sms' as const), anonymous: r.anonymous, language: t.lang, consent, ...(answers.length ? { answers } : {}),
  };
  const outcome = await submit(deps, office, r, meta, portal, parsed.photos).catch((err: unknown) => {
    photoPlaceProblem(err, from);
    return reportProblem(err, 'categoryId');
  });
  return issueTrackingToken(deps.database.db, office.id, outcome.itemId);
}

const gone = () => new DomainError('gone', { message: 'This tracking link has expired' });
const unknownLink = () => new DomainError('not_found', { message: 'There is no request at this address' });

/** The stored request a tracking token names in this office: 404 for anything forged or another office's, 410 once expired. */
export async function requestOf(db: Executor, office: Office, token: string): Promise<string> {
  const r = await checkTrackingToken(db, office.id, token);
  if (r === 'expired') throw gone();
  if (!r) throw unknownLink();
  return r.itemId;
}

export async function track(db: Executor, office: Office, token: string) {
  const view = await trackingView(db, office.id, await requestOf(db, office, token));
  if (!view) throw unknownLink();
  return view;
}

/**
 * A lookup by reference and the email or phone the request was sent with: its tracking token,
 * or FormProblems saying nothing was found. The same message whether the reference exists or
 * not, after the same one query.
 */
export async function lookup(db: Executor, office: Office, body: unknown): Promise<string> {
  const q = parseForm(ZTrackLookup, 'lookup', body);
  await checkFormToken(db, office.id, q.formToken, 0).catch(() => {
    throw new FormProblems([{ field: 'reference', key: 'error.form.retry' }]);
  });
  const phone = q.contact.includes('@') ? null : normalizePhone(q.contact, office.defaultRegion);
  const contact = { email: q.contact.includes('@') ? q.contact.toLowerCase() : null, phone: phone?.ok ? phone.e164 : null };
  const id = await requestByReference(db, office.id, q.reference, contact);
  if (!id) throw new FormProblems([{ field: 'reference', key: 'lookup.notFound' }]);
  return issueTrackingToken(db, office.id, id);
}

/** A comment on the tracked request, threaded into its case through intake. */
export async function comment(deps: FormDeps, office: Office, token: string, sent: SentForm, meta: { ip: string }): Promise<void> {
  const requestItemId = await requestOf(deps.database.db, office, token);
  // With photos, the words are optional.
  const { value: c, photos } = await parseWithPhotos('comment', () => parseForm(sent.files.length ? ZPortalPhotoComment : ZPortalComment, 'comment', sent.body), sent);
  await submitComment(deps, office, { requestItemId, ...c }, meta, photos).catch((err: unknown) => reportProblem(err, 'text'));
}
