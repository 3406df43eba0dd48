// Server-rendered HTML for pages outside the staff app (the API reference, the resident pages
// reached from emails): one escaping rule and one document shell, so every such page has the
// same language, viewport, robots and title handling.

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
