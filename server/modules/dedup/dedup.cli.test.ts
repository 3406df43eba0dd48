import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.js';

// Real CLI processes on their own embedded database in a temporary DATA_DIR.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-dedup-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function civitas(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts/civitas-dev.ts'), ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end();
  });
}

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
