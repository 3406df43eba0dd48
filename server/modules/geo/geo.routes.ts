// HTTP: boundary layers, area summaries, unlocated addresses, the address register.
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import {
  ZAddressSearchQuery, ZBoundary, ZBoundaryListQuery, ZBoundaryMap, ZBoundaryMapQuery, ZBoundarySummary, ZGeoSummary, ZImportBoundaries,
  ZImportBoundariesResult, ZLayerParams, ZRecomputeResult, ZRegisterAddress, ZRegisterImportQuery, ZRegisterImportResult, ZRemoveBoundariesResult, ZUnlocatedAddress,
} from '../../../contract/geo.js';
import { DomainError } from '../../platform/errors.js';
import { ZPageQuery } from '../../platform/http/pagination.js';
import type { App } from '../../platform/http/types.js';
import { importRegister } from './geo.register.js';
import * as service from './geo.service.js';

const MB = 1024 * 1024;
/** Ward files with full-resolution coastlines run to a few MB; 20 MB leaves room. */
export const BOUNDARY_BODY_LIMIT = 20 * MB;
/** Address registers for a large district; bigger files go through the CLI. */
export const REGISTER_BODY_LIMIT = 100 * MB;
const tags = ['geo'];

/** The CSV body as a stream; its JSON form (for Idempotency-Key hashing) is a placeholder. */
class CsvBody extends PassThrough {
  toJSON() {
    return 'text/csv';
  }
}

export function geoRoutes(app: App): void {
  app.get('/api/v1/geo/summary', {
    schema: { tags, summary: 'Boundary layers with counts, addresses without coordinates, register size', response: { 200: ZGeoSummary } },
    config: { permission: 'geo.read' },
  }, async (req) => service.summary(req.scope));

  app.get('/api/v1/geo/boundaries', {
    schema: { tags, summary: 'List boundaries (without geometry), with the number of addresses in each', querystring: ZBoundaryListQuery, response: { 200: z.object({ items: z.array(ZBoundarySummary) }) } },
    config: { permission: 'geo.read' },
  }, async (req) => ({ items: await service.listBoundaries(req.scope, req.query) }));

  app.get('/api/v1/geo/boundaries/:id', {
    schema: { tags, summary: 'Get a boundary with its GeoJSON geometry', params: ZIdParams, response: { 200: ZBoundary } },
    config: { permission: 'geo.read' },
  }, async (req) => service.getBoundary(req.scope, req.params.id));

  app.get('/api/v1/geo/map', {
    schema: { tags, summary: "A layer's boundaries as a GeoJSON FeatureCollection, for maps", querystring: ZBoundaryMapQuery, response: { 200: ZBoundaryMap } },
    config: { permission: 'geo.read' },
  }, async (req) => service.boundaryMap(req.scope, req.query.layer));

  app.post('/api/v1/geo/boundaries/import', {
    schema: { tags, summary: 'Import or replace a boundary layer from a GeoJSON FeatureCollection', body: ZImportBoundaries, response: { 200: ZImportBoundariesResult } },
    config: { permission: 'geo.manage' },
    bodyLimit: BOUNDARY_BODY_LIMIT,
  }, async (req) => service.importBoundaries(req.scope, app.civitas.jobs, req.body));

  app.delete('/api/v1/geo/boundaries/:id', {
    schema: { tags, summary: 'Delete a boundary (retired instead while cases refer to it)', params: ZIdParams, response: { 200: ZRemoveBoundariesResult } },
    config: { permission: 'geo.manage' },
  }, async (req) => service.removeBoundary(req.scope, app.civitas.jobs, req.params.id));

  app.delete('/api/v1/geo/layers/:layer', {
    schema: { tags, summary: 'Delete every boundary of a layer (retiring those cases refer to)', params: ZLayerParams, response: { 200: ZRemoveBoundariesResult } },
    config: { permission: 'geo.manage' },
  }, async (req) => service.removeLayer(req.scope, app.civitas.jobs, req.params.layer));

  app.post('/api/v1/geo/recompute', {
    schema: { tags, summary: "Recompute every address's areas in the background", response: { 202: ZRecomputeResult } },
    config: { permission: 'geo.manage' },
  }, async (req, reply) => reply.code(202).send(await service.requestRecompute(req.scope, app.civitas.jobs)));

  app.get('/api/v1/geo/unlocated', {
    schema: {
      tags, summary: 'Addresses without coordinates (they have no areas until located)', querystring: ZPageQuery,
      response: { 200: z.object({ items: z.array(ZUnlocatedAddress), nextCursor: z.string().nullable(), total: z.number().int() }) },
    },
    config: { permission: 'geo.read' },
  }, async (req) => service.unlocated(req.scope, req.query));

  app.get('/api/v1/geo/addresses', {
    schema: { tags, summary: 'Autocomplete addresses from the address register', querystring: ZAddressSearchQuery, response: { 200: z.object({ items: z.array(ZRegisterAddress) }) } },
    config: { permission: 'geo.read' },
  }, async (req) => ({ items: await service.searchAddresses(req.scope, req.query.q, req.query.limit) }));

  // The register arrives as text/csv and is streamed, never held in memory: its parser is
  // registered in this scope only, so every other route still refuses non-JSON bodies.
  void app.register(async (scoped: App) => {
    scoped.addContentTypeParser(['text/csv', 'application/csv'], (_req, payload, done) => done(null, payload.pipe(new CsvBody())));
    scoped.post('/api/v1/geo/register/import', {
      schema: {
        tags, summary: 'Import the address register from CSV (line1, line2, locality, postcode, lat, lng, external_id)',
        description: 'Send the file as the body with Content-Type text/csv (charset parameter honoured). Bad rows are reported and skipped.',
        querystring: ZRegisterImportQuery, response: { 200: ZRegisterImportResult },
      },
      config: { permission: 'geo.manage' },
    }, async (req) => {
      if (!(req.body instanceof CsvBody)) throw new DomainError('unsupported_media_type', { message: 'Send the register as text/csv' });
      const charset = /charset=([\w-]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
      return importRegister(req.scope, req.body, { maxBytes: REGISTER_BODY_LIMIT, encoding: req.query.encoding ?? charset });
    });
  });
}
