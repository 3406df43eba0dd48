// A choropleth of a measure by ward on a plain background. Wards fall into at most five
// classes (shaded light to dark) and each ward carries its class number as text, which the
// legend and the table below explain, so nothing depends on telling colours apart.
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import type { WardMap } from '../../../contract/insights.js';
import { pendingNote } from '../../../contract/insights-definitions.js';
import { DataTable } from '../components/DataTable.js';
import { formatRange } from './InsightsFormat.js';
import { formatMeasure, MEASURE_LABELS } from './InsightsMeasures.js';

const SHADES = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const NO_DATA = '#ffffff';

export type WardClass = { n: number; lo: number; hi: number };

/** Up to five classes of about equally many wards each (one per value when there are five or fewer values). */
export function wardClasses(values: number[]): WardClass[] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  if (sorted.length <= SHADES.length) return sorted.map((v, i) => ({ n: i + 1, lo: v, hi: v }));
  return SHADES.map((_, g) => {
    const first = sorted[Math.floor((g * sorted.length) / SHADES.length)]!;
    const last = sorted[Math.floor(((g + 1) * sorted.length) / SHADES.length) - 1]!;
    return { n: g + 1, lo: first, hi: last };
  });
}

export const classOf = (classes: WardClass[], v: number | null) => (v === null ? null : classes.find((c) => v >= c.lo && v <= c.hi) ?? null);
const shadeOf = (c: WardClass | null, count: number) => (c ? SHADES[Math.round(((c.n - 1) * (SHADES.length - 1)) / Math.max(1, count - 1))]! : NO_DATA);

const rangeText = (measure: WardMap['measure'], c: WardClass) => (c.lo === c.hi ? formatMeasure(measure, c.lo) : `${formatMeasure(measure, c.lo)} to ${formatMeasure(measure, c.hi)}`);

export function InsightsWardMap({ data }: { data: WardMap }) {
  const ref = useRef<HTMLDivElement>(null);
  const values = data.features.map((f) => f.properties.value).filter((v): v is number => v !== null);
  const classes = wardClasses(values);
  const hasNoData = data.features.some((f) => f.properties.value === null);

  useEffect(() => {
    if (!ref.current || data.features.length === 0) return undefined;
    const map = L.map(ref.current, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    const layer = L.geoJSON(data as unknown as GeoJSON.FeatureCollection, {
      interactive: false,
      style: (f) => {
        const c = classOf(classes, (f?.properties as { value: number | null }).value);
        return { color: '#0b0c0c', weight: 1, fillColor: shadeOf(c, classes.length), fillOpacity: 0.85 };
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    layer.eachLayer((l) => {
      const f = (l as L.Layer & { feature: GeoJSON.Feature }).feature;
      const c = classOf(classes, (f.properties as { value: number | null }).value);
      const center = (l as L.Polygon).getBounds().getCenter();
      L.marker(center, {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: 'insights-ward-label insights-ward-label-map', html: c ? String(c.n) : '–', iconSize: [28, 26] }),
      }).addTo(map);
    });
    return () => {
      map.remove();
    };
  }, [data]);

  const label = MEASURE_LABELS[data.measure];
  const note = pendingNote(data.pending);
  return (
    <>
      {note ? <p className="insights-pending" role="status">{note}</p> : null}
      <figure className="boundary-map-figure">
        <div ref={ref} className="insights-map" role="region" aria-label={`Map of ${label.toLowerCase()} by ward`} />
        <figcaption className="hint">{label} by ward, {formatRange(data.range)}. Each ward shows its class number from the key.</figcaption>
      </figure>
      <ul className="insights-legend" aria-label="Key to the map">
        {classes.map((c) => (
          <li key={c.n}>
            <span className="insights-shade" style={{ background: shadeOf(c, classes.length) }} aria-hidden="true" />
            <span className="insights-ward-label insights-legend-swatch" aria-hidden="true">{c.n}</span>
            <span>Class {c.n}: {rangeText(data.measure, c)}</span>
          </li>
        ))}
        {hasNoData ? <li><span className="insights-shade" style={{ background: NO_DATA }} aria-hidden="true" /><span className="insights-ward-label insights-legend-swatch" aria-hidden="true">–</span> <span>No figure</span></li> : null}
      </ul>
      <DataTable id="insights-ward-table" caption={`${label} by ward`} columns={['Ward', 'Code', label, 'Cases', 'Class']}>
        {data.features.map((f) => {
          const c = classOf(classes, f.properties.value);
          return (
            <tr key={f.id}>
              <th scope="row">{f.properties.name}</th>
              <td>{f.properties.code}</td>
              <td>{formatMeasure(data.measure, f.properties.value)}</td>
              <td>{f.properties.cases}</td>
              <td>{c ? c.n : 'No figure'}</td>
            </tr>
          );
        })}
      </DataTable>
      {data.features.length === 0 ? <p>No wards yet: import a ward layer under Boundaries first.</p> : null}
    </>
  );
}
