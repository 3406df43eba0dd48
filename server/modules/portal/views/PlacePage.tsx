// Step 2 of a report: where it is. An address search in the office's address register (a GET
// form, no JavaScript needed; each match is a link carrying its point), "use my location" when
// the browser can give one (the page's script shows that button), or going on without a point
// (a description of the place, or none).
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';

export type AddressMatch = { label: string; lat: number; lng: number };

/** The map to mark the place on (the page's script draws it): the office's wards, over the deployment's tiles when it has them. */
export type PlaceMap = { wardsUrl: string; tiles: string | null; attribution: string | null };

export type PlaceProps = Page & {
  map: PlaceMap | null;
  reportPath: string; categoryId: string; categoryLabel: string; where: string; matches: AddressMatch[] | null; errors?: FieldError[];
};

export function PlacePage(p: PlaceProps) {
  const { t } = p;
  const errors = p.errors ?? [];
  const base = `${p.reportPath}?lang=${t.lang}&category=${encodeURIComponent(p.categoryId)}`;
  const details = (extra: Record<string, string>) => `${base}&step=details${Object.entries(extra).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('')}`;
  return (
    <Layout {...p} hasErrors={errors.length > 0} scripts={['/portal/place.js']} styles={p.map ? ['/portal/place.css'] : []}>
      <ErrorSummary t={t} errors={errors} />
      <p className="step">{t.t('report.step', { step: 2, steps: 3 })}</p>
      <h1>{t.t('place.title')}</h1>
      <p>{t.t('place.topic', { topic: p.categoryLabel })} <a href={`${p.reportPath}?lang=${t.lang}`}>{t.t('place.changeTopic')}</a></p>
      <form method="get" action={p.reportPath} className="search" id="place-form">
        <input type="hidden" name="lang" value={t.lang} />
        <input type="hidden" name="category" value={p.categoryId} />
        <label htmlFor="where">{t.t('place.search.label')}</label>
        <p className="hint" id="where-hint">{t.t('place.search.hint')}</p>
        <FieldMessage t={t} id="where" errors={errors} />
        <div className="inline">
          <input type="text" id="where" name="where" maxLength={500} autoComplete="street-address" defaultValue={p.where} {...aria('where', errors, 'where-hint')} />
          <button type="submit">{t.t('place.search.submit')}</button>
        </div>
      </form>
      <div id="locate" hidden data-details={details({})} data-locating={t.t('place.locate.working')} data-failed={t.t('place.locate.failed')}>
        <button type="button" id="locate-button">{t.t('place.locate.button')}</button>
        <p id="locate-status" role="status" aria-live="polite" />
      </div>
      {p.map ? (
        <section id="map-box" hidden aria-labelledby="map-heading" data-wards={p.map.wardsUrl} data-tiles={p.map.tiles ?? undefined} data-attribution={p.map.attribution ?? undefined}
          data-details={details({})} data-marked={t.t('place.map.marked')}>
          <h2 id="map-heading">{t.t('place.map.heading')}</h2>
          <p className="hint" id="map-hint">{t.t('place.map.hint')}</p>
          <div id="map" role="region" aria-label={t.t('place.map.label')} aria-describedby="map-hint" />
          <p id="map-status" role="status" aria-live="polite" />
          <div className="inline">
            <button type="button" id="map-use" disabled>{t.t('place.map.use')}</button>
            <button type="button" id="map-centre" className="secondary">{t.t('place.map.centre')}</button>
          </div>
        </section>
      ) : null}
      {p.matches ? (
        p.matches.length ? (
          <>
            <h2 id="matches-heading">{t.t('place.matches', { count: p.matches.length })}</h2>
            <ul className="topics" aria-labelledby="matches-heading">
              {p.matches.map((m) => <li key={`${m.label}|${m.lat}|${m.lng}`}><a href={details({ address: m.label, lat: String(m.lat), lng: String(m.lng) })}>{m.label}</a></li>)}
            </ul>
            <p><a href={details({ address: p.where })}>{t.t('place.noneOfThese', { where: p.where })}</a></p>
          </>
        ) : (
          <>
            <h2>{t.t('place.noMatch.heading')}</h2>
            <p>{t.t('place.noMatch.text', { where: p.where })}</p>
            <p><a href={details({ address: p.where })}>{t.t('place.useText', { where: p.where })}</a></p>
          </>
        )
      ) : null}
      <h2>{t.t('place.nowhere.heading')}</h2>
      <p><a href={details({})}>{t.t('place.nowhere.link')}</a></p>
    </Layout>
  );
}
