// Changes racing a refresh: a case changed while a refresh of its office is under way must be
// counted by the next refresh, never lost. The interleaving needs two connections whose
// transactions overlap, which the embedded database cannot give, so this file always runs on
// the tests' PostgreSQL server, in a database of its own (test/own-postgres.ts).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownPostgres, type OwnPostgres } from '../../../test/own-postgres.js';
import * as offices from '../offices/offices.service.js';
import { refreshOffice } from './insights.refresh.js';

let own: OwnPostgres;
beforeAll(async () => {
  own = await ownPostgres('civitas_insights_race');
}, 120_000);
afterAll(() => own?.drop());

const db = () => own.database.db;
const fact = async (caseId: string) =>
  (await own.database.pool.query<{ resolved_day: string | null }>(`SELECT to_char(resolved_day, 'YYYY-MM-DD') AS resolved_day FROM insight_case_facts WHERE case_id = $1`, [caseId])).rows[0];

/** Runs `fn` in a transaction on a connection of its own, held open until `release` is called. */
async function openTransaction(fn: (c: pg.PoolClient) => Promise<void>): Promise<{ commit(): Promise<void> }> {
  const c = await own.database.pool.connect();
  await c.query('BEGIN');
  await fn(c);
  return {
    commit: async () => {
      try {
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    },
  };
}

describe('a case changed during a refresh of its office', () => {
  it('is counted by the next refresh, whether the change is committed before or after the refresh', async () => {
    const office = await offices.create(db(), { slug: 'race', name: 'Race Office', timeZone: 'Europe/London' }, 'test');
    const open = async (ref: string) => (await own.database.pool.query<{ id: string }>(
      `INSERT INTO cases (office_id, reference, subject, channel, status, created_at) VALUES ($1, $2, 'Case', 'phone', 'open', '2026-03-10T10:00:00Z') RETURNING id`, [office.id, ref])).rows[0]!.id;
    const a = await open('C-RACE-1');
    const b = await open('C-RACE-2');
    expect(await refreshOffice(db(), office.id)).toEqual({ processed: 2, remaining: 0 });
    expect(await fact(a)).toEqual({ resolved_day: null });

    // Case a changes while its dirty mark is still the committed one from before; a refresh
    // starts before that change commits. The refresh must not take the mark and count the
    // case as it was, leaving the change with no mark.
    await own.database.pool.query(`UPDATE cases SET channel = 'email' WHERE id = $1`, [a]);
    const change = await openTransaction((c) => c.query(`UPDATE cases SET status = 'resolved', resolved_at = '2026-03-12T10:00:00Z' WHERE id = $1`, [a]).then(() => undefined));
    const during = await refreshOffice(db(), office.id);
    await change.commit();
    expect(during.processed + (await refreshOffice(db(), office.id)).processed).toBeGreaterThanOrEqual(1);
    expect(await fact(a)).toEqual({ resolved_day: '2026-03-12' });

    // Case b: a refresh takes its mark first and is still open when the change is made; the
    // change waits for the refresh to commit, then marks the case again.
    await own.database.pool.query(`UPDATE cases SET channel = 'email' WHERE id = $1`, [b]);
    const refresh = await openTransaction(async (c) => {
      expect((await c.query(`DELETE FROM insight_dirty_cases WHERE office_id = $1 AND case_id = $2`, [office.id, b])).rowCount).toBe(1);
    });
    const changed = own.database.pool.query(`UPDATE cases SET status = 'resolved', resolved_at = '2026-03-13T10:00:00Z' WHERE id = $1`, [b]);
    await new Promise((r) => setTimeout(r, 200));
    await refresh.commit();
    await changed;
    await refreshOffice(db(), office.id);
    expect(await fact(b)).toEqual({ resolved_day: '2026-03-13' });
  });
});
