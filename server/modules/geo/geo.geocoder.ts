// External geocoders, used when the address register does not know an address. Pluggable:
// anything implementing Geocoder can be installed; the configuration (GEOCODER_URL) gives a
// Nominatim-compatible HTTP geocoder, and without it there is none (offline by default).
import { z } from 'zod';

export type GeocodeInput = { line1: string; line2?: string | null | undefined; locality?: string | null | undefined; postcode?: string | null | undefined; country?: string | null | undefined };

export interface Geocoder {
  /** For logs and docs, e.g. "nominatim https://nominatim.example.org". */
  readonly name: string;
  /** The point for an address, or null when unknown (or the service failed: geocoding is best effort). */
  geocode(address: GeocodeInput): Promise<{ lat: number; lng: number } | null>;
}

const ZNominatimResult = z.array(z.object({ lat: z.coerce.number().min(-90).max(90), lon: z.coerce.number().min(-180).max(180) }));

type Options = { timeoutMs?: number; userAgent?: string; fetch?: typeof fetch; onError?: (err: unknown) => void };

/** A Nominatim-compatible search API (`GET {base}/search?q=…&format=jsonv2&limit=1`). */
export function nominatimGeocoder(baseUrl: string, opts: Options = {}): Geocoder {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  return {
    name: `nominatim ${base}`,
    async geocode(a) {
      const q = [a.line1, a.line2, a.locality, a.postcode].map((s) => s?.trim()).filter(Boolean).join(', ');
      if (!q) return null;
      const url = new URL(`${base}/search`);
      url.searchParams.set('q', q);
      url.searchParams.set('format', 'jsonv2');
      url.searchParams.set('limit', '1');
      if (a.country) url.searchParams.set('countrycodes', a.country.toLowerCase());
      try {
        const res = await doFetch(url, {
          headers: { accept: 'application/json', 'user-agent': opts.userAgent ?? 'Civitas geocoder' },
          signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
        });
        if (!res.ok) throw new Error(`geocoder answered ${res.status}`);
        const parsed = ZNominatimResult.safeParse(await res.json());
        if (!parsed.success) throw new Error('geocoder answered with an unexpected shape');
        const first = parsed.data[0];
        return first ? { lat: first.lat, lng: first.lon } : null;
      } catch (err) {
        opts.onError?.(err);
        return null;
      }
    },
  };
}

let installed: Geocoder | null = null;

/** Installs the process's external geocoder (null for none). Called once at start-up. */
export function setGeocoder(geocoder: Geocoder | null): void {
  installed = geocoder;
}

export function currentGeocoder(): Geocoder | null {
  return installed;
}

/** The geocoder the configuration asks for: Nominatim-compatible when a URL is set, else none. */
export function geocoderFromConfig(config: { geocoderUrl: string | undefined; geocoderTimeoutMs: number; publicUrl: string }, onError?: (err: unknown) => void): Geocoder | null {
  if (!config.geocoderUrl) return null;
  return nominatimGeocoder(config.geocoderUrl, { timeoutMs: config.geocoderTimeoutMs, userAgent: `Civitas (+${config.publicUrl})`, ...(onError ? { onError } : {}) });
}
