// Area alerts' sign-up form: an email address, the area (a ward, or an address and a distance;
// when several addresses match, the resident picks one), optionally one kind of report, how
// often, and consent to what they are signing up for. A plain form that works without
// JavaScript; problems listed first (each linking to its field) and beside their fields;
// what was typed kept.
import { distance } from '../../alerts/alerts.present.js';
import { RADII, type AlertValues } from '../../alerts/alerts.schemas.js';
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';

export type AlertsProps = Page & {
  action: string;
  formToken: string;
  wards: { id: string; name: string }[];
  categories: { id: string; path: string[] }[];
  /** Several register addresses matched what was typed: the resident picks one. */
  choose?: { id: string; label: string }[];
  values?: AlertValues;
  errors?: FieldError[];
};

function Radio(p: { id: string; name: string; value: string; label: string; checked: boolean }) {
  return (
    <div className="choice">
      <input type="radio" id={p.id} name={p.name} value={p.value} defaultChecked={p.checked} />
      <label htmlFor={p.id}>{p.label}</label>
    </div>
  );
}

export function AlertsPage(p: AlertsProps) {
  const { t, office } = p;
  const errors = p.errors ?? [];
  const v = p.values ?? {};
  const hasWards = p.wards.length > 0;
  const area = hasWards ? v.area : 'address';
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t.t('alerts.title')}</h1>
      <p>{t.t('alerts.intro', { office: office!.name })}</p>
      <form method="post" action={p.action} noValidate>
        <input type="hidden" name="formToken" value={p.formToken} />
        {p.choose ? (
          <fieldset className="notice" id="addressId">
            <legend>{t.t('alerts.choose.legend')}</legend>
            <p className="hint">{t.t('alerts.choose.hint')}</p>
            {p.choose.map((a, i) => <Radio key={a.id} id={i === 0 ? 'addressId-first' : `addressId-${a.id}`} name="addressId" value={a.id} label={a.label} checked={v.addressId === a.id} />)}
          </fieldset>
        ) : null}
        <label htmlFor="email">{t.t('alerts.email.label')}</label>
        <p className="hint" id="email-hint">{t.t('alerts.email.hint')}</p>
        <FieldMessage t={t} id="email" errors={errors} />
        <input type="email" id="email" name="email" autoComplete="email" spellCheck={false} maxLength={320} defaultValue={v.email ?? ''} {...aria('email', errors, 'email-hint')} />
        <fieldset aria-describedby={aria('area', errors)['aria-describedby']}>
          <legend>{t.t('alerts.area.legend')}</legend>
          <FieldMessage t={t} id="area" errors={errors} />
          {hasWards ? (
            <>
              <Radio id="area" name="area" value="ward" label={t.t('alerts.area.byWard')} checked={area === 'ward'} />
              <label htmlFor="wardId">{t.t('alerts.ward.label')}</label>
              <FieldMessage t={t} id="wardId" errors={errors} />
              <select id="wardId" name="wardId" defaultValue={v.wardId ?? ''} {...aria('wardId', errors)}>
                <option value="">{t.t('alerts.ward.choose')}</option>
                {p.wards.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
              </select>
              <Radio id="area-address" name="area" value="address" label={t.t('alerts.area.byAddress')} checked={area === 'address'} />
            </>
          ) : <input type="hidden" name="area" value="address" />}
          <label htmlFor="address">{t.t('alerts.address.label')}</label>
          <p className="hint" id="address-hint">{t.t('alerts.address.hint')}</p>
          <FieldMessage t={t} id="address" errors={errors} />
          <input type="text" id="address" name="address" autoComplete="street-address" maxLength={200} defaultValue={v.address ?? ''} {...aria('address', errors, 'address-hint')} />
          <label htmlFor="radius">{t.t('alerts.radius.label')}</label>
          <FieldMessage t={t} id="radius" errors={errors} />
          <select id="radius" name="radius" defaultValue={v.radius ?? '500'} {...aria('radius', errors)}>
            {RADII.map((r) => <option key={r} value={String(r)}>{t.t('alerts.radius.option', { distance: distance(t, r) })}</option>)}
          </select>
        </fieldset>
        <label htmlFor="categoryId">{t.t('alerts.category.label')}</label>
        <FieldMessage t={t} id="categoryId" errors={errors} />
        <select id="categoryId" name="categoryId" defaultValue={v.categoryId ?? ''} {...aria('categoryId', errors)}>
          <option value="">{t.t('alerts.category.all')}</option>
          {p.categories.map((c) => <option key={c.id} value={c.id}>{c.path.join(' › ')}</option>)}
        </select>
        <fieldset aria-describedby={aria('frequency', errors)['aria-describedby']}>
          <legend>{t.t('alerts.frequency.legend')}</legend>
          <FieldMessage t={t} id="frequency" errors={errors} />
          <Radio id="frequency" name="frequency" value="immediate" label={t.t('alerts.frequency.immediate')} checked={v.frequency === 'immediate'} />
          <Radio id="frequency-daily" name="frequency" value="daily" label={t.t('alerts.frequency.daily')} checked={v.frequency === 'daily'} />
        </fieldset>
        <div className="privacy" id="alerts-privacy">
          <h2>{t.t('alerts.privacy.heading')}</h2>
          <p>{t.t('alerts.privacy.text', { office: office!.name })}</p>
        </div>
        <FieldMessage t={t} id="consent" errors={errors} />
        <div className="choice">
          <input type="checkbox" id="consent" name="consent" value="yes" defaultChecked={v.consent === 'yes'} {...aria('consent', errors, 'alerts-privacy')} />
          <label htmlFor="consent">{t.t('alerts.consent.label', { office: office!.name })}</label>
        </div>
        <button type="submit">{t.t('alerts.submit')}</button>
      </form>
    </Layout>
  );
}
