// First start: when the database has no office yet, create one with an admin whose
// generated password is printed once.
import { generatePassword } from './platform/auth/secrets.js';
import { inTransaction, type Db } from './platform/db/database.js';
import { systemScope } from './platform/scope.js';
import * as offices from './modules/offices/offices.service.js';
import * as users from './modules/users/users.service.js';

export type Bootstrap = { officeSlug: string; email: string; password: string } | undefined;

export async function bootstrapIfEmpty(db: Db): Promise<Bootstrap> {
  if ((await offices.count(db)) > 0) return undefined;
  return inTransaction(db, async (trx) => {
    const office = await offices.create(trx, { slug: 'main', name: 'Main Office', timeZone: 'Europe/London' }, 'first-start');
    const password = generatePassword();
    const email = 'admin@civitas.local';
    await users.create(systemScope(trx, office.id, 'first-start'), { email, displayName: 'Administrator', role: 'admin', password });
    return { officeSlug: office.slug, email, password };
  });
}
