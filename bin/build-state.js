// Whether the compiled server in dist/ is older than its sources (server/, contract/): the one
// test bin/civitas.js uses before it runs dist/ and the CLI tests use to choose how to start it.
import fs from 'node:fs';
import path from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The compiled entry, dist/server/main.js, under the project root `root`. */
export const serverEntry = (root) => path.join(root, 'dist', 'server', 'main.js');

/** True when dist/server/main.js is missing or older than a file of server/ or contract/. */
export function serverBuildIsStale(root) {
  const entry = serverEntry(root);
  return !fs.existsSync(entry) || ['server', 'contract'].some((d) => newestMtime(path.join(root, d)) > fs.statSync(entry).mtimeMs);
}
