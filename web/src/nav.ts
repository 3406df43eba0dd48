// The app's pages as the navigation lists them, with the permission each one needs.
import type { Permission } from '../../contract/index.js';

export type NavItem = { to: string; label: string; permission?: Permission; description: string };

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', description: 'Office overview' },
  { to: '/inbox', label: 'Inbox', permission: 'inbox.read', description: 'What arrived on every channel: file it on a case, open one, or mark it spam' },
  { to: '/log-contact', label: 'Log a contact', permission: 'inbox.work', description: 'Record a call, voicemail, walk-in, event or social-media contact on a case' },
  { to: '/cases', label: 'Cases', permission: 'case.read', description: 'Cases, with filters, views and your own work' },
  { to: '/tasks', label: 'My tasks', permission: 'case.read', description: 'Follow-up tasks given to you, soonest due first' },
  { to: '/letters', label: 'Letters', permission: 'case.read', description: 'Replies to print and post, and those already posted' },
  { to: '/constituents', label: 'Constituents', permission: 'constituent.read', description: 'Search people and organisations' },
  { to: '/constituents/duplicates', label: 'Duplicates', permission: 'constituent.merge', description: 'Possible duplicate records to merge or dismiss' },
  { to: '/insights', label: 'Insights', permission: 'insights.read', description: 'Service performance, trends, workload, emerging issues and maps' },
  { to: '/admin/users', label: 'Users', permission: 'user.read', description: 'Staff accounts, roles and passwords' },
  { to: '/admin/teams', label: 'Teams', permission: 'team.read', description: 'Teams and their members' },
  { to: '/admin/tokens', label: 'API tokens', permission: 'token.manage', description: 'Tokens for integrations' },
  { to: '/admin/audit', label: 'Audit log', permission: 'audit.read', description: 'Who changed what, and when' },
  { to: '/admin/jobs', label: 'Jobs', permission: 'jobs.read', description: 'Background queues and failed jobs' },
  { to: '/admin/case-categories', label: 'Case categories', permission: 'casework.configure', description: 'The issue taxonomy cases are filed under' },
  { to: '/admin/case-workflow', label: 'Case workflow', permission: 'casework.configure', description: 'Case statuses, allowed moves and resolution codes' },
  { to: '/admin/agencies', label: 'Agencies', permission: 'casework.configure', description: 'Agencies cases are referred to, and the privacy release form' },
  { to: '/admin/assignment', label: 'Assignment', permission: 'casework.configure', description: 'Rules that assign new cases to teams, and how teams share them out' },
  { to: '/admin/triage', label: 'Triage', permission: 'triage.configure', description: 'How new messages are categorised, prioritised and answered automatically' },
  { to: '/admin/triage/rules', label: 'Triage rules', permission: 'triage.configure', description: 'Rules tried on every new message: conditions, what they do, and a dry run' },
  { to: '/admin/sla', label: 'Service levels', permission: 'sla.configure', description: 'Response and resolution targets, and holidays' },
  { to: '/admin/insights-report', label: 'Weekly report', permission: 'insights.manage', description: "When the week's performance report is emailed, and to whom" },
  { to: '/admin/reply-templates', label: 'Reply templates', permission: 'templates.draft', description: 'Approved replies with merge fields, in several languages' },
  { to: '/admin/custom-fields', label: 'Custom fields', permission: 'registry.configure', description: 'Extra fields on constituent records' },
  { to: '/admin/boundaries', label: 'Boundaries', permission: 'geo.manage', description: 'Wards and other boundary layers, and the address register' },
  { to: '/admin/email-intake', label: 'Email intake', permission: 'intake.configure', description: 'Addresses the office receives mail at, and mailboxes read over IMAP' },
  { to: '/admin/sms', label: 'SMS', permission: 'sms.configure', description: 'The SMS provider account, number and webhooks' },
  { to: '/admin/open311', label: 'Open311', permission: 'intake.configure', description: 'Categories published as Open311 services, and API keys for integrators' },
  { to: '/admin/web-form', label: 'Public web form', permission: 'intake.configure', description: 'Turn the public request form on or off, its categories, and how to embed it' },
  { to: '/admin/office', label: 'Office settings', permission: 'office.update', description: 'Name, time zone and business hours' },
  { to: '/account', label: 'My account', description: 'Your password and sessions' },
];
