// Serves the built staff web app (dist/web) with a single-page-app fallback, and the API
// reference. Unknown /api URLs get a problem+json 404 instead of the app.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { DomainError } from '../errors.js';
import { webDistDir } from '../paths.js';
import { renderApiDocs } from './api-docs.js';
import type { App } from './types.js';

const API_PREFIXES = ['/api/', '/open311/', '/healthz', '/readyz', '/metrics'];

export async function registerWeb(app: App, distDir = webDistDir): Promise<void> {
  await app.register(fastifyStatic, { root: distDir, serve: false });
  const indexFile = path.join(distDir, 'index.html');

  app.get('/api/openapi.json', { schema: { hide: true }, config: { permission: 'public' } }, async () => app.swagger());
  app.get('/api/docs', { schema: { hide: true }, config: { permission: 'public' } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(renderApiDocs(app.swagger() as never)));

  app.get('/*', { schema: { hide: true }, config: { permission: 'public' } }, async (req, reply) => {
    const url = req.url.split('?')[0]!;
    if (API_PREFIXES.some((p) => url.startsWith(p))) throw new DomainError('not_found', { message: `No API route ${req.method} ${url}` });
    const rel = decodeURIComponent(url).replace(/^\/+/, '');
    const file = path.join(distDir, rel);
    if (rel && file.startsWith(distDir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      // Vite's hashed assets never change; everything else is revalidated.
      const immutable = rel.startsWith('assets/');
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(rel);
    }
    if (!fs.existsSync(indexFile)) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The web app is not built yet: run `npm run build`.');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
