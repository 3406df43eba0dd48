// The API contract: zod schemas and types shared by the server and the web app.
// Imports nothing of ours but itself.
export * from './common.js';
export * from './auth.js';
export * from './offices.js';
export * from './users.js';
export * from './teams.js';
export * from './tokens.js';
export * from './audit.js';
export * from './jobs.js';
export * from './constituents.js';
export * from './geo.js';
export * from './dedup.js';
export * from './imports.js';
export * from './cases.js';
export * from './case-work.js';
export * from './sla.js';
export * from './notifications.js';
export * from './messages.js';
export * from './templates.js';
export * from './referrals.js';
export * from './assignment.js';
export * from './case-links.js';
