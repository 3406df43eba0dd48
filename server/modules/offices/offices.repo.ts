// SQL for offices, the tenant root.
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { OfficesTable } from '../../platform/db/schema.js';

export const get = (db: Executor, officeId: string) =>
  db.selectFrom('offices').selectAll().where('id', '=', officeId).executeTakeFirst();

export const getBySlug = (db: Executor, slug: string) =>
  db.selectFrom('offices').selectAll().where('slug', '=', slug).executeTakeFirst();

export const list = (db: Executor) => db.selectFrom('offices').selectAll().orderBy('created_at').execute();

export const insert = (db: Executor, values: Insertable<OfficesTable>) =>
  db.insertInto('offices').values(values).returningAll().executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, values: Updateable<OfficesTable>) =>
  db.updateTable('offices').set(values).where('id', '=', officeId).returningAll().executeTakeFirstOrThrow();

export const count = async (db: Executor) =>
  (await db.selectFrom('offices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
