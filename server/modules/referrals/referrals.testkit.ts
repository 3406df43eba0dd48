// Helpers for the referral tests: an office with casework staff, an agency, a case with a
// requester, and the resident's side of the signing page (open the link, post the form with
// its CSRF cookie and field) as a browser would.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Agency, PrivacyRelease, Referral } from '../../../contract/referrals.js';
import { createConstituent, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, type Staff } from '../cases/cases.testkit.js';

export async function referralWorld(ctx: TestContext, opts: { email?: string } = {}) {
  const w = await casework(ctx);
  const person = await createConstituent(ctx, w.office, { givenName: 'Zoë', familyName: uniq('Núñez'), ...(opts.email ? { emails: [{ email: opts.email }] } : {}) });
  const agency = async (body: object = {}, as: Staff = w.manager): Promise<Agency> =>
    ok(await as.api('POST', '/api/v1/agencies', { name: uniq('Agency'), kind: 'federal', ...body }), 201) as Agency;
  const kase = await w.open({ constituents: [{ constituentId: person.id, role: 'requester' }] });
  const draft = async (agencyId: string, body: object = {}, caseId = kase.id): Promise<Referral> =>
    ok(await w.caseworker.api('POST', `/api/v1/cases/${caseId}/referrals`, { agencyId, summary: 'Asked about the benefit claim', ...body }), 201) as Referral;
  const requestRelease = async (body: object = {}, caseId = kase.id) =>
    ok(await w.caseworker.api('POST', `/api/v1/cases/${caseId}/privacy-releases`, { constituentId: person.id, ...body }), 201) as { release: PrivacyRelease; signingUrl: string; emailed: boolean };
  return { ...w, person, kase, agency, draft, requestRelease };
}

/** The path of a signing link (/portal/<office>/release/<token>). */
export const pathOf = (signingUrl: string) => new URL(signingUrl).pathname;

export type Browser = { cookie: string; csrf: string };

/** Opens the signing page as a browser: returns the response and the form's CSRF pair. */
export async function openLink(ctx: TestContext, path: string, headers: Record<string, string> = {}): Promise<{ res: LightMyRequestResponse; browser: Browser | null }> {
  const res = await ctx.app.inject({ method: 'GET', url: path, headers: { accept: 'text/html', ...headers } });
  const setCookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('civitas_release_csrf='));
  const csrf = /name="csrf" value="([^"]+)"/.exec(res.body)?.[1];
  return { res, browser: setCookie && csrf ? { cookie: setCookie.split(';')[0]!, csrf } : null };
}

export function postForm(ctx: TestContext, path: string, browser: Browser | null, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return ctx.app.inject({
    method: 'POST', url: path,
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TestBrowser/1.0', ...(browser ? { cookie: browser.cookie } : {}), ...headers },
    payload: new URLSearchParams({ ...(browser ? { csrf: browser.csrf } : {}), ...fields }).toString(),
  });
}

/** Today's date in the office's time zone (Europe/London in the tests). */
export const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** Opens the link and signs it with this name; expects the page to say it worked. */
export async function signAs(ctx: TestContext, signingUrl: string, typedName: string): Promise<void> {
  const { res, browser } = await openLink(ctx, pathOf(signingUrl));
  expect(res.statusCode, res.body).toBe(200);
  const done = await postForm(ctx, pathOf(signingUrl), browser, { typedName, signedDate: today(), consent: 'yes' });
  expect(done.statusCode, done.body).toBe(200);
  expect(done.body).toContain('your consent is recorded');
}
