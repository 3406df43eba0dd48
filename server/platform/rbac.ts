// Authorization in one place. Every route declares one permission (or 'public' /
// 'authenticated'); roles grant permissions; API tokens narrow them with scopes.

import { PERMISSIONS, ROLES, type Permission, type Role } from '../../contract/auth.js';

export { PERMISSIONS, ROLES, type Permission, type Role };

/** What a route may declare: a permission, or one of the two access levels below. */
export type RouteAccess = Permission | 'public' | 'authenticated';

const ALL: readonly Permission[] = PERMISSIONS;

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ALL,
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

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

export type Principal = {
  kind: 'user' | 'token';
  userId: string;
  officeId: string;
  role: Role;
  /** For tokens: the scopes granted to the token; undefined for sessions. */
  scopes: readonly string[] | undefined;
  label: string;
  tokenId?: string;
  sessionId?: string;
};

/** Whether the principal may hand out (create, promote to, or reset the password of) an
 * account with this role: a token never grants more than its own scopes. */
export function canGrantRole(principal: Principal, role: Role): boolean {
  return principal.scopes === undefined || GRANTS[role].every((p) => principal.scopes!.includes(p));
}

export function can(principal: Principal, permission: Permission): boolean {
  if (!GRANTS[principal.role].includes(permission)) return false;
  return principal.scopes === undefined || principal.scopes.includes(permission);
}
