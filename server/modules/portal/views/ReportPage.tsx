// Step 3 of a report, the details: a plain HTML form that works without JavaScript. What and
// where were chosen in steps 1 and 2 (each with a link to change it); open reports of the same
// topic near the point come first ("Is this the same problem?"). Labelled fields, hints and
// problems tied to their fields, the problems listed first (each linking to its field), what
// the resident typed kept, the honeypot off-screen, the consent beside the office's privacy text.
import type { Open311Attribute } from '../../../../contract/open311.js';
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';
import { PhotosField, type PhotoLimits } from './PhotosField.js';
import { QuestionsField } from './QuestionsField.js';

export type ReportValues = Partial<Record<'categoryId' | 'description' | 'address' | 'lat' | 'lng' | 'name' | 'email' | 'phone' | 'preferredChannel' | 'consent' | 'anonymous', string>>;

export type NearbyReport = { reference: string; categoryName: string; createdAt: Date; status: string; metres: number; href: string };

export type ReportProps = Page & {
  reportPath: string;
  /** The topic chosen in step 1 (null: something else), with its own questions. */
  chosen: { id: string; label: string; questions: Open311Attribute[] } | null;
  nearby: NearbyReport[];
  /** The answers to the topic's questions, as posted. */
  answers: Record<string, string>;
  formToken: string;
  clientToken: string;
  privacyText: string;
  descriptionMax: number;
  photoLimits: PhotoLimits;
  values?: ReportValues;
  errors?: FieldError[];
};

export function ReportPage(p: ReportProps) {
  const { t, office } = p;
  const errors = p.errors ?? [];
  const v = p.values ?? {};
  const isTicked = (k: 'consent' | 'anonymous') => v[k] === 'yes' || v[k] === 'on';
  const hasPoint = v.lat && v.lng && !errors.some((e) => e.field === 'address');
  const topicPath = `${p.reportPath}?lang=${t.lang}`;
  const placePath = `${topicPath}&category=${encodeURIComponent(p.chosen?.id ?? 'other')}`;
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <p className="step">{t.t('report.step', { step: 3, steps: 3 })}</p>
      <h1>{t.t('report.title')}</h1>
      <dl className="summary">
        <dt>{t.t('report.summary.topic')}</dt>
        <dd>{p.chosen?.label ?? t.t('report.category.choose')} <a id="categoryId" href={topicPath}>{t.t('report.summary.change')}<span className="visually-hidden"> {t.t('report.summary.topic')}</span></a></dd>
        <dt>{t.t('report.summary.place')}</dt>
        <dd>{hasPoint || v.address ? (v.address || t.t('report.summary.point')) : t.t('report.summary.noPlace')} <a href={placePath}>{t.t('report.summary.change')}<span className="visually-hidden"> {t.t('report.summary.place')}</span></a></dd>
      </dl>
      {p.nearby.length ? (
        <section className="nearby" aria-labelledby="nearby-heading">
          <h2 id="nearby-heading">{t.t('nearby.heading')}</h2>
          <p>{t.t('nearby.text', { count: p.nearby.length })}</p>
          <ul>
            {p.nearby.map((n) => (
              <li key={n.reference}>
                <a href={n.href}>{n.reference}</a>{' '}
                {t.t('nearby.item', { topic: n.categoryName, status: n.status, date: t.date(n.createdAt), metres: Math.round(n.metres) })}
              </li>
            ))}
          </ul>
          <p>{t.t('nearby.different')}</p>
        </section>
      ) : null}
      <p>{t.t('report.intro')}</p>
      <form method="post" action={`/portal/${office!.slug}/report?lang=${t.lang}`} encType="multipart/form-data" noValidate>
        <input type="hidden" name="formToken" value={p.formToken} />
        <input type="hidden" name="clientToken" value={p.clientToken} />
        {hasPoint ? <><input type="hidden" name="lat" value={v.lat} /><input type="hidden" name="lng" value={v.lng} /></> : null}
        <fieldset>
          <legend>{t.t('report.request.legend')}</legend>
          {p.chosen ? <input type="hidden" name="categoryId" value={p.chosen.id} /> : null}
          <label htmlFor="description">{t.t('report.description.label')}</label>
          <p className="hint" id="description-hint">{t.t('report.description.hint', { max: p.descriptionMax })}</p>
          <FieldMessage t={t} id="description" errors={errors} />
          <textarea id="description" name="description" rows={6} required defaultValue={v.description ?? ''} {...aria('description', errors, 'description-hint')} />
          <label htmlFor="address">{t.t('report.address.label')}</label>
          <p className="hint" id="address-hint">{t.t('report.address.hint')}</p>
          <FieldMessage t={t} id="address" errors={errors} />
          <input type="text" id="address" name="address" autoComplete="street-address" defaultValue={v.address ?? ''} {...aria('address', errors, 'address-hint')} />
          <PhotosField t={t} label={t.t('report.photos.label')} limits={p.photoLimits} errors={errors} isShownAgain={errors.length > 0} />
        </fieldset>
        <QuestionsField t={t} questions={p.chosen?.questions ?? []} values={p.answers} errors={errors} />
        <fieldset>
          <legend>{t.t('report.about.legend')}</legend>
          <label htmlFor="name">{t.t('report.name.label')}</label>
          <FieldMessage t={t} id="name" errors={errors} />
          <input type="text" id="name" name="name" autoComplete="name" required defaultValue={v.name ?? ''} {...aria('name', errors)} />
          <div className="choice">
            <input type="checkbox" id="anonymous" name="anonymous" value="yes" defaultChecked={isTicked('anonymous')} aria-describedby="anonymous-hint" />
            <label htmlFor="anonymous">{t.t('report.anonymous.label')}</label>
          </div>
          <p className="hint" id="anonymous-hint">{t.t('report.anonymous.hint')}</p>
          <p className="hint" id="contact-hint">{t.t('report.contact.hint')}</p>
          <label htmlFor="email">{t.t('report.email.label')}</label>
          <FieldMessage t={t} id="email" errors={errors} />
          <input type="email" id="email" name="email" autoComplete="email" spellCheck={false} defaultValue={v.email ?? ''} {...aria('email', errors, 'contact-hint')} />
          <label htmlFor="phone">{t.t('report.phone.label')}</label>
          <FieldMessage t={t} id="phone" errors={errors} />
          <input type="tel" id="phone" name="phone" autoComplete="tel" defaultValue={v.phone ?? ''} {...aria('phone', errors, 'contact-hint')} />
        </fieldset>
        <fieldset aria-describedby={aria('preferredChannel', errors, 'channel-hint')['aria-describedby']}>
          <legend>{t.t('report.channel.legend')}</legend>
          <p className="hint" id="channel-hint">{t.t('report.channel.hint')}</p>
          <FieldMessage t={t} id="preferredChannel" errors={errors} />
          <div className="choice">
            <input type="radio" id="preferredChannel" name="preferredChannel" value="email" defaultChecked={v.preferredChannel === 'email'} />
            <label htmlFor="preferredChannel">{t.t('report.channel.email')}</label>
          </div>
          <div className="choice">
            <input type="radio" id="preferredChannel-sms" name="preferredChannel" value="sms" defaultChecked={v.preferredChannel === 'sms'} />
            <label htmlFor="preferredChannel-sms">{t.t('report.channel.sms')}</label>
          </div>
        </fieldset>
        <div className="privacy" id="privacy-text">
          <h2>{t.t('report.privacy.heading')}</h2>
          <p>{p.privacyText}</p>
        </div>
        <FieldMessage t={t} id="consent" errors={errors} />
        <div className="choice">
          <input type="checkbox" id="consent" name="consent" value="yes" required defaultChecked={isTicked('consent')} {...aria('consent', errors, 'privacy-text')} />
          <label htmlFor="consent">{t.t('report.consent.label', { office: office!.name })}</label>
        </div>
        <div className="hp"><label htmlFor="website">{t.t('report.honeypot')}</label><input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" /></div>
        <button type="submit">{t.t('report.submit')}</button>
      </form>
    </Layout>
  );
}
