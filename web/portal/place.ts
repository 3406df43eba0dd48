// The report form's "where is it?" step, enhanced. Without this script the page's address
// search and its links do the whole job; with it:
// - "use my current location", for browsers that can give a position;
// - a map of the office's wards (over the deployment's map tiles, when it has them) to mark
//   the place: click or tap it, or move the map with the keyboard and use its centre.
// Either way the browser goes on to the details form's address with the point (5 decimals,
// about a metre), as the address search's links do.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

const goOn = (details: string, lat: number, lng: number) => window.location.assign(`${details}&lat=${lat.toFixed(5)}&lng=${lng.toFixed(5)}`);

function locateButton(): void {
  const box = document.getElementById('locate');
  const button = document.getElementById('locate-button');
  const status = document.getElementById('locate-status');
  if (!box || !button || !status || !('geolocation' in navigator)) return;
  box.hidden = false;
  button.addEventListener('click', () => {
    status.textContent = box.dataset.locating ?? '';
    button.setAttribute('disabled', '');
    navigator.geolocation.getCurrentPosition(
      (p) => goOn(box.dataset.details ?? '', p.coords.latitude, p.coords.longitude),
      () => {
        status.textContent = box.dataset.failed ?? '';
        button.removeAttribute('disabled');
        document.getElementById('where')?.focus();
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}

async function wardMap(): Promise<void> {
  const box = document.getElementById('map-box');
  const element = document.getElementById('map');
  const use = document.getElementById('map-use');
  const centre = document.getElementById('map-centre');
  const status = document.getElementById('map-status');
  if (!box || !element || !use || !centre || !status || !box.dataset.wards) return;
  const res = await fetch(box.dataset.wards, { headers: { accept: 'application/geo+json' } });
  if (!res.ok) return;
  // A background, not a control: a click on a ward is a click on the map.
  const wards = L.geoJSON(await res.json() as GeoJSON.GeoJsonObject, { interactive: false, style: { color: '#1b1b1b', weight: 2, fillOpacity: 0.05 } });
  if (!wards.getBounds().isValid()) return;
  box.hidden = false;
  const map = L.map(element, { keyboard: true, attributionControl: false });
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { maxZoom: 19 }).addTo(map);
    if (box.dataset.attribution) L.control.attribution({ prefix: false }).addAttribution(box.dataset.attribution).addTo(map);
  }
  wards.addTo(map);
  map.fitBounds(wards.getBounds());
  let marked: L.LatLng | null = null;
  const marker = L.circleMarker([0, 0], { radius: 9, color: '#d4351c', weight: 3, fillOpacity: 0.6 });
  map.on('click', (e: L.LeafletMouseEvent) => {
    // Wrapped: a map panned past the date line gives longitudes beyond ±180.
    marked = e.latlng.wrap();
    marker.setLatLng(e.latlng).addTo(map);
    use.removeAttribute('disabled');
    status.textContent = box.dataset.marked ?? '';
  });
  const details = box.dataset.details ?? '';
  use.addEventListener('click', () => {
    if (marked) goOn(details, marked.lat, marked.lng);
  });
  centre.addEventListener('click', () => {
    const c = map.getCenter().wrap();
    goOn(details, c.lat, c.lng);
  });
}

locateButton();
void wardMap();
