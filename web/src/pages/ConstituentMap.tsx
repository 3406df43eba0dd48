// Where the constituent lives: the ward boundary and a pin on a plain background (no tile
// server, so it works offline) or over the configured map tiles, with the same facts as text beside it. The map takes no
// keyboard focus itself (only its zoom buttons do), so it never traps Tab.
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import type { Constituent } from '../../../contract/constituents.js';
import type { PolygonGeometry } from '../../../contract/geo.js';
import { addMapTiles } from '../components/map-tiles.js';
import { useSession } from '../session.js';
import { addressLine, useBoundary } from './ConstituentQueries.js';

const round = (n: number) => String(Number(n.toFixed(5)));

export function ConstituentMap({ c }: { c: Constituent }) {
  const located = c.addresses.filter((a) => a.lat != null && a.lng != null);
  const address = located.find((a) => a.isPrimary) ?? located[0] ?? c.addresses.find((a) => a.isPrimary) ?? c.addresses[0];
  const ward = address?.areas.find((a) => a.layer === 'ward') ?? null;
  const boundary = useBoundary(ward?.boundaryId ?? null);
  const point = address && address.lat != null && address.lng != null ? { lat: address.lat, lng: address.lng } : null;
  const geometry = boundary.data?.geometry ?? null;

  let text: string;
  if (!address) text = 'No postal address on record.';
  else if (!point) text = `Ward: ${ward?.name ?? 'not known'}; this address has no coordinates yet.`;
  else text = `Ward: ${ward?.name ?? 'not in any ward'}; ${round(point.lat)}, ${round(point.lng)}`;

  return (
    <section aria-labelledby="location" className="constituent-section">
      <h2 id="location" tabIndex={-1}>Location</h2>
      {address ? <p className="hint">{addressLine(address)}</p> : null}
      {point || geometry ? (
        <figure className="constituent-map-figure">
          <LeafletMap point={point} geometry={geometry} />
          <figcaption>{text}</figcaption>
        </figure>
      ) : (
        <p>{text}</p>
      )}
    </section>
  );
}

function LeafletMap({ point, geometry }: { point: { lat: number; lng: number } | null; geometry: PolygonGeometry | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const lat = point?.lat;
  const lng = point?.lng;
  const tiles = useSession().map;
  useEffect(() => {
    // keyboard: false keeps the container out of the Tab order; nothing is interactive but zoom.
    const map = L.map(ref.current!, { keyboard: false, attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    addMapTiles(map, tiles);
    const layers = L.featureGroup().addTo(map);
    if (geometry) {
      L.geoJSON(geometry, { interactive: false, style: { color: '#0b4f9c', weight: 2, fillColor: '#0b4f9c', fillOpacity: 0.08 } }).addTo(layers);
    }
    if (lat !== undefined && lng !== undefined) {
      L.circleMarker([lat, lng], { interactive: false, radius: 8, color: '#7d1013', weight: 3, fillColor: '#a4161a', fillOpacity: 0.9 }).addTo(layers);
    }
    const bounds = layers.getBounds();
    if (geometry && bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
    else if (lat !== undefined && lng !== undefined) map.setView([lat, lng], 15);
    return () => {
      map.remove();
    };
  }, [lat, lng, geometry, tiles]);
  return <div ref={ref} className="constituent-map" data-testid="constituent-map" />;
}
