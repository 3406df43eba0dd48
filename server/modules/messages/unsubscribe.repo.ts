// SQL for unsubscribe links: the office's signing key, made on first use.
import { randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';

export async function keyOf(db: Executor, officeId: string): Promise<Buffer> {
  await db.insertInto('unsubscribe_keys').values({ office_id: officeId, secret: randomBytes(32) }).onConflict((oc) => oc.column('office_id').doNothing()).execute();
  return (await db.selectFrom('unsubscribe_keys').select('secret').where('office_id', '=', officeId).executeTakeFirstOrThrow()).secret;
}

/** The key if the office has one (a link is checked without making a key for a made-up office). */
export const existingKey = async (db: Executor, officeId: string): Promise<Buffer | null> =>
  (await db.selectFrom('unsubscribe_keys').select('secret').where('office_id', '=', officeId).executeTakeFirst())?.secret ?? null;

