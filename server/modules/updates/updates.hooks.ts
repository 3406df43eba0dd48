// When staff change a case's status to one the resident calls by another word (Received, In
// progress, Waiting for information, Resolved, Closed), an update is queued in the change's
// transaction. When the change sends a closure message itself (notifyResident), which already
// tells the requester the case is resolved, the update is for the report's followers only.
import { onCaseChange } from '../cases/cases.hooks.js';
import { statusFacts } from '../cases/cases.public.js';
import { residentStatus } from '../portal/portal.track.js';
import { queueUpdate } from './updates.queue.js';

export function registerUpdateHooks(): void {
  onCaseChange('updates.resident', async (trx, scope, change) => {
    if (change.kind !== 'status_changed' || !change.before) return;
    const [from, to] = await Promise.all([statusFacts(trx, scope.officeId, change.before.status), statusFacts(trx, scope.officeId, change.after.status)]);
    if (!from || !to) return;
    const [was, now] = [residentStatus(from.category, from.isInitial), residentStatus(to.category, to.isInitial)];
    if (was === now) return;
    await queueUpdate(trx, scope.officeId, {
      caseId: change.after.id, kind: 'status_changed', eventKey: `status:${change.after.updated_at.toISOString()}:${now}`, residentStatus: now,
      requesterTold: !!change.options?.notifyResident,
    });
  });
}
