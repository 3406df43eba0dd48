// demo-load: bulk-loads N constituents (with their emails, phones and addresses, plus a few
// cases) through the product's loader `runDemo`, and compares its rows/s for the constituent
// tables with a plain COPY of the same rows into the same tables (same indexes and foreign
// keys) in another office: the database's raw limit for bulk loading.
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { Database } from '../../server/platform/db/database.js';
import * as offices from '../../server/modules/offices/offices.service.js';
import { loadDemo } from '../lib/demo.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const TABLES = ['constituents', 'constituent_emails', 'constituent_phones', 'constituent_addresses'] as const;

async function countRows(database: Database, officeId: string): Promise<number> {
  let total = 0;
  for (const t of TABLES) {
    const r = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE office_id = $1`, [officeId]);
    total += r.rows[0]!.n;
  }
  return total;
}

async function columnsOf(database: Database, table: string): Promise<string[]> {
  const r = await database.pool.query<{ c: string }>(
    `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return r.rows.map((x) => x.c);
}

/** The office's rows of `table` as COPY text, moved to office `to` with new ids (md5 of the old). */
async function exportQuery(database: Database, table: string, from: string, to: string): Promise<{ select: string; columns: string[] }> {
  const columns = await columnsOf(database, table);
  const exprs = columns.map((c) =>
    c === 'office_id' ? `'${to}'::uuid` : c === 'id' || c === 'constituent_id' ? `md5(${c}::text)::uuid` : `"${c}"`,
  );
  return { select: `SELECT ${exprs.join(', ')} FROM ${table} WHERE office_id = '${from}'::uuid`, columns };
}

async function copyOut(database: Database, select: string): Promise<Buffer | Blob> {
  if (database.pglite) {
    const r = await database.pglite.query(`COPY (${select}) TO '/dev/blob'`);
    return r.blob!;
  }
  const client = await database.pool.connect();
  try {
    const chunks: Buffer[] = [];
    await pipeline(
      client.query(copyStreams.to(`COPY (${select}) TO STDOUT`)),
      new Writable({ write: (chunk: Buffer, _e, cb) => { chunks.push(chunk); cb(); } }),
    );
    return Buffer.concat(chunks);
  } finally {
    client.release();
  }
}

async function copyIn(database: Database, table: string, columns: string[], data: Buffer | Blob): Promise<void> {
  const into = `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')})`;
  if (database.pglite) {
    await database.pglite.transaction(async (tx) => {
      await tx.query(`${into} FROM '/dev/blob'`, [], { blob: data as Blob });
    });
    return;
  }
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    await pipeline(Readable.from([data as Buffer]), client.query(copyStreams.from(`${into} FROM STDIN`)));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export const scenario: Scenario = {
  name: 'demo-load',
  description: 'bulk load of constituents (+emails, phones, addresses) through runDemo vs COPY of the same rows',
  async run(ctx: Context): Promise<Result[]> {
    const constituents = ctx.scale;
    const cases = Math.max(100, Math.round(constituents / 100));
    const database = await ctx.bench.open(4);
    try {
      ctx.log(`demo-load: loading ${constituents} constituents and ${cases} cases through runDemo`);
      const { state, timings } = await loadDemo(database, constituents, cases);
      ctx.state.demo = state;
      const batches = timings.constituentBatches;
      const loadMs = batches[batches.length - 1]! - timings.setupMs;
      const batchMs = batches.map((t, i) => t - (i === 0 ? timings.setupMs : batches[i - 1]!));
      const rows = await countRows(database, state.officeId);
      const seconds = loadMs / 1000;
      const lat = summarise(batchMs);
      ctx.log(`demo-load: ${rows} rows in ${seconds.toFixed(1)}s (setup ${(timings.setupMs / 1000).toFixed(1)}s, cases until ${(timings.endMs / 1000).toFixed(1)}s); measuring COPY`);

      // Raw limit: the same rows, exported with new ids to another office, COPYed back in.
      const copy = await offices.create(database.db, { slug: 'bench-copy', name: 'Bench COPY target', timeZone: 'Europe/London' }, 'bench');
      const boundaryCols = await columnsOf(database, 'boundaries');
      await database.pool.query(
        `INSERT INTO boundaries (${boundaryCols.map((c) => `"${c}"`).join(', ')}) SELECT ${boundaryCols.map((c) => (c === 'office_id' ? '$2::uuid' : `"${c}"`)).join(', ')} FROM boundaries WHERE office_id = $1`,
        [state.officeId, copy.id],
      );
      const exports: { table: string; columns: string[]; data: Buffer | Blob }[] = [];
      for (const t of TABLES) {
        const q = await exportQuery(database, t, state.officeId, copy.id);
        exports.push({ table: t, columns: q.columns, data: await copyOut(database, q.select) });
      }
      const bytes = exports.reduce((n, e) => n + (e.data instanceof Blob ? e.data.size : e.data.length), 0);
      const c0 = performance.now();
      for (const e of exports) await copyIn(database, e.table, e.columns, e.data);
      const copySeconds = (performance.now() - c0) / 1000;
      const copied = await countRows(database, copy.id);
      if (copied !== rows) throw new Error(`COPY loaded ${copied} rows, expected ${rows}`);

      const throughput = rows / seconds;
      const rawThroughput = rows / copySeconds;
      return [
        {
          scenario: 'demo-load',
          engine: ctx.bench.engine,
          scale: ctx.scale,
          operations: rows,
          unit: 'rows',
          seconds,
          throughput,
          p50: lat.p50,
          p95: lat.p95,
          p99: lat.p99,
          latencyOf: `one batch of 5,000 constituents (~${Math.round(rows / constituents * 5000)} rows)`,
          peakRssMb: ownPeakRssMb(),
          rssOf: ctx.bench.engine === 'pglite' ? 'bench process (includes PGlite)' : 'bench process',
          raw: { what: `COPY … FROM STDIN of the same ${rows} rows (${(bytes / 1048576).toFixed(1)} MiB text) into the same tables`, operations: rows, seconds: copySeconds, throughput: rawThroughput },
          ratio: throughput / rawThroughput,
          errors: 0,
          notes: `${constituents} constituents, ${(constituents / seconds).toFixed(0)} constituents/s; setup ${(timings.setupMs / 1000).toFixed(1)}s not counted`,
          extra: { constituents, cases, setupSeconds: timings.setupMs / 1000, casesDoneSeconds: timings.endMs / 1000, copyBytes: bytes },
        },
      ];
    } finally {
      await database.close();
    }
  },
};
