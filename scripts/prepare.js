// npm's prepare step: build the server and the web app after `npm install` in a checkout.
// Skipped when the sources are absent (installing Civitas as a dependency) or in CI=true
// test runs that build on their own.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

if (fs.existsSync('server') && fs.existsSync('node_modules/.bin/tsc')) {
  execSync('npm run build', { stdio: 'inherit' });
}
