// The insights API over HTTP: who may read it, bad input, and the CSV files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createOffice, createTestApp, createUser, signIn, type TestContext } from '../../../test/harness.js';
import { pdfText } from '../../../test/pdf-text.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

async function office() {
  const o = await createOffice(ctx);
  const admin = asSession(ctx, await signIn(ctx, await createUser(ctx, o, 'admin')));
  const category = await admin('POST', '/api/v1/case-categories', { name: '=HYPERLINK("x")' });
  expect(category.statusCode).toBe(201);
  expect((await admin('POST', '/api/v1/cases', { subject: 'Bin not collected', channel: 'phone', categoryId: category.json().id })).statusCode).toBe(201);
  return { o, admin, categoryId: category.json().id as string };
}

describe('insights over HTTP', () => {
  it('answers every figure to an admin and an analyst, and refuses a caseworker', async () => {
    const { o, admin } = await office();
    const analyst = asSession(ctx, await signIn(ctx, await createUser(ctx, o, 'analyst')));
    const caseworker = asSession(ctx, await signIn(ctx, await createUser(ctx, o, 'caseworker')));
    for (const url of ['/api/v1/insights/performance', '/api/v1/insights/volumes', '/api/v1/insights/backlog', '/api/v1/insights/workload', '/api/v1/insights/map/wards']) {
      expect((await admin('GET', url)).statusCode).toBe(200);
      expect((await analyst('GET', url)).statusCode).toBe(200);
      expect((await caseworker('GET', url)).statusCode).toBe(403);
    }
    const p = (await admin('GET', '/api/v1/insights/performance')).json();
    expect(p.rows[0].current.opened).toBe(1);
  });

  it.each([
    ['/api/v1/insights/performance?from=2026-03-10&to=2026-03-01', 'from'],
    ['/api/v1/insights/volumes?from=1990-01-01&to=1990-02-01', 'from'],
    ['/api/v1/insights/workload?to=2100-01-01', 'to'],
    ['/api/v1/insights/performance?from=2000-01-01&to=2020-01-01', 'from'],
    ['/api/v1/insights/performance?from=yesterday', 'from'],
    ['/api/v1/insights/performance?by=colour', 'by'],
    ['/api/v1/insights/volumes?interval=hour', 'interval'],
    ['/api/v1/insights/map/wards?measure=happiness', 'measure'],
  ])('answers 400 naming the field to %s', async (url, field) => {
    const { admin } = await office();
    const res = await admin('GET', url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(res.json())).toContain(field);
  });

  it('refuses unknown query parameters', async () => {
    const { admin } = await office();
    for (const url of ['/api/v1/insights/performance?ward=x', '/api/v1/insights/backlog?from=2026-01-01', '/api/v1/insights/workload?by=team']) {
      expect((await admin('GET', url)).statusCode).toBe(400);
    }
  });

  it('exports each figure as CSV, one row per row and figure, with formulas defused', async () => {
    const { admin, categoryId } = await office();
    for (const name of ['performance', 'volumes', 'backlog', 'workload']) {
      const res = await admin('GET', `/api/v1/insights/${name}.csv${name === 'backlog' ? '?by=category' : name === 'performance' ? '?by=category' : ''}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="insights-${name}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      const lines = res.body.replace(/^\uFEFF/, '').trim().split('\n');
      expect(lines[0]).toBe('breakdown,key,label,period_from,period_to,figure,value');
      if (name === 'performance' || name === 'backlog') {
        expect(lines.some((l) => l.startsWith(`category,${categoryId},"'=HYPERLINK(""x"")"`))).toBe(true);
      }
    }
    const perf = (await admin('GET', '/api/v1/insights/performance.csv')).body;
    expect(perf).toMatch(/\nnone,,All cases,\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},opened,1\r?\n/);
    // 28 figures per row and period, plus three automation rows.
    expect(perf.trim().split('\n')).toHaveLength(1 + 2 * 28 + 3);
    const backlog = (await admin('GET', '/api/v1/insights/backlog.csv')).body;
    expect(backlog).toContain('none,,All cases,,,open,1');
    expect(backlog).toContain('none,,All cases,,,age.0-2d,1');
  });

  it('prints the PDF report from the same figures as the dashboards', async () => {
    const { admin } = await office();
    const { range } = (await admin('GET', '/api/v1/insights/performance')).json();
    const res = await admin('GET', `/api/v1/insights/report.pdf?from=${range.to}&to=${range.to}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload);
    // The one case of the day, in the headline and in its category's row.
    expect(text).toMatch(/^Cases opened\n1\n0\n/m);
    expect(text).toContain('=HYPERLINK("x")\n1\n');
  });
});
