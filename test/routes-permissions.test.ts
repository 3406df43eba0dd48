// Every route declares who may call it, and the declaration is enforced: routes without
// credentials answer 401, principals without the permission answer 403. Plus the role
// grants of rbac.can(), spelled out so any change to them is deliberate.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission, type Role } from '../contract/auth.js';
import { buildApp } from '../server/app.js';
import type { RegisteredRoute } from '../server/platform/http/types.js';
import { can, permissionsOf, type Principal } from '../server/platform/rbac.js';
import { asSession, asToken, createOffice, createTestApp, createUser, openTestDatabase, signIn, tokenFor, type TestContext } from './harness.js';

let ctx: TestContext;
let routes: RegisteredRoute[];
beforeAll(async () => {
  ctx = await createTestApp();
  routes = ctx.app.civitas.routes;
});
afterAll(() => ctx.close());

const PUBLIC_ALLOWLIST = [
  'POST /api/v1/auth/login',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/openapi.json',
  'GET /api/docs',
  'GET /*',
  'GET /release/:token',
  'POST /release/:token',
  'GET /portal/:office/release/:token',
  'POST /portal/:office/release/:token',
  'GET /rate/:token',
  'POST /rate/:token',
  // Bulk mail's unsubscribe link (a signed token; one-click POST per RFC 8058).
  'GET /unsubscribe/:token',
  'POST /unsubscribe/:token',
  'GET /api/v1/public/:office/categories',
  'POST /api/v1/public/:office/requests',
  'GET /forms/:office',
  // The resident portal's pages (see server/modules/portal/portal.routes.ts).
  'GET /portal/portal.css',
  'GET /portal/:office',
  'GET /portal/:office/report',
  'POST /portal/:office/report',
  'GET /portal/:office/confirmation/:token',
  'POST /portal/:office/track',
  'GET /portal/:office/track/:token',
  'POST /portal/:office/track/:token/comments',
  'GET /portal/:office/track/:token/photos/:photoId',
  // The report's steps (portal.report-routes.ts): a public report, the wards for the place step's map, its script and stylesheet.
  'GET /portal/:office/reports/:reference',
  // Open data (portal.open-data-routes.ts): the page and its downloads.
  'GET /portal/:office/open-data',
  'GET /portal/:office/open-data/reports.csv',
  'GET /portal/:office/open-data/reports.geojson',
  'GET /portal/:office/open-data/summary.csv',
  'POST /portal/:office/reports/:reference/follow',
  'GET /portal/:office/wards.geojson',
  'GET /portal/place.js',
  'GET /portal/place.css',
  // Resident accounts (portal.account-routes.ts): a sign-in link by email, then a portal session cookie.
  'GET /portal/:office/account',
  'POST /portal/:office/account/sign-in',
  'GET /portal/:office/account/check-email',
  'GET /portal/:office/account/sign-in/:token',
  'POST /portal/:office/account/sign-in/:token',
  'POST /portal/:office/account/sign-out',
  'GET /portal/:office/account/requests/:reference',
  'GET /portal/:office/account/preferences',
  'POST /portal/:office/account/preferences',
  'GET /portal/:office/account/data',
  // Area alerts (alerts.routes.ts): the sign-up form, then the pages its emails link to (signed links).
  'GET /portal/:office/alerts',
  'POST /portal/:office/alerts',
  'GET /portal/:office/alerts/sent',
  'GET /portal/:office/alerts/confirm/:token',
  'POST /portal/:office/alerts/confirm/:token',
  'GET /portal/:office/alerts/manage/:token',
  'GET /portal/:office/alerts/reports/:token',
  'GET /portal/:office/alerts/unsubscribe/:token',
  'POST /portal/:office/alerts/unsubscribe/:token',
  'GET /portal/:office/alerts/unsubscribed',
  // Open311 GeoReport v2: reads are public by the specification; posts check an Open311 api_key in the handler.
  'GET /open311/v2/discovery.:format',
  'GET /open311/v2/services.:format',
  'GET /open311/v2/services/:file',
  'GET /open311/v2/requests.:format',
  'POST /open311/v2/requests.:format',
  'GET /open311/v2/requests/:file',
  'GET /open311/v2/tokens/:file',
  'GET /open311/v2/servicerequestupdates.:format',
  'POST /open311/v2/servicerequestupdates.:format',
  // SMS provider webhooks: authenticated by the provider's signature (X-Twilio-Signature) in the handler.
  'POST /webhooks/sms/twilio/:office',
  'POST /webhooks/sms/twilio/:office/status',
].sort();

const key = (r: RegisteredRoute) => `${r.method} ${r.url}`;
/** A concrete URL for a route pattern: every :param becomes a random UUID. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID());
const apiRoutes = () => routes.filter((r) => r.permission !== 'public');

describe('route registry', () => {
  it('lists the routes of every module', () => {
    const keys = routes.map(key);
    for (const expected of ['GET /api/v1/users', 'PATCH /api/v1/teams/:id', 'DELETE /api/v1/tokens/:id', 'GET /api/v1/audit', 'GET /api/v1/jobs/failed', 'PATCH /api/v1/office', 'POST /api/v1/sla/policies', 'DELETE /api/v1/sla/holidays/:date', 'GET /api/v1/notifications', 'POST /api/v1/cases/bulk', 'GET /api/v1/cases/export.csv', 'GET /api/v1/case-views', 'POST /api/v1/case-views', 'PATCH /api/v1/case-views/:id', 'DELETE /api/v1/case-views/:id', 'GET /api/v1/intake/mailboxes', 'POST /api/v1/intake/mailboxes/:id/test',
      'GET /api/v1/insights/performance', 'GET /api/v1/insights/performance.csv', 'GET /api/v1/insights/volumes', 'GET /api/v1/insights/volumes.csv',
      'GET /api/v1/insights/backlog', 'GET /api/v1/insights/backlog.csv', 'GET /api/v1/insights/workload', 'GET /api/v1/insights/workload.csv', 'GET /api/v1/insights/map/wards',
      'GET /api/v1/insights/map/points', 'GET /api/v1/insights/alerts', 'POST /api/v1/insights/alerts/:id/acknowledge', 'GET /api/v1/insights/report-schedule', 'PUT /api/v1/insights/report-schedule', 'GET /api/v1/insights/report.pdf']) {
      expect(keys).toContain(expected);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives every route a permission that is public, authenticated or a known permission', () => {
    const allowed = new Set<string>(['public', 'authenticated', ...PERMISSIONS]);
    const bad = routes.filter((r) => typeof r.permission !== 'string' || !allowed.has(r.permission));
    expect(bad.map(key)).toEqual([]);
  });

  it('makes exactly the allowlisted routes public', () => {
    expect(routes.filter((r) => r.permission === 'public').map(key).sort()).toEqual(PUBLIC_ALLOWLIST);
  });

  it('refuses to build an app with a route that declares no permission', async () => {
    const database = await openTestDatabase();
    const app = await buildApp({ config: ctx.config, database, jobs: ctx.jobs, logger: false });
    try {
      expect(() => app.get('/api/v1/no-permission', async () => 'x')).toThrow(/does not declare a permission/);
      expect(() => app.get('/api/v1/has-permission', { config: { permission: 'office.read' } }, async () => 'x')).not.toThrow();
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('enforcement on every route', () => {
  it('answers 401 problem+json to every non-public route called without credentials', async () => {
    const failures: string[] = [];
    for (const r of apiRoutes()) {
      const res = await ctx.app.inject({ method: r.method as 'GET', url: concrete(r.url), ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }) });
      if (res.statusCode !== 401 || !String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${key(r)} -> ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 to HEAD requests on protected GET routes too', async () => {
    const res = await ctx.app.inject({ method: 'HEAD', url: '/api/v1/users' });
    expect(res.statusCode).toBe(401);
  });

  it('answers 403 to a token whose scopes lack the route permission, and lets authenticated routes through', async () => {
    const office = await createOffice(ctx);
    const admin = await createUser(ctx, office, 'admin');
    const api = asToken(ctx, await tokenFor(ctx, admin, ['office.read']));
    const failures: string[] = [];
    for (const r of apiRoutes()) {
      if (r.method !== 'GET') continue; // writes are covered by the volunteer test below without side effects
      const res = await api(r.method, concrete(r.url));
      const expected = r.permission === 'office.read' || r.permission === 'authenticated' ? 200 : 403;
      if (res.statusCode !== expected) failures.push(`${key(r)} -> ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to a volunteer session on every route needing a permission volunteers lack', async () => {
    const office = await createOffice(ctx);
    const volunteer = await createUser(ctx, office, 'volunteer');
    const api = asSession(ctx, await signIn(ctx, volunteer));
    const granted = new Set<string>(permissionsOf('volunteer'));
    const checked: string[] = [];
    const failures: string[] = [];
    for (const r of apiRoutes()) {
      if (r.permission === 'authenticated' || granted.has(r.permission!)) continue;
      checked.push(key(r));
      const res = await api(r.method as 'GET', concrete(r.url), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      if (res.statusCode !== 403 || res.json().code !== 'forbidden') failures.push(`${key(r)} -> ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toContain('POST /api/v1/users');
    expect(checked).toContain('PATCH /api/v1/office');
  });
});

describe('rbac can()', () => {
  // The grants, spelled out: a change to the role model must change this table too.
  const EXPECTED: Record<Role, Permission[]> = {
    admin: [...PERMISSIONS],
    manager: [
      'office.read', 'user.read', 'team.read', 'team.manage', 'jobs.read',
      'constituent.read', 'constituent.write', 'constituent.merge', 'constituent.import', 'constituent.export',
      'registry.configure', 'geo.read',
      'case.read', 'case.write', 'case.assign', 'case.sensitive', 'case.export', 'casework.configure',
      'sla.configure', 'templates.draft', 'templates.manage', 'templates.approve', 'inbox.read', 'inbox.work', 'intake.configure', 'triage.configure',
      'insights.read', 'insights.manage',
    ],
    caseworker: [
      'office.read', 'user.read', 'team.read', 'constituent.read', 'constituent.write', 'geo.read', 'case.read', 'case.write', 'case.assign', 'templates.draft', 'inbox.read', 'inbox.work',
    ],
    volunteer: ['office.read', 'geo.read'],
    analyst: ['office.read', 'user.read', 'team.read', 'geo.read', 'case.read', 'case.export', 'insights.read'],
  };
  const principal = (role: Role, scopes?: string[]): Principal => ({ kind: scopes ? 'token' : 'user', userId: randomUUID(), officeId: randomUUID(), role, scopes, label: role });

  it.each(Object.keys(EXPECTED) as Role[])('grants a %s session exactly its role permissions', (role) => {
    for (const p of PERMISSIONS) expect([p, can(principal(role), p)]).toEqual([p, EXPECTED[role].includes(p)]);
  });

  it('keeps user, token, audit and job management away from non-admins', () => {
    for (const role of ['manager', 'caseworker', 'volunteer', 'analyst'] as const) {
      for (const p of ['user.manage', 'token.manage', 'audit.read', 'jobs.manage', 'office.update'] as const) expect(can(principal(role), p)).toBe(false);
    }
  });

  it('narrows a token to its scopes', () => {
    const t = principal('admin', ['user.read', 'team.read']);
    expect(can(t, 'user.read')).toBe(true);
    expect(can(t, 'team.read')).toBe(true);
    expect(can(t, 'user.manage')).toBe(false);
    expect(can(t, 'office.read')).toBe(false);
    expect(can(principal('admin', []), 'office.read')).toBe(false);
  });

  it('never lets a scope grant more than the role has', () => {
    expect(can(principal('analyst', ['user.manage', 'user.read']), 'user.manage')).toBe(false);
    expect(can(principal('analyst', ['user.manage', 'user.read']), 'user.read')).toBe(true);
    expect(can(principal('volunteer', [...PERMISSIONS]), 'audit.read')).toBe(false);
  });
});
