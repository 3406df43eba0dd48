// Resident updates have no HTTP routes of their own: this wires them into the app, so a status
// change or a shared note made through the API queues an update on the app's job queue.
import type { App } from '../../platform/http/types.js';
import { registerUpdateHooks } from './updates.hooks.js';
import { configureUpdates } from './updates.queue.js';

export function updatesRoutes(app: App): void {
  configureUpdates(() => app.civitas.jobs);
  registerUpdateHooks();
}
