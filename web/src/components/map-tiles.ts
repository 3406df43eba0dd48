// The optional background tiles of every staff map (MAP_TILE_URL, given by the session). Without
// them maps draw their GeoJSON on a plain background and work offline; with them the tiles sit
// under the GeoJSON and the credit the tile provider asks for is shown in the corner.
import * as L from 'leaflet';
import type { SessionInfo } from '../../../contract/index.js';

export function addMapTiles(map: L.Map, tiles: SessionInfo['map']): void {
  if (!tiles.tileUrl) return;
  L.tileLayer(tiles.tileUrl, { maxZoom: 19, ...(tiles.tileAttribution ? { attribution: tiles.tileAttribution } : {}) }).addTo(map);
  if (tiles.tileAttribution) L.control.attribution({ prefix: false }).addTo(map);
}
