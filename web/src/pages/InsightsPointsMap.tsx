// Cases as points on a plain background, fetched for the current view and zoom after every
// move (debounced) with the case list's filters. Clusters are labelled with their count as
// text and zoom into their cases when chosen; a single case's marker opens a link to it.
// Markers are buttons (Tab, Enter); the table under the map lists the single cases in view.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { MapPoints, WardMap } from '../../../contract/insights.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorText } from '../components/ErrorText.js';
import { formatCount } from './InsightsFormat.js';
import { INSIGHTS_API, insightKeys } from './InsightsQueries.js';

type View = { bbox: string; zoom: number };
type Single = Extract<MapPoints['features'][number]['properties'], { cluster: false }>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The map's view as the API's bbox (west,south,east,north, inside the world) and whole zoom.
 * A view panned onto another copy of the world is wrapped back into -180..180; a view across
 * the antimeridian asks for its larger side (the API takes one box with west < east).
 */
function viewOf(map: L.Map): View {
  const b = map.getBounds();
  const span = b.getEast() - b.getWest();
  let west = -180;
  let east = 180;
  if (span < 360) {
    west = ((((b.getWest() + 180) % 360) + 360) % 360) - 180;
    east = west + span;
    if (east > 180) [west, east] = 180 - west >= east - 360 + 180 ? [west, 180] : [-180, east - 360];
  }
  const parts = [west, clamp(b.getSouth(), -90, 90), east, clamp(b.getNorth(), -90, 90)];
  return { bbox: parts.map((n) => n.toFixed(6)).join(','), zoom: clamp(Math.round(map.getZoom()), 0, 22) };
}

const MOVE_DEBOUNCE_MS = 300;

const WARD_OUTLINE = { color: '#505a5f', weight: 1, fillOpacity: 0, dashArray: '4 3' };

/** `wards` (the ward layer, if any) is drawn as faint outlines for orientation and sets the first view. */
export function InsightsPointsMap({ filters, wards }: { filters: Record<string, string>; wards: WardMap | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.LayerGroup | null>(null);
  const [view, setView] = useState<View | null>(null);

  useEffect(() => {
    if (!ref.current) return undefined;
    const map = L.map(ref.current, { attributionControl: false, scrollWheelZoom: false, minZoom: 2, maxZoom: 19 });
    const outlines = wards?.features.length ? L.geoJSON(wards as unknown as GeoJSON.FeatureCollection, { interactive: false, style: WARD_OUTLINE }).addTo(map) : null;
    const start = outlines?.getBounds();
    if (start?.isValid()) map.fitBounds(start, { padding: [16, 16] });
    else map.setView([20, 0], 2);
    layerRef.current = L.layerGroup().addTo(map);
    mapRef.current = map;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const moved = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setView(viewOf(map)), MOVE_DEBOUNCE_MS);
    };
    map.on('moveend', moved);
    setView(viewOf(map));
    return () => {
      clearTimeout(timer);
      map.remove();
      mapRef.current = null;
    };
  }, [wards]);

  const query = { ...filters, bbox: view?.bbox, zoom: view?.zoom };
  const points = useQuery({
    queryKey: insightKeys.points(query),
    queryFn: () => api.get<MapPoints>(`${INSIGHTS_API}/map/points`, query),
    enabled: view !== null,
    placeholderData: keepPreviousData,
  });

  useEffect(() => {
    const map = mapRef.current;
    const layer = layerRef.current;
    if (!map || !layer || !points.data) return;
    layer.clearLayers();
    for (const f of points.data.features) {
      const [lng, lat] = f.geometry.coordinates;
      const p = f.properties;
      if (p.cluster) {
        const size = Math.round(28 + Math.min(24, Math.log10(p.count) * 10));
        const marker = L.marker([lat, lng], {
          icon: L.divIcon({ className: 'insights-cluster', html: `<span class="insights-map-cluster-text">${formatCount(p.count)}</span>`, iconSize: [size, size] }),
          title: `${formatCount(p.count)} cases`,
        });
        const zoomIn = () => map.fitBounds([[p.bbox[1], p.bbox[0]], [p.bbox[3], p.bbox[2]]], { padding: [24, 24] });
        marker.on('click', zoomIn);
        // Leaflet makes the marker a focusable button but leaves Enter and Space to us.
        marker.on('keypress', (e: L.LeafletKeyboardEvent) => {
          if (e.originalEvent.key === 'Enter' || e.originalEvent.key === ' ') {
            e.originalEvent.preventDefault();
            zoomIn();
          }
        });
        marker.addTo(layer);
        marker.getElement()?.setAttribute('aria-label', `${formatCount(p.count)} cases here: zoom in`);
      } else {
        const marker = L.marker([lat, lng], { icon: L.divIcon({ className: 'insights-point', iconSize: [14, 14] }), title: p.reference });
        marker.bindPopup(`<a href="/cases/${encodeURIComponent(p.caseId)}">${escapeHtml(p.reference)}</a><br>${escapeHtml(p.subject)}`);
        marker.addTo(layer);
        marker.getElement()?.setAttribute('aria-label', `Case ${p.reference}: ${p.subject}. Press Enter for its link.`);
      }
    }
  }, [points.data]);

  const data = points.data;
  const singles = (data?.features ?? []).map((f) => f.properties).filter((p): p is Single => !p.cluster);
  const clusters = (data?.features ?? []).length - singles.length;
  return (
    <>
      <figure className="boundary-map-figure">
        <div ref={ref} className="insights-map" role="region" aria-label="Map of cases" />
        <figcaption className="hint">
          Cases matching the filters on the map, counted in whole squares of the grid the map groups them on. A number in a circle is a group of cases: choose it to zoom in. Drag or use the zoom buttons to move.
        </figcaption>
      </figure>
      {points.isError ? <ErrorText error={points.error} /> : null}
      <p role="status" className="insights-points-total">
        {points.isPending ? 'Loading cases on the map…' : data ? `${formatCount(data.total)} ${data.total === 1 ? 'case' : 'cases'} on the map${clusters ? `, ${formatCount(clusters)} ${clusters === 1 ? 'group' : 'groups'} of nearby cases` : ''}.` : ''}
      </p>
      {singles.length ? (
        <DataTable id="insights-map-cases" caption="Cases shown one by one on the map" columns={['Case', 'Subject', 'Status', 'Category']}>
          {singles.map((p) => (
            <tr key={p.caseId}>
              <th scope="row"><Link to={`/cases/${p.caseId}`}>{p.reference}</Link></th>
              <td>{p.subject}</td>
              <td>{p.status}</td>
              <td>{p.categoryName ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
