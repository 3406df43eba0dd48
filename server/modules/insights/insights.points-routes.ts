// HTTP: the case map's clustered points. The route reads cases, so it is declared under
// case.read; it is an insights view too, so insights.read is required on top.
import { ZMapPoints, ZMapPointsQuery } from '../../../contract/insights.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { can } from '../../platform/rbac.js';
import { viewerOf } from '../cases/cases.routes.js';
import { points } from './insights.points.js';

export function insightPointsRoutes(app: App): void {
  app.get('/api/v1/insights/map/points', {
    schema: {
      tags: ['insights'],
      summary: 'Cases inside a map view (bbox=west,south,east,north; zoom 0..22) with the case list\'s filters, clustered on a grid of about 60 pixels at that zoom (at most 2,000 features); needs insights.read too',
      querystring: ZMapPointsQuery,
      response: { 200: ZMapPoints },
    },
    config: { permission: 'case.read' },
  }, async (req) => {
    if (!can(req.principal!, 'insights.read')) throw new DomainError('forbidden', { message: 'You need the "insights.read" permission to see the case map' });
    return points(req.scope, viewerOf(req.principal!), req.query);
  });
}
