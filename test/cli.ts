// The `civitas` command as a real process, for CLI tests: each test file gets its own
// embedded database in a temporary DATA_DIR, removed when the file's tests end.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { serverBuildIsStale } from '../bin/build-state.js';
import { projectRoot } from '../server/platform/paths.js';

export type CliResult = { code: number | null; out: string; err: string };
export type CliOptions = { input?: string; env?: Record<string, string> };

/** A temporary directory for this test file (removed after its tests) and a runner whose DATA_DIR is `dataDir` inside it. */
/**
 * How to start `civitas`: bin/civitas.js, the command users run, when the compiled server in
 * dist/ is newer than every source (it then runs it as it is, a second or two faster to start
 * than compiling the sources on the fly), else the TypeScript sources through tsx (during
 * development, without building first).
 */
const entry = serverBuildIsStale(projectRoot)
  ? ['--import', 'tsx', path.join(projectRoot, 'scripts/civitas-dev.ts')]
  : [path.join(projectRoot, 'bin', 'civitas.js')];

export function cliRunner(prefix: string, dataSubdir = ''): { dir: string; civitas: (args: string[], opts?: CliOptions) => Promise<CliResult> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, dataSubdir);
  // Asynchronous on purpose: a blocking spawnSync would starve the test worker's event loop.
  const civitas = (args: string[], opts: CliOptions = {}) =>
    new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [...entry, ...args], {
        cwd: projectRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...opts.env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out, err }));
      child.stdin.end(opts.input ?? '');
    });
  return { dir, civitas };
}
