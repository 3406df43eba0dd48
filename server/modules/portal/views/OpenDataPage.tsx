// The open data page: what is published and what never is, the downloads, counts and medians
// by category, counts by ward, the map of open public reports and, as its text alternative,
// the open reports per ward and a paginated list of them. Wide tables scroll inside a
// focusable region, so the page itself fits 320 px.
import type { ReactNode } from 'react';
import type { Translator } from '../portal.i18n.js';
import { published, type Figures, type OpenMap, type OpenReport } from '../portal.open-data.js';
import { Layout, type Page } from './Layout.js';
import { OpenDataMap } from './OpenDataMap.js';

export type OpenDataProps = Page & {
  figures: Figures;
  map: OpenMap | null;
  list: { items: OpenReport[]; page: number; pages: number; total: number };
  downloads: { reportsCsv: string; reportsGeojson: string; summaryCsv: string };
  smallCount: number;
  maxDownloadRows: number;
};

function Table({ id, caption, head, children }: { id: string; caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table id={id}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead><tr>{head.map((h, i) => <th key={h} scope="col" className={i ? 'num' : undefined}>{h}</th>)}</tr></thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A count by category as published: small ones as "fewer than". */
const countOf = (t: Translator, n: number, small: number) => {
  const shown = published(n);
  return shown === null ? t.t('openData.fewer', { small }) : t.number(shown);
};

export function OpenDataPage(p: OpenDataProps) {
  const { t, figures: f, map, list } = p;
  const office = p.office!;
  const range = { from: t.date(f.fromAt), to: t.date(f.toAt) };
  const base = `/portal/${office.slug}/open-data`;
  const col = (k: string) => t.t(`openData.col.${k}`);
  const median = (v: number | null, key: 'days' | 'hours') => (v === null ? t.t('openData.notAvailable') : t.t(`openData.${key}`, { [key]: v }));
  const hasWards = f.outlines.length > 0;
  return (
    <Layout {...p}>
      <h1>{t.t('openData.title')}</h1>
      <p>{t.t('openData.intro', { office: office.name, ...range })}</p>
      <p className="hint">{t.t('openData.asOf', { asOf: t.dateTime(f.asOf) })}</p>

      <section className="privacy" aria-labelledby="od-privacy">
        <h2 id="od-privacy">{t.t('openData.privacy.heading')}</h2>
        <ul>
          <li>{t.t('openData.privacy.people')}</li>
          <li>{t.t('openData.privacy.places')}</li>
          <li>{t.t('openData.privacy.categories', { small: p.smallCount })}</li>
          <li>{t.t('openData.privacy.rounding')}</li>
        </ul>
      </section>

      <section aria-labelledby="od-downloads">
        <h2 id="od-downloads">{t.t('openData.downloads.heading')}</h2>
        <ul className="downloads">
          <li><a href={p.downloads.reportsCsv} download>{t.t('openData.downloads.reportsCsv')}</a></li>
          <li><a href={p.downloads.reportsGeojson} download>{t.t('openData.downloads.reportsGeojson')}</a></li>
          <li><a href={p.downloads.summaryCsv} download>{t.t('openData.downloads.summaryCsv')}</a></li>
        </ul>
        {list.total > p.maxDownloadRows ? <p>{t.t('openData.downloads.truncated', { max: p.maxDownloadRows })}</p> : null}
      </section>

      <section aria-labelledby="od-categories">
        <h2 id="od-categories">{t.t('openData.categories.heading')}</h2>
        {f.categories.length ? (
          <Table id="od-category-table" caption={t.t('openData.categories.caption', range)} head={[col('category'), col('opened'), col('open'), col('resolved'), col('medianDays'), col('medianHours')]}>
            {f.categories.map((c) => (
              <tr key={c.categoryId ?? ''}>
                <th scope="row">{c.categoryId === null ? t.t('openData.uncategorised') : c.name}</th>
                <td className="num">{countOf(t, c.opened, p.smallCount)}</td>
                <td className="num">{countOf(t, c.open, p.smallCount)}</td>
                <td className="num">{countOf(t, c.resolved, p.smallCount)}</td>
                <td className="num">{median(c.medianDays, 'days')}</td>
                <td className="num">{median(c.medianBusinessHours, 'hours')}</td>
              </tr>
            ))}
          </Table>
        ) : <p>{t.t('openData.categories.none')}</p>}
      </section>

      <section aria-labelledby="od-wards">
        <h2 id="od-wards">{t.t('openData.wards.heading')}</h2>
        {hasWards ? (
          <>
            <p>{t.t('openData.wards.text')}</p>
            <Table id="od-ward-table" caption={t.t('openData.wards.caption', range)} head={[col('ward'), col('opened'), col('open'), col('resolved')]}>
              {f.wards.map((w) => (
                <tr key={w.wardId ?? ''}>
                  <th scope="row">{w.name ?? t.t('openData.wards.noWard')}</th>
                  <td className="num">{t.number(w.opened)}</td>
                  <td className="num">{t.number(w.open)}</td>
                  <td className="num">{t.number(w.resolved)}</td>
                </tr>
              ))}
            </Table>
          </>
        ) : <p>{t.t('openData.wards.none', { office: office.name })}</p>}
      </section>

      <section aria-labelledby="od-map">
        <h2 id="od-map">{t.t('openData.map.heading')}</h2>
        {map && map.total > 0 ? <OpenDataMap t={t} map={map} office={office.name} /> : <p>{t.t('openData.map.none')}</p>}
      </section>

      <section aria-labelledby="od-list">
        <h2 id="od-list">{t.t('openData.list.heading')}</h2>
        <p>{t.t('openData.list.count', { count: list.total })}</p>
        {list.items.length ? (
          <>
            <Table id="od-list-table" caption={t.t('openData.list.caption', { page: list.page, pages: list.pages })}
              head={[col('reference'), col('category'), col('status'), col('reported'), ...(hasWards ? [col('ward')] : [])]}>
              {list.items.map((r) => (
                <tr key={r.reference}>
                  <th scope="row">{r.reference}</th>
                  <td>{r.category}</td>
                  <td>{t.t(`status.${r.status}`)}</td>
                  <td><time dateTime={r.createdAt.toISOString()}>{t.date(r.createdAt)}</time></td>
                  {hasWards ? <td>{r.ward ?? t.t('openData.wards.noWard')}</td> : null}
                </tr>
              ))}
            </Table>
            {list.pages > 1 ? (
              <nav className="pager" aria-label={t.t('openData.list.pages')}>
                <ul>
                  {list.page > 1 ? <li><a href={`${base}?lang=${t.lang}&page=${list.page - 1}#od-list`} rel="prev">{t.t('openData.list.previous')}</a></li> : null}
                  <li>{t.t('openData.list.pageOf', { page: list.page, pages: list.pages })}</li>
                  {list.page < list.pages ? <li><a href={`${base}?lang=${t.lang}&page=${list.page + 1}#od-list`} rel="next">{t.t('openData.list.next')}</a></li> : null}
                </ul>
              </nav>
            ) : null}
          </>
        ) : null}
      </section>
    </Layout>
  );
}
