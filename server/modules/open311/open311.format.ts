// How GeoReport v2 answers look: JSON (arrays even for one item, codes and ids as strings)
// or XML with a declaration, where a JSON array under a key becomes repeated child elements;
// errors as errors/error with code and description; times in ISO 8601 with the office's offset.
import type { FastifyReply } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { offsetAt } from '../sla/sla.calendar.js';

export type Format = 'json' | 'xml';

/** An Open311 refusal: the HTTP status is also the error code clients read. */
export class Open311Error extends Error {
  constructor(readonly status: 400 | 403 | 404 | 413 | 429 | 500, message: string) {
    super(message);
    this.name = 'Open311Error';
  }
}

/** "requests.json" → { name: "requests", format: "json" }; no known format → null. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const format = file.slice(dot + 1).toLowerCase();
  return format === 'json' || format === 'xml' ? { name: file.slice(0, dot), format } : null;
}

// The element name of one item of each list, for XML.
const ITEM: Record<string, string> = {
  endpoints: 'endpoint', formats: 'format', attributes: 'attribute', values: 'value', notes: 'note', errors: 'error',
  services: 'service', service_requests: 'request', service_request_updates: 'request_update', answers: 'answer',
};

// Characters XML 1.0 cannot carry at all, even escaped: controls, U+FFFE/U+FFFF and lone
// surrogates (with the u flag a surrogate range matches only a half without its pair).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/gu;

/** A JSON value (undefined fields are left out, as JSON.stringify does). */
type Json = unknown;

function toXmlValue(value: Json, key: string): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return { [ITEM[key] ?? 'item']: value.map((v) => toXmlValue(v, ITEM[key] ?? 'item')) };
  if (typeof value !== 'object') return String(value);
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toXmlValue(v, k)]));
}

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: true });

/** The XML document: a list under its root (`services` → service elements), or one object as the root element. */
export function toXml(root: string, body: Json): string {
  const content = Array.isArray(body) ? { [ITEM[root] ?? 'item']: body.map((v) => toXmlValue(v, ITEM[root] ?? 'item')) } : toXmlValue(body, root);
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: content }) as string}`;
}

export function send(reply: FastifyReply, format: Format, status: number, root: string, body: object): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  return reply.type('text/xml; charset=utf-8').send(toXml(root, body));
}

export function sendError(reply: FastifyReply, format: Format, err: Open311Error): FastifyReply {
  return send(reply, format, err.status, 'errors', [{ code: err.status, description: err.message }]);
}

/** ISO 8601 with the office's UTC offset at that instant: 2026-12-06T16:01:02+01:00. */
export function isoInZone(at: Date, timeZone: string): string {
  const ms = Math.floor(at.getTime() / 1000) * 1000;
  const offset = offsetAt(timeZone, ms);
  const minutes = Math.abs(offset) / 60_000;
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${new Date(ms + offset).toISOString().slice(0, 19)}${offset < 0 ? '-' : '+'}${hhmm}`;
}
