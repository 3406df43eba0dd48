// Helpers for the casework tests: an office with staff of every role (API tokens carrying
// each role's permissions), a team, and shortcuts to open and read cases through the API.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { Role } from '../../../contract/auth.js';
import type { Office } from '../../../contract/offices.js';
import { asToken, createConstituent, createOffice, createUser, tokenFor, uniq, type TestContext, type TestUser } from '../../../test/harness.js';
import { permissionsOf } from '../../platform/rbac.js';

export type Api = ReturnType<typeof asToken>;
export type Staff = { user: TestUser; api: Api };

export async function staffMember(ctx: TestContext, office: Office, role: Role): Promise<Staff> {
  const user = await createUser(ctx, office, role);
  return { user, api: asToken(ctx, await tokenFor(ctx, user, [...permissionsOf(role)])) };
}

/** An office with an admin, a manager, two caseworkers (one in the team), an analyst and a volunteer. */
export async function casework(ctx: TestContext) {
  const office = await createOffice(ctx);
  const [admin, manager, caseworker, outsider, analyst, volunteer] = await Promise.all([
    staffMember(ctx, office, 'admin'), staffMember(ctx, office, 'manager'), staffMember(ctx, office, 'caseworker'),
    staffMember(ctx, office, 'caseworker'), staffMember(ctx, office, 'analyst'), staffMember(ctx, office, 'volunteer'),
  ]);
  const team = ok(await admin.api('POST', '/api/v1/teams', { name: uniq('Streets') }), 201) as { id: string };
  ok(await admin.api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: caseworker.user.id }, { userId: manager.user.id, isManager: true }] }), 200);
  const person = await createConstituent(ctx, office, { givenName: 'Ada', familyName: uniq('Case') });
  const open = async (body: object = {}, as: Staff = admin): Promise<Case> =>
    ok(await as.api('POST', '/api/v1/cases', { subject: 'Pothole on Mill Lane', channel: 'phone', ...body }), 201) as Case;
  const read = async (id: string, as: Staff = admin): Promise<Case> => ok(await as.api('GET', `/api/v1/cases/${id}`), 200) as Case;
  return { office, admin, manager, caseworker, outsider, analyst, volunteer, team, person, open, read };
}

/** Expects the status and returns the parsed body. */
export function ok(res: LightMyRequestResponse, status: number): unknown {
  expect(res.statusCode, res.body).toBe(status);
  return res.statusCode === 204 ? undefined : res.json();
}

/** Expects a problem+json refusal with this status, code and (optionally) field; returns it. */
export function refused(res: LightMyRequestResponse, status: number, code: string, field?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as { code: string; field?: string; detail: string };
  expect(body.code).toBe(code);
  if (field !== undefined) expect(body.field).toBe(field);
  expect(body.detail.length).toBeGreaterThan(10);
  return body;
}

/** A ward covering lng 0..1, lat 0..1 in the office, imported through the API. */
export async function squareWard(admin: Staff, code = 'W1', name = 'Square ward'): Promise<string> {
  const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
  const geojson = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code, name }, geometry: { type: 'Polygon', coordinates: [square] } }] };
  ok(await admin.api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson }), 200);
  const list = ok(await admin.api('GET', '/api/v1/geo/boundaries?layer=ward'), 200) as { items: { id: string; code: string }[] };
  return list.items.find((b) => b.code === code)!.id;
}
