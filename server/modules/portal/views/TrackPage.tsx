// A request's tracking page: what the resident may see of it (see portal.track.ts), its public
// history, and a form to add a comment once it is on a case.
import type { TrackView } from '../portal.track.js';
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';
import { PhotosField, type PhotoLimits } from './PhotosField.js';

export type TrackProps = Page & {
  view: TrackView;
  commentAction: string;
  formToken: string;
  clientToken: string;
  commentMax: number;
  /** The resident's own photos (none on a sensitive case), under the signed link. */
  photos: { href: string; thumbnail: string }[];
  photoLimits: PhotoLimits;
  isCommentSent?: boolean;
  values?: { text?: string | undefined };
  errors?: FieldError[];
};

export function TrackPage(p: TrackProps) {
  const { t, view } = p;
  const errors = p.errors ?? [];
  const status = t.t(`status.${view.status}`);
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      {p.isCommentSent ? <p className="notice" role="status">{t.t('comment.sent')}</p> : null}
      <h1>{view.reference ? t.t('track.title', { reference: view.reference }) : t.t('track.titlePending')}</h1>
      {view.isSensitive ? <p>{t.t('track.sensitive')}</p> : null}
      {!view.reference ? <p>{t.t('track.pending')}</p> : null}
      <dl className="facts">
        {view.reference ? <><dt>{t.t('track.reference')}</dt><dd>{view.reference}</dd></> : null}
        <dt>{t.t('track.status')}</dt><dd><span className="status">{status}</span></dd>
        {view.details ? (
          <>
            {view.details.category ? <><dt>{t.t('track.category')}</dt><dd>{view.details.category}</dd></> : null}
            <dt>{t.t('track.submitted')}</dt><dd><time dateTime={view.details.submittedAt.toISOString()}>{t.date(view.details.submittedAt)}</time></dd>
            {view.details.expectedAt ? <><dt>{t.t('track.expected')}</dt><dd><time dateTime={view.details.expectedAt.toISOString()}>{t.date(view.details.expectedAt)}</time></dd></> : null}
            {view.details.address ? <><dt>{t.t('track.location')}</dt><dd>{view.details.address}</dd></> : null}
            {view.details.requesterName ? <><dt>{t.t('track.name')}</dt><dd>{view.details.requesterName}</dd></> : null}
            {view.details.resolution ? <><dt>{t.t('track.resolution')}</dt><dd>{view.details.resolution}</dd></> : null}
          </>
        ) : null}
      </dl>
      {view.history ? (
        <>
          <h2>{t.t('track.history.heading')}</h2>
          <p>{t.t('track.history.count', { count: view.history.length })}</p>
          <ol className="history">
            {view.history.map((h, i) => (
              <li key={i}>
                <time dateTime={h.at.toISOString()}>{t.dateTime(h.at)}</time>
                {h.kind === 'status' ? t.t('history.status', { status: t.t(`status.${h.status}`) }) : t.t(`history.${h.kind}`)}
                {h.text ? <blockquote>{h.text}</blockquote> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {p.photos.length ? (
        <section aria-labelledby="photos-heading">
          <h2 id="photos-heading">{t.t('track.photos.heading')}</h2>
          <ul className="photos">
            {p.photos.map((ph, i) => (
              <li key={ph.href}><a href={ph.href}><img src={ph.thumbnail} alt={t.t('track.photos.alt', { number: i + 1 })} width={160} loading="lazy" /></a></li>
            ))}
          </ul>
        </section>
      ) : null}
      {view.canComment ? (
        <section aria-labelledby="comment-heading">
          <h2 id="comment-heading">{t.t('comment.heading')}</h2>
          <form method="post" action={p.commentAction} encType="multipart/form-data" noValidate>
            <input type="hidden" name="formToken" value={p.formToken} />
            <input type="hidden" name="clientToken" value={p.clientToken} />
            <label htmlFor="text">{t.t('comment.label')}</label>
            <p className="hint" id="text-hint">{t.t('comment.hint', { max: p.commentMax })}</p>
            <FieldMessage t={t} id="text" errors={errors} />
            <textarea id="text" name="text" rows={5} defaultValue={p.values?.text ?? ''} {...aria('text', errors, 'text-hint')} />
            <PhotosField t={t} label={t.t('comment.photos.label')} limits={p.photoLimits} errors={errors} isShownAgain={errors.length > 0} />
            <button type="submit">{t.t('comment.submit')}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
