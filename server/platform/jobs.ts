// Durable background jobs on pg-boss, in the application's own database (PostgreSQL or
// PGlite). Jobs are defined once with a zod schema for their data; enqueueing inside a
// transaction uses that transaction, so a job exists if and only if its change committed.
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { z } from 'zod';
import type { Executor } from './db/database.js';

export type JobDefinition<T extends z.ZodTypeAny> = {
  name: string;
  data: T;
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInSeconds?: number;
  /** cron expression (in UTC) for recurring jobs */
  cron?: string;
  /** pg-boss queue policy; 'singleton' lets only one job of the queue be active at a time, across processes. */
  policy?: PgBoss.QueuePolicy;
  /** Workers of this queue in a working process (default 1). */
  concurrency?: number;
  /**
   * Jobs a worker fetches at once (default 1). pg-boss waits out the polling interval after
   * each fetch that finishes sooner, so a busy queue needs batches to keep up; each job of a
   * batch still succeeds or fails (and is retried) on its own.
   */
  batchSize?: number;
  /** Seconds a worker waits between fetches that come back quicker than this (default 2; at least 0.5). */
  pollingIntervalSeconds?: number;
  /** Runs once in a process that works jobs, after the queues exist (recovery after a crash); a failure is logged. */
  onStart?: () => Promise<void>;
  handler: (data: z.infer<T>, ctx: { jobId: string; attempt: number }) => Promise<void>;
};

export const DEAD_LETTER_QUEUE = 'dead-letter';

type Logger = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

export class Jobs {
  readonly boss: PgBoss;
  private readonly defs = new Map<string, JobDefinition<z.ZodTypeAny>>();
  private started = false;

  constructor(private readonly pool: pg.Pool, private readonly log: Logger) {
    this.boss = new PgBoss({
      db: { executeSql: async (text: string, values?: unknown[]) => pool.query(text, values) },
      schema: 'pgboss',
      // Keep failed jobs long enough for someone to look at them in the dead-letter view.
      deleteAfterDays: 30,
      archiveFailedAfterSeconds: 30 * 24 * 3600,
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  define<T extends z.ZodTypeAny>(def: JobDefinition<T>): void {
    if (this.defs.has(def.name)) throw new Error(`job ${def.name} is defined twice`);
    this.defs.set(def.name, def as unknown as JobDefinition<z.ZodTypeAny>);
  }

  get names(): string[] {
    return [...this.defs.keys()];
  }

  /** Creates the queues; with work=true also runs the handlers in this process. */
  async start(opts: { work: boolean; pollingIntervalSeconds?: number }): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    await this.boss.createQueue(DEAD_LETTER_QUEUE).catch(() => undefined);
    for (const def of this.defs.values()) {
      await this.boss.createQueue(def.name, {
        name: def.name,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelaySeconds ?? 10,
        retryBackoff: true,
        expireInSeconds: def.expireInSeconds ?? 15 * 60,
        deadLetter: DEAD_LETTER_QUEUE,
        ...(def.policy ? { policy: def.policy } : {}),
      });
      if (def.cron && opts.work) await this.boss.schedule(def.name, def.cron, {});
      if (opts.work) {
        for (let i = 0; i < (def.concurrency ?? 1); i++) {
          await this.boss.work(def.name, { pollingIntervalSeconds: Math.min(def.pollingIntervalSeconds ?? 2, opts.pollingIntervalSeconds ?? 2), batchSize: def.batchSize ?? 1 }, async (batch) => {
            if (batch.length === 1) return this.run(def, batch[0] as PgBoss.Job<unknown> & { retryCount?: number });
            // The batch completes together afterwards; a failed job is failed (retried) alone.
            for (const job of batch) {
              await this.run(def, job as PgBoss.Job<unknown> & { retryCount?: number }).catch((err: unknown) =>
                this.boss.fail(def.name, job.id, { message: err instanceof Error ? err.message : String(err) }));
            }
          });
        }
      }
    }
    this.started = true;
    if (opts.work) {
      for (const def of this.defs.values()) {
        await def.onStart?.().catch((err: unknown) => this.log.error({ job: def.name, err }, 'job start-up recovery failed'));
      }
    }
  }

  /** The values of one data field of the jobs of a queue that wait to run (queued or retrying, not active). */
  async waitingKeys(name: string, field: string): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ key: string }>(
      "SELECT DISTINCT data->>$2 AS key FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry') AND data->>$2 IS NOT NULL",
      [name, field],
    );
    return new Set(rows.map((r) => r.key));
  }

  private async run(def: JobDefinition<z.ZodTypeAny>, job: PgBoss.Job<unknown> & { retryCount?: number }) {
    const parsed = def.data.safeParse(job.data);
    if (!parsed.success) {
      // Bad data will not get better by retrying: fail it into the dead-letter view now.
      throw new Error(`invalid job data: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const started = Date.now();
    try {
      await def.handler(parsed.data, { jobId: job.id, attempt: (job.retryCount ?? 0) + 1 });
      this.log.info({ job: def.name, jobId: job.id, ms: Date.now() - started }, 'job done');
    } catch (err) {
      this.log.error({ job: def.name, jobId: job.id, err }, 'job failed');
      throw err;
    }
  }

  /** Enqueues a job; pass the transaction to make it part of it. */
  async send<T extends z.ZodTypeAny>(def: JobDefinition<T>, data: z.infer<T>, db?: Executor, options: PgBoss.SendOptions = {}): Promise<string | null> {
    const valid = def.data.parse(data);
    const sendOptions: PgBoss.SendOptions = { ...options };
    if (db) {
      (sendOptions as { db?: PgBoss.Db }).db = {
        executeSql: async (text: string, values?: unknown[]) => {
          const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
          return { rows: result.rows } as never;
        },
      };
    }
    return this.boss.send(def.name, valid as object, sendOptions);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
