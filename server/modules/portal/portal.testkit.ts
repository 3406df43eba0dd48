// Helpers for the portal's tests: an office with its public form on and a category, form
// posts as a browser sends them, and a report followed to its tracking page.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { randomIp, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok } from '../cases/cases.testkit.js';
import { issueFormToken } from '../intake/intake.form-token.js';

export async function portalOffice(ctx: TestContext) {
  const w = await casework(ctx);
  const slug = (ok(await w.admin.api('GET', '/api/v1/office'), 200) as { slug: string }).slug;
  const category = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Potholes') }), 201) as { id: string; name: string };
  ok(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null }), 200);
  return { ...w, slug, category };
}

export const HTML = { accept: 'text/html,application/xhtml+xml' };

export const get = (ctx: TestContext, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers: { ...HTML, ...headers } });

export const postForm = (ctx: TestContext, url: string, fields: Record<string, string>, headers: Record<string, string> = {}, ip = randomIp()) =>
  ctx.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), remoteAddress: ip, headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', ...headers } });

/** A form token as if the form had been served a minute ago (past the minimum fill time). */
export const aged = (ctx: TestContext, officeId: string) => issueFormToken(ctx.database.db, officeId, Date.now() - 60_000);

export async function reportFields(ctx: TestContext, officeId: string, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    name: 'Grace Hopper', email: `${uniq('grace')}@resident.example`, description: 'Deep pothole outside number 12.', address: '12 Mill Lane',
    consent: 'yes', clientToken: uniq('tok'), formToken: await aged(ctx, officeId), website: '', ...overrides,
  };
}

/** The path a 303 sends the browser to. */
export function redirected(res: LightMyRequestResponse): string {
  expect(res.statusCode, res.body).toBe(303);
  return String(res.headers.location);
}

/** Sends a report and follows it: the confirmation page, the tracking path (with its token). */
export async function report(ctx: TestContext, slug: string, fields: Record<string, string>, lang = 'en') {
  const confirmation = redirected(await postForm(ctx, `/portal/${slug}/report?lang=${lang}`, fields));
  const page = await get(ctx, confirmation);
  expect(page.statusCode, page.body).toBe(200);
  const trackUrl = /<a href="(https?:\/\/[^"]+\/track\/[^"]+)"/.exec(page.body)![1]!;
  const trackPath = new URL(trackUrl).pathname;
  return { confirmation, page, trackPath, token: trackPath.split('/').at(-1)! };
}

/** The text of a page: tags removed, entities of the text decoded, whitespace collapsed. */
export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
