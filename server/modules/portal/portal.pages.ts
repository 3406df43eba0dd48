// How the portal sends its pages: React components rendered to static HTML (no scripts,
// every value escaped by React), with the language chosen for the request and the office's
// time zone; the language cookie set when ?lang= chose it.
import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendHtml } from '../../platform/http/html.js';
import type { Issue } from './portal.forms.js';
import { LANG_COOKIE, negotiate, translator, type Translator } from './portal.i18n.js';
import type { Office } from './portal.service.js';
import type { FieldError } from './views/Layout.js';

const YEAR_SECONDS = 365 * 86_400;

/** The request's language (and the cookie that keeps a ?lang= choice), as a translator in the office's time zone. */
export function languageOf(req: FastifyRequest, reply: FastifyReply, office: Pick<Office, 'locale' | 'timeZone'> | null, isSecure: boolean): Translator {
  const query = (req.query as { lang?: unknown } | undefined)?.lang;
  const choice = negotiate({
    query: typeof query === 'string' ? query : undefined, cookie: req.cookies?.[LANG_COOKIE], acceptLanguage: req.headers['accept-language'], officeLocale: office?.locale,
  });
  if (choice.fromQuery) reply.setCookie(LANG_COOKIE, choice.lang, { path: '/portal', sameSite: 'lax', httpOnly: true, secure: isSecure, maxAge: YEAR_SECONDS });
  return translator(choice.lang, office?.timeZone ?? 'UTC');
}

/** A page; its referrer goes to our own pages only (its forms' posts then carry their Origin), never to another site. */
export function render<P extends object>(reply: FastifyReply, status: number, component: FunctionComponent<P>, props: P) {
  return sendHtml(reply, status, `<!doctype html>\n${renderToStaticMarkup(createElement(component, props))}`, 'same-origin');
}

/** A 303 to a page of the portal, in the request's language. */
export const seeOther = (reply: FastifyReply, location: string) => reply.code(303).header('location', location).header('cache-control', 'no-store').send();

/** The issues in the resident's language (a message may name the office). */
export const messagesOf = (t: Translator, issues: Issue[], office: string): FieldError[] => issues.map((i) => ({ field: i.field, message: t.t(i.key, { office, ...i.values }) }));

/** A form's posted text fields, to show again (never the honeypot or the tokens). */
export function posted<K extends string>(body: unknown, fields: readonly K[]): Partial<Record<K, string>> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(fields.filter((k) => typeof b[k] === 'string').map((k) => [k, b[k] as string])) as Partial<Record<K, string>>;
}
