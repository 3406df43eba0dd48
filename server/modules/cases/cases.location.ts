// Where a case is: an address alone is geocoded through geo (the address register, then the
// configured geocoder); a pin (lat/lng) is taken as given; the ward is recomputed from the
// office's boundaries either way.
import type { Executor } from '../../platform/db/database.js';
import * as geo from '../geo/geo.service.js';

export type LocationInput = { address?: string | null | undefined; lat?: number | null | undefined; lng?: number | null | undefined } | null;
export type Located = { address: string | null; lat: number | null; lng: number | null; ward_id: string | null };

// A UK-style postcode at the end of a one-line address ("12 Mill Lane, Riverton RV1 2AB").
const POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$/i;

/** A one-line address as geo's parts: the first comma part, the rest, and a trailing postcode. */
export function addressParts(address: string): { line1: string; line2: string | null; locality: string | null; postcode: string | null } {
  const postcode = address.match(POSTCODE)?.[1] ?? null;
  const rest = postcode ? address.slice(0, address.length - address.match(POSTCODE)![0].length) : address;
  const parts = rest.split(',').map((p) => p.trim()).filter(Boolean);
  return { line1: parts[0] ?? address.trim(), line2: parts.length > 2 ? parts.slice(1, -1).join(', ') : null, locality: parts.length > 1 ? parts[parts.length - 1]! : null, postcode };
}

export async function locate(db: Executor, officeId: string, input: LocationInput): Promise<Located> {
  const address = input?.address ?? null;
  let lat = input?.lat ?? null;
  let lng = input?.lng ?? null;
  if (address && (lat === null || lng === null)) {
    const found = await geo.geocode(db, officeId, addressParts(address));
    if (found) ({ lat, lng } = found);
  }
  const ward = lat !== null && lng !== null ? ((await geo.wardsFor(db, officeId, [{ lat, lng }]))[0] ?? null) : null;
  return { address, lat, lng, ward_id: ward };
}
