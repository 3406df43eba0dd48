// Geography: boundary layers, point-in-polygon area assignment, the address register and
// geocoding. (Being built: the functions below are the interface the registry calls.)
import type { Executor } from '../../platform/db/database.js';

export type Area = { layer: string; boundaryId: string; code: string; name: string };
export type Located = { lat: number; lng: number; source: 'register' | 'geocoder' };

/** Recomputes the areas (one per layer) of these addresses from their coordinates. */
export async function assignAreas(_db: Executor, _officeId: string, _addressIds: readonly string[]): Promise<void> {}

/** The areas of these addresses, by address id. */
export async function areasFor(_db: Executor, _officeId: string, _addressIds: readonly string[]): Promise<Map<string, Area[]>> {
  return new Map();
}

/** Coordinates for an address without them: the address register first, then the configured geocoder. */
export async function geocode(_db: Executor, _officeId: string, _address: { line1: string; line2?: string | null; locality?: string | null; postcode?: string | null }): Promise<Located | null> {
  return null;
}
