// The app's pages as the navigation lists them, with the permission each one needs.
import type { Permission } from '../../contract/index.js';

export type NavItem = { to: string; label: string; permission?: Permission; description: string };

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', description: 'Office overview' },
  { to: '/admin/users', label: 'Users', permission: 'user.read', description: 'Staff accounts, roles and passwords' },
  { to: '/admin/teams', label: 'Teams', permission: 'team.read', description: 'Teams and their members' },
  { to: '/admin/tokens', label: 'API tokens', permission: 'token.manage', description: 'Tokens for integrations' },
  { to: '/admin/audit', label: 'Audit log', permission: 'audit.read', description: 'Who changed what, and when' },
  { to: '/admin/jobs', label: 'Jobs', permission: 'jobs.read', description: 'Background queues and failed jobs' },
  { to: '/admin/office', label: 'Office settings', permission: 'office.update', description: 'Name, time zone and business hours' },
  { to: '/account', label: 'My account', description: 'Your password and sessions' },
];
