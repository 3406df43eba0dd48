// HTTP: a tracked request's photos, served through its signed tracking link (the link's
// request, its case, not sensitive, the photo one sent with the request or its comments and
// still on the case), whole or as a thumbnail. Anything else is "Page not found", as for a
// link of another office.
import { z } from 'zod';
import { ZPortalQuery, ZPortalTokenParams } from '../../../contract/portal.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { photoOfRequest, photosOfRequest } from './portal.photos.js';
import * as portal from './portal.service.js';

const ZPhotoParams = ZPortalTokenParams.extend({ photoId: z.uuid() });
const ZPhotoQuery = ZPortalQuery.extend({ size: z.enum(['full', 'thumb']).optional() });

export type PagePhoto = { href: string; thumbnail: string };

/** The photos the tracking page lists, as links to them and their thumbnails under the same signed link. */
export async function photosForPage(db: Executor, office: portal.Office, token: string): Promise<PagePhoto[]> {
  const photos = await photosOfRequest(db, office.id, await portal.requestOf(db, office, token));
  const base = `/portal/${office.slug}/track/${token}/photos`;
  return photos.map((p) => ({ href: `${base}/${p.id}`, thumbnail: `${base}/${p.id}?size=thumb` }));
}

export function photoRoutes(scoped: App, db: Executor, rateLimit: { max: number; timeWindow: string }): void {
  scoped.get('/portal/:office/track/:token/photos/:photoId', {
    schema: { hide: true, params: ZPhotoParams, querystring: ZPhotoQuery }, config: { permission: 'public', rateLimit },
  }, async (req, reply) => {
    const office = await portal.officeFor(db, req.params.office);
    const itemId = await portal.requestOf(db, office, req.params.token);
    const file = await photoOfRequest(db, office.id, itemId, req.params.photoId, req.query.size === 'thumb');
    if (!file) throw new DomainError('not_found', { message: 'There is no such photo on this request' });
    // Shown in the page, never cached by anything between (the link is the key to it).
    return reply.type(file.contentType).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline').send(file.stream);
  });
}
