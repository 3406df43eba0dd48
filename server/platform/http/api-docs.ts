// A plain, accessible, script-free HTML reference generated from the OpenAPI document.
import { escapeHtml as esc } from './html.js';

type Schema = Record<string, unknown>;
type Operation = { summary?: string; tags?: string[]; parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }> };
type OpenApi = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> };


function schemaText(schema: Schema | undefined): string {
  return schema ? esc(JSON.stringify(schema, null, 2)) : '';
}

export function renderApiDocs(doc: OpenApi): string {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [p, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method: method.toUpperCase(), path: p, op }]);
    }
  }
  const tags = [...byTag.keys()].sort();
  const sections = tags
    .map((tag) => {
      const ops = byTag.get(tag)!
        .map(({ method, path, op }) => {
          const params = (op.parameters ?? [])
            .map((pa) => `<li><code>${esc(pa.name)}</code> (${esc(pa.in)}${pa.required ? ', required' : ''})</li>`)
            .join('');
          const body = op.requestBody?.content?.['application/json']?.schema;
          const responses = Object.entries(op.responses ?? {})
            .map(([code, r]) => `<li><strong>${esc(code)}</strong> ${esc(r.description ?? '')}${r.content?.['application/json']?.schema ? `<details><summary>Schema for ${esc(code)}</summary><pre>${schemaText(r.content['application/json'].schema)}</pre></details>` : ''}</li>`)
            .join('');
          return `<article class="op"><h3><span class="m m-${method.toLowerCase()}">${method}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary ?? '')}</p>
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${body ? `<details><summary>Request body schema</summary><pre>${schemaText(body)}</pre></details>` : ''}
${responses ? `<h4>Responses</h4><ul>${responses}</ul>` : ''}</article>`;
        })
        .join('\n');
      return `<section aria-labelledby="tag-${esc(tag)}"><h2 id="tag-${esc(tag)}">${esc(tag)}</h2>${ops}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} API reference</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1a1a1a;line-height:1.5}
code,pre{font-family:ui-monospace,monospace}pre{background:#f4f4f4;padding:.75rem;overflow:auto;border-radius:4px}
.op{border-top:1px solid #ccc;padding:.5rem 0}.m{display:inline-block;min-width:4.5rem;font-weight:700}
.m-get{color:#075e2e}.m-post{color:#084298}.m-patch,.m-put{color:#6a3d00}.m-delete{color:#8a1010}
a{color:#084298}
</style></head>
<body><header><h1>${esc(doc.info.title)} API reference <small>v${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">OpenAPI 3.1 document</a>.</p>
<nav aria-label="API sections"><ul>${tags.map((t) => `<li><a href="#tag-${esc(t)}">${esc(t)}</a></li>`).join('')}</ul></nav></header>
<main>${sections}</main></body></html>`;
}
