// The insights map, with two layers to switch between: cases as clustered points, filtered
// with the case list's own filters and query string (so a case list view carries over), and
// a choropleth of a measure by ward for a date range. Everything is kept in the URL.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { WARD_MEASURES, type WardMap } from '../../../contract/insights.js';
import { FilterForm } from '../components/FilterForm.js';
import { fieldErrorsOf, SelectField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useUrlFilters } from '../hooks/useUrlFilters.js';
import { CaseListFilters } from './CaseListFilters.js';
import { CASE_FILTER_KEYS, EMPTY_CASE_FILTERS, toApiQuery, toUrlQuery, type CaseFilters } from './CaseFilters.js';
import { DownloadLink, InsightsNav, RangePicker } from './InsightsControls.js';
import { MEASURE_LABELS } from './InsightsMeasures.js';
import { InsightsPointsMap } from './InsightsPointsMap.js';
import { apiHref, useWardMap } from './InsightsQueries.js';
import { InsightsWardMap } from './InsightsWardMap.js';
import './Case.css';

const MAP_KEYS = ['view', 'measure', 'from', 'to'] as const;
type MapFilters = CaseFilters & Record<(typeof MAP_KEYS)[number], string>;
const EMPTY: MapFilters = { ...EMPTY_CASE_FILTERS, view: '', measure: '', from: '', to: '' };

function fromParams(params: URLSearchParams): MapFilters {
  return Object.fromEntries([...CASE_FILTER_KEYS, ...MAP_KEYS].map((k) => [k, params.get(k) ?? ''])) as MapFilters;
}
function toUrl(f: Partial<MapFilters>): Record<string, string> {
  const out = toUrlQuery(f);
  for (const k of MAP_KEYS) if (f[k]?.trim()) out[k] = f[k].trim();
  return out;
}

type Measure = WardMap['measure'];
const asMeasure = (v: string): Measure => ((WARD_MEASURES as readonly string[]).includes(v) ? (v as Measure) : 'opened');


export function InsightsMapPage() {
  const f = useUrlFilters({ empty: EMPTY, fromParams, toUrl });
  const isWards = f.applied.view === 'wards';
  const measure = asMeasure(f.applied.measure);
  const set = (change: Partial<MapFilters>) => f.show({ ...f.applied, ...change });
  const wardQuery = { from: f.applied.from || undefined, to: f.applied.to || undefined, measure };
  const wards = useWardMap(wardQuery);
  // The points map keeps the ward layer it started with: a new range for the choropleth
  // must not redraw (and re-centre) the points map.
  const [outline, setOutline] = useState<WardMap | null | undefined>(undefined);
  useEffect(() => {
    if (outline === undefined && (wards.data || wards.isError)) setOutline(wards.data ?? null);
  }, [outline, wards.data, wards.isError]);
  const caseQuery = toUrlQuery(f.applied);
  const apiFilters = toApiQuery(f.applied);
  const errors = fieldErrorsOf(wards.error);
  return (
    <Page title="Map" lead="Where cases are: as points, grouped when close together, or as a figure per ward.">
      <InsightsNav />
      <fieldset className="insights-map-controls">
        <legend>Show on the map</legend>
        <label className="check">
          <input type="radio" name="insights-map-view" value="points" checked={!isWards} onChange={() => set({ view: '' })} /> Cases as points
        </label>
        <label className="check">
          <input type="radio" name="insights-map-view" value="wards" checked={isWards} onChange={() => set({ view: 'wards' })} /> A figure per ward
        </label>
      </fieldset>

      {isWards ? (
        <section aria-labelledby="insights-wards-heading">
          <h2 id="insights-wards-heading">{MEASURE_LABELS[measure]} by ward</h2>
          <RangePicker error={wards.error} from={f.applied.from} to={f.applied.to} shown={wards.data?.range} onChange={(r) => set(r)}>
            <SelectField id="insights-measure" label="Figure" value={measure} error={errors.measure} onChange={(e) => set({ measure: e.target.value === 'opened' ? '' : e.target.value })}>
              {WARD_MEASURES.map((m) => <option key={m} value={m}>{MEASURE_LABELS[m]}</option>)}
            </SelectField>
          </RangePicker>
          <ul className="inline-list">
            <li><DownloadLink href={apiHref('/performance.csv', { from: wardQuery.from ?? wards.data?.range.from, to: wardQuery.to ?? wards.data?.range.to, by: 'ward' })} what="service performance by ward">Download CSV</DownloadLink></li>
          </ul>
          <QueryStatus query={wards} loading="Loading the wards…" />
          {wards.data ? <InsightsWardMap data={wards.data} /> : null}
        </section>
      ) : (
        <section aria-labelledby="insights-points-heading">
          <h2 id="insights-points-heading">Cases</h2>
          <p>
            <Link to={`/cases${Object.keys(caseQuery).length ? `?${new URLSearchParams(caseQuery).toString()}` : ''}`}>Show these cases as a list</Link>
          </p>
          <FilterForm label="Filter cases on the map" onApply={f.apply} onClear={() => f.show({ view: f.applied.view })}>
            <CaseListFilters draft={f.draft} edit={f.edit} errors={{}} />
          </FilterForm>
          {outline === undefined ? <p role="status">Loading the map…</p> : <InsightsPointsMap filters={apiFilters} wards={outline} />}
        </section>
      )}
    </Page>
  );
}
