// A cluster's cases on a plain background (no tile server), each a numbered marker that
// matches its row in the table beside it; a marker is a button (Tab, Enter) opening a link
// to the case.
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import type { InsightAlertDetail } from '../../../contract/insights.js';

type Case = InsightAlertDetail['cases'][number];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function InsightsCaseMap({ cases, bbox, label }: { cases: Case[]; bbox: InsightAlertDetail['bbox']; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const located = cases.map((c, i) => ({ c, n: i + 1 })).filter(({ c }) => c.lat !== null && c.lng !== null);
  useEffect(() => {
    if (!ref.current || located.length === 0) return undefined;
    const map = L.map(ref.current, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    const markers = located.map(({ c, n }) => {
      const marker = L.marker([c.lat!, c.lng!], {
        icon: L.divIcon({ className: 'insights-cluster insights-case-marker', html: String(n), iconSize: [26, 26] }),
        title: `${n}: ${c.reference}`,
      });
      // The element exists only once the map has a view and draws the marker: label it then.
      marker.on('add', () => marker.getElement()?.setAttribute('aria-label', `Case ${n}, ${c.reference}: ${c.subject}. Press Enter for its link.`));
      marker.bindPopup(`<a href="/cases/${encodeURIComponent(c.id)}">${escapeHtml(c.reference)}</a><br>${escapeHtml(c.subject)}`);
      return marker.addTo(map);
    });
    const bounds = bbox ? L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]) : L.featureGroup(markers).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    return () => {
      map.remove();
    };
  }, [cases, bbox]);
  if (located.length === 0) return <p>None of these cases has a location, so there is no map.</p>;
  return (
    <figure className="boundary-map-figure">
      <div ref={ref} className="insights-map insights-map-small" role="region" aria-label="Map of the cases" />
      <figcaption className="hint">{label} Each marker's number is its row in the table of cases.</figcaption>
    </figure>
  );
}
