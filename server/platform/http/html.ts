// Server-rendered HTML for pages outside the staff app (the API reference, the resident pages
// reached from emails): one escaping rule and one document shell, so every such page has the
// same language, viewport, robots and title handling; and how such pages are sent.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Escapes text for HTML element content and quoted attribute values. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** A complete, script-free page: the title is escaped, `body` is HTML the caller built with escapeHtml. */
export function htmlPage(p: { title: string; style: string; body: string; header?: string | undefined }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(p.title)}</title>
<style>${p.style}</style>
</head>
<body>
${p.header !== undefined ? `<header><p>${escapeHtml(p.header)}</p></header>\n` : ''}<main id="main">
${p.body}
</main>
</body>
</html>`;
}

/** Whether the caller is a browser (people get pages, programs get problem+json). */
export const wantsHtml = (req: FastifyRequest) => String(req.headers.accept ?? '').includes('text/html');

/**
 * Sends a resident page: never cached, and no referrer (its URL may hold a token) — or, for
 * pages whose own forms post back to us, 'same-origin' (browsers send `Origin: null` on a
 * post from a no-referrer page, which an Origin check cannot tell from a foreign one).
 */
export function sendHtml(reply: FastifyReply, status: number, body: string, referrerPolicy: 'no-referrer' | 'same-origin' = 'no-referrer') {
  return reply.code(status).header('cache-control', 'no-store').header('referrer-policy', referrerPolicy).type('text/html; charset=utf-8').send(body);
}
