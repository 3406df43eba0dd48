// Geography: boundary layers (wards, districts, precincts), the areas addresses fall in,
// and the address register used for offline geocoding and autocomplete.
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const ZLayerName = z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lowercase letters, digits or _ and start with a letter (e.g. ward)');

/** A property name in a GeoJSON feature's properties. */
const ZPropertyName = z.string().trim().min(1).max(100);

/** [minLng, minLat, maxLng, maxLat] */
export const ZBBox = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const ZBoundarySummary = z.object({
  id: ZUuid,
  layer: z.string(),
  code: z.string(),
  name: z.string(),
  bbox: ZBBox,
  /** Addresses currently assigned to this boundary. */
  addressCount: z.number().int(),
  updatedAt: ZTimestamp,
  /** Set when the boundary left its layer but cases still refer to it. */
  retiredAt: ZTimestamp.nullable(),
});
export type BoundarySummary = z.infer<typeof ZBoundarySummary>;

/** A GeoJSON Polygon or MultiPolygon (RFC 7946), WGS84 longitude/latitude. */
export const ZPolygonGeometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) }),
]);
export type PolygonGeometry = z.infer<typeof ZPolygonGeometry>;

export const ZBoundary = ZBoundarySummary.extend({ geometry: ZPolygonGeometry });
export type Boundary = z.infer<typeof ZBoundary>;

export const ZBoundaryListQuery = z.object({
  layer: ZLayerName.optional(),
  includeRetired: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

export const ZLayerParams = z.object({ layer: ZLayerName });

/** The boundaries of one layer as a GeoJSON FeatureCollection, for maps. */
export const ZBoundaryMap = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    id: ZUuid,
    properties: z.object({ code: z.string(), name: z.string(), addressCount: z.number().int() }),
    geometry: ZPolygonGeometry,
  })),
});
export type BoundaryMap = z.infer<typeof ZBoundaryMap>;

export const ZBoundaryMapQuery = z.object({ layer: ZLayerName });

/** Import body: the layer, where to find each feature's code and name, and the file. */
export const ZImportBoundaries = z.strictObject({
  layer: ZLayerName,
  /** Property holding the boundary's code; by default code, id, an ONS-style ...CD, or the feature id. */
  codeProperty: ZPropertyName.optional(),
  /** Property holding the name; by default name, an ONS-style ...NM, or the code. */
  nameProperty: ZPropertyName.optional(),
  /** The GeoJSON FeatureCollection of Polygon / MultiPolygon features (checked feature by feature). */
  geojson: z.unknown(),
});
export type ImportBoundaries = z.input<typeof ZImportBoundaries>;

export const ZImportBoundariesResult = z.object({
  layer: z.string(),
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Boundaries of the layer no longer in the file: deleted, or retired when cases refer to them. */
  removed: z.number().int(),
  retired: z.number().int(),
  /** The job recomputing every address's areas, when anything changed. */
  recomputeJobId: z.string().nullable(),
});
export type ImportBoundariesResult = z.infer<typeof ZImportBoundariesResult>;

export const ZRemoveBoundariesResult = z.object({
  removed: z.number().int(),
  retired: z.number().int(),
  recomputeJobId: z.string().nullable(),
});
export type RemoveBoundariesResult = z.infer<typeof ZRemoveBoundariesResult>;

export const ZRecomputeResult = z.object({ recomputeJobId: z.string().nullable() });

export const ZGeoSummary = z.object({
  layers: z.array(z.object({ layer: z.string(), boundaries: z.number().int(), retired: z.number().int(), addresses: z.number().int() })),
  addresses: z.object({ total: z.number().int(), unlocated: z.number().int() }),
  register: z.object({ addresses: z.number().int() }),
});
export type GeoSummary = z.infer<typeof ZGeoSummary>;

export const ZUnlocatedAddress = z.object({
  id: ZUuid,
  constituentId: ZUuid,
  line1: z.string(),
  line2: z.string().nullable(),
  locality: z.string().nullable(),
  postcode: z.string().nullable(),
});
export type UnlocatedAddress = z.infer<typeof ZUnlocatedAddress>;

export const ZRegisterAddress = z.object({
  id: ZUuid,
  externalId: z.string().nullable(),
  line1: z.string(),
  line2: z.string().nullable(),
  locality: z.string().nullable(),
  postcode: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
});
export type RegisterAddress = z.infer<typeof ZRegisterAddress>;

export const ZAddressSearchQuery = z.object({
  q: z.string().trim().min(2, 'type at least 2 characters').max(200),
  limit: z.coerce.number().int().min(1).max(10).default(10),
});

export const ZRegisterRowError = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });
export type RegisterRowError = z.infer<typeof ZRegisterRowError>;

export const ZRegisterImportResult = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Header columns that are not part of the register, ignored. */
  ignoredColumns: z.array(z.string()),
  /** The first 1,000 row errors (row 1 is the header). */
  errors: z.array(ZRegisterRowError),
});
export type RegisterImportResult = z.infer<typeof ZRegisterImportResult>;

export const ZRegisterImportQuery = z.object({
  /** Character set of the file when it is not UTF-8 (also taken from the Content-Type charset). */
  encoding: z.enum(['utf-8', 'windows-1252', 'latin1', 'utf-16le']).optional(),
});
