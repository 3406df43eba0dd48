// Idempotency-Key on POSTs: the first request's response is stored and replayed for any
// retry with the same key and body; the same key with a different body is refused.
import { sql } from 'kysely';
import { sha256 } from '../auth/secrets.js';
import type { Executor } from '../db/database.js';
import { DomainError } from '../errors.js';
import type { App } from './types.js';

const HEADER = 'idempotency-key';
// A request that never completed (process crash) frees its key after this long.
const STALE_AFTER_MS = 10 * 60_000;

export const SECRET_NOT_REPLAYED = '[shown once; not stored for replays]';

// Secrets shown once (generated passwords, token secrets) must not sit in clear text in the
// replay store: they are swapped for a placeholder before the response is kept.
function storable(payload: unknown, status: number, secretFields: readonly string[] | undefined): string | null {
  if (typeof payload !== 'string') return null;
  if (!secretFields?.length || status >= 400) return payload;
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    for (const f of secretFields) if (typeof body[f] === 'string') body[f] = SECRET_NOT_REPLAYED;
    return JSON.stringify(body);
  } catch {
    return null;
  }
}

export function registerIdempotency(app: App): void {
  const { db } = app.civitas.database;
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers[HEADER];
    if (req.method !== 'POST' || key === undefined || !req.principal) return;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new DomainError('validation_failed', { field: HEADER, message: 'Idempotency-Key must be 1-255 visible ASCII characters' });
    }
    const officeId = req.principal.officeId;
    const principal = `${req.principal.kind}:${req.principal.tokenId ?? req.principal.userId}`;
    const path = req.url.split('?')[0]!;
    const requestHash = sha256(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`);
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ office_id: officeId, principal, key, method: req.method, path, request_hash: requestHash })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      req.idempotency = { officeId, principal, key };
      return;
    }
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('office_id', '=', officeId)
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== requestHash) throw new DomainError('idempotency_mismatch', { field: HEADER });
    if (existing.status_code === null) {
      if (Date.now() - existing.created_at.getTime() < STALE_AFTER_MS) throw new DomainError('idempotency_in_progress', { field: HEADER });
      await db.updateTable('idempotency_keys').set({ created_at: sql`now()` }).where('office_id', '=', officeId).where('principal', '=', principal).where('key', '=', key).execute();
      req.idempotency = { officeId, principal, key };
      return;
    }
    reply.header('idempotent-replayed', 'true');
    // Errors were sent as problem+json (see problems.ts); replay them as such.
    const type = existing.status_code >= 400 ? 'application/problem+json' : 'application/json';
    return reply.code(existing.status_code).type(type).send(existing.response_body ?? '');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = undefined;
    if (reply.statusCode >= 500) {
      // Let the client retry a server failure with the same key.
      await db.deleteFrom('idempotency_keys').where('office_id', '=', idem.officeId).where('principal', '=', idem.principal).where('key', '=', idem.key).execute();
      return payload;
    }
    await db
      .updateTable('idempotency_keys')
      .set({ status_code: reply.statusCode, response_body: storable(payload, reply.statusCode, req.routeOptions.config.secretFields), completed_at: sql`now()` })
      .where('office_id', '=', idem.officeId)
      .where('principal', '=', idem.principal)
      .where('key', '=', idem.key)
      .execute();
    return payload;
  });
}

/** Housekeeping: stored responses are only needed while clients may still retry. */
export async function purgeIdempotencyKeys(db: Executor, olderThan: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', olderThan).executeTakeFirst();
  return Number(r.numDeletedRows);
}
