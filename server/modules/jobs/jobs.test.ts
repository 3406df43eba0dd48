import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asSession, createOffice, createTestApp, createUser, signIn, type TestContext } from '../../../test/harness.js';
import type { JobDefinition } from '../../platform/jobs.js';

let ctx: TestContext;
const attempts = new Map<string, number>();
let healed = false;

const flaky: JobDefinition<z.ZodObject<{ officeId: z.ZodString; key: z.ZodString; failTimes: z.ZodNumber }>> = {
  name: 'test.flaky',
  data: z.object({ officeId: z.string(), key: z.string(), failTimes: z.number() }),
  retryLimit: 2,
  retryDelaySeconds: 1,
  handler: async (data) => {
    const n = (attempts.get(data.key) ?? 0) + 1;
    attempts.set(data.key, n);
    if (n <= data.failTimes && !healed) throw new Error(`boom on attempt ${n}`);
  },
};

beforeAll(async () => {
  ctx = await createTestApp();
  ctx.jobs.define(flaky);
  await ctx.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
});
afterAll(() => ctx.close());

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('background jobs', () => {
  it('retries a failing job with backoff until it succeeds', async () => {
    const office = await createOffice(ctx);
    const id = await ctx.jobs.send(flaky, { officeId: office.id, key: 'retry-then-ok', failTimes: 2 });
    expect(id).toEqual(expect.any(String));
    await until(async () => ((await ctx.jobs.boss.getJobById(flaky.name, id!))?.state === 'completed' ? true : undefined));
    expect(attempts.get('retry-then-ok')).toBe(3);
  });

  it('shows a job that exhausted its retries in the dead-letter view, and retries it on request', async () => {
    const office = await createOffice(ctx);
    const admin = await createUser(ctx, office, 'admin');
    const api = asSession(ctx, await signIn(ctx, admin));
    const id = await ctx.jobs.send(flaky, { officeId: office.id, key: 'always-fails', failTimes: 99 });
    const failed = await until(async () => {
      const items = (await api('GET', '/api/v1/jobs/failed')).json().items as { id: string; error: string; retryCount: number; queue: string }[];
      return items.find((j) => j.id === id);
    });
    expect(failed.queue).toBe('test.flaky');
    expect(failed.error).toMatch(/boom on attempt 3/);
    expect(failed.retryCount).toBe(2);
    const stats = (await api('GET', '/api/v1/jobs/queues')).json().items as { queue: string; failed: number }[];
    expect(stats.find((s) => s.queue === 'test.flaky')?.failed).toBe(1);

    healed = true;
    expect((await api('POST', `/api/v1/jobs/failed/${id}/retry`)).statusCode).toBe(202);
    await until(async () => ((await ctx.jobs.boss.getJobById(flaky.name, id!))?.state === 'completed' ? true : undefined));
    const after = (await api('GET', '/api/v1/jobs/failed')).json().items as { id: string }[];
    expect(after.map((j) => j.id)).not.toContain(id);
    const audit = (await api('GET', '/api/v1/audit?entityType=job&action=retried')).json().items as { entityId: string }[];
    expect(audit.map((e) => e.entityId)).toContain(id);
  });

  it('refuses to enqueue data that does not match the job schema', async () => {
    await expect(ctx.jobs.send(flaky, { officeId: 'x', key: 'k' } as never)).rejects.toThrow();
  });

  it('answers 404 when retrying a job that is not a failed job of this office', async () => {
    const office = await createOffice(ctx);
    const admin = await createUser(ctx, office, 'admin');
    const api = asSession(ctx, await signIn(ctx, admin));
    const res = await api('POST', '/api/v1/jobs/failed/00000000-0000-4000-8000-000000000000/retry');
    expect(res.statusCode).toBe(404);
  });
});
