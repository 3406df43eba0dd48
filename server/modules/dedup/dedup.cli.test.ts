import { describe, expect, it } from 'vitest';
import { cliRunner } from '../../../test/cli.js';

// Real CLI processes on their own embedded database in a temporary DATA_DIR.
const { civitas } = cliRunner('civitas-dedup-cli-');

describe('civitas dedup scan', { timeout: 240_000 }, () => {
  it('scans an office with progress per rule, and refuses an unknown office', async () => {
    expect((await civitas(['dedup', 'scan', '--help'])).out).toMatch(/--office <slug>/);
    const demo = await civitas(['demo', '--office', 'dd', '--constituents', '400', '--cases', '0']);
    expect(demo.code, demo.err).toBe(0);
    const r = await civitas(['dedup', 'scan', '--office', 'dd']);
    expect(r.code, r.err).toBe(0);
    for (const rule of ['exactEmail', 'exactPhone', 'nameAddress', 'namePostcode', 'nameDob']) expect(r.err).toMatch(new RegExp(`\\] ${rule}: \\d+ blocks, \\d+ pairs in`));
    expect(r.out).toMatch(/^scan [0-9a-f-]{36} of dd: 400 records, \d+ open candidates/m);
    const missing = await civitas(['dedup', 'scan', '--office', 'nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no office with slug "nowhere"/);
  });
});
