#!/usr/bin/env node
// Entry point of the `civitas` command. Runs the compiled server from dist/, building it
// first when it is missing or older than the sources.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverBuildIsStale, serverEntry } from './build-state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = serverEntry(root);
const stale = serverBuildIsStale(root);
const webMissing = !fs.existsSync(path.join(root, 'dist', 'web', 'index.html'));
if (stale || (webMissing && process.argv[2] === 'start')) {
  console.error('Building Civitas (first run or sources changed)…');
  execSync(stale && webMissing ? 'npm run build' : stale ? 'npm run build:server' : 'npm run build:web', { cwd: root, stdio: 'inherit' });
}
const { main } = await import(entry);
await main(process.argv.slice(2));
