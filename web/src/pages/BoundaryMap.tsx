// A preview of one boundary layer drawn on a plain background (no tile server: it works
// offline), or over the configured map tiles when the office's deployment has them. It is a picture, not a control: the boundaries table beside it carries the same
// facts as text, and the map takes no keyboard focus except its zoom buttons.
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import type { BoundaryMap as BoundaryMapData } from '../../../contract/geo.js';
import { addMapTiles } from '../components/map-tiles.js';
import { useSession } from '../session.js';

const STYLE = { color: '#0b4f9c', weight: 1.5, fillColor: '#0b4f9c', fillOpacity: 0.08 };
const SELECTED = { color: '#7d1013', weight: 3, fillColor: '#a4161a', fillOpacity: 0.25 };

export function BoundaryMap({ data, selectedId, label }: { data: BoundaryMapData; selectedId: string | null; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const tiles = useSession().map;
  useEffect(() => {
    if (!ref.current || data.features.length === 0) return undefined;
    const map = L.map(ref.current, { keyboard: false, attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    addMapTiles(map, tiles);
    const all = L.geoJSON(data as GeoJSON.FeatureCollection, {
      interactive: false,
      style: (f) => (f?.id === selectedId ? SELECTED : STYLE),
    }).addTo(map);
    const selected = all.getLayers().find((l) => (l as L.Layer & { feature?: GeoJSON.Feature }).feature?.id === selectedId) as L.Polygon | undefined;
    selected?.bringToFront();
    const bounds = selected ? selected.getBounds() : all.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    return () => {
      map.remove();
    };
  }, [data, selectedId, tiles]);
  return (
    <figure className="boundary-map-figure">
      <div ref={ref} className="boundary-map" style={{ height: '22rem', background: '#f4f4f0', border: '1px solid #b1b4b6' }} />
      <figcaption className="hint">{label}</figcaption>
    </figure>
  );
}
