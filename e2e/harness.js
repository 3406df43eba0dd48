// Harness for the browser tests: a tiny sequential test runner, the server under test
// (started on a fresh embedded database), page helpers (axe, navigation, API calls) and
// inbound mail posted to the intake endpoint.
import assert from 'node:assert/strict';
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const STEP_TIMEOUT = 15_000;
let BASE = '';

// ---------------------------------------------------------------- tiny test runner
export const results = [];
export async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`✔ ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false, err });
    console.log(`✖ ${name} (${Date.now() - started} ms)`);
    console.log(String(err?.stack ?? err).split('\n').map((l) => `    ${l}`).join('\n'));
    for (const page of openPages) {
      const text = await page.locator('body').innerText({ timeout: 2000 }).catch(() => '(unreadable)');
      console.log(`    --- ${page.url()}\n${text.slice(0, 1500).replace(/^/gm, '    | ')}`);
    }
  }
}

// ---------------------------------------------------------------- server
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForChromium() {
  const deadline = Date.now() + 10 * 60_000;
  while (!fs.existsSync(CHROMIUM)) {
    if (Date.now() > deadline) throw new Error(`${CHROMIUM} did not appear within 10 minutes`);
    console.log(`waiting for ${CHROMIUM} to be installed…`);
    await new Promise((r) => setTimeout(r, 10_000));
  }
}

let server;
export let serverLog = '';
let dataDir;

/** Builds dist/ when it is incomplete (the server the tests start runs from it). */
export function ensureBuilt() {
  if (!fs.existsSync(path.join(root, 'dist', 'web', 'index.html')) || !fs.existsSync(path.join(root, 'dist', 'server', 'main.js'))) {
    console.log('dist/ is incomplete: running npm run build');
    execSync('npm run build', { cwd: root, stdio: 'inherit' });
  }
}

export async function startServer() {
  ensureBuilt();
  const port = await freePort();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-e2e-'));
  // The specs drive one browser from one address at machine speed, well past the production
  // request limit per address (600 a minute) and the public forms' 20 posts an hour per address
  // (reports, comments, follows, sign-in links, from every portal spec); those limits are
  // tested in vitest (http-conventions, intake.web-form, portal).
  const env = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '1000', ALERTS_CONFIRMATIONS_PER_IP_PER_HOUR: '1000',
  };
  // A fresh embedded database, so first start prints the admin's credentials.
  delete env.DATABASE_URL;
  delete env.PUBLIC_URL;
  server = spawn(process.execPath, [path.join(root, 'bin', 'civitas.js'), 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 180 s:\n${serverLog}`)), 180_000);
    const onData = (chunk) => {
      serverLog += chunk.toString();
      const email = /^\s+email:\s+(\S+)\s*$/m.exec(serverLog)?.[1];
      const password = /^\s+password:\s+(\S+)\s*$/m.exec(serverLog)?.[1];
      if (/Civitas is running at/.test(serverLog)) {
        clearTimeout(timer);
        if (!email || !password) reject(new Error(`server started without printing first-start credentials:\n${serverLog}`));
        else {
          BASE = `http://127.0.0.1:${port}`;
          resolve({ baseUrl: BASE, email, password });
        }
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal}):\n${serverLog}`));
    });
  });
}

export async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

// ---------------------------------------------------------------- page helpers
export const pageErrors = [];
const openPages = new Set();

export async function newPage(browser) {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) pageErrors.push(`${page.url()}: ${msg.text()}`);
  });
  return page;
}

export async function idle(page) {
  // Wait until nothing says "Loading…" (queries settled).
  await page.waitForFunction(() => ![...document.querySelectorAll('[role="status"]')].some((e) => /Loading/.test(e.textContent ?? '')));
}

// ---------------------------------------------------------------- screenshots
// Every state axe checks is also saved as a PNG, for CI to keep as artifacts: into
// $E2E_ARTIFACTS_DIR/screenshots (default e2e/artifacts/screenshots, gitignored), numbered in
// the order taken and named after the state. Last run's PNGs are removed at the first one.
export const SCREENSHOT_DIR = path.join(process.env.E2E_ARTIFACTS_DIR ? path.resolve(process.env.E2E_ARTIFACTS_DIR) : path.join(root, 'e2e', 'artifacts'), 'screenshots');
let screenshotsTaken = 0;
const fileNameOf = (name) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100) || 'page';

/** Saves a full-page PNG of the page; never fails a test (a full disk, a closed page: logged, and the test goes on). */
export async function screenshot(page, name) {
  try {
    if (screenshotsTaken === 0) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      for (const f of fs.readdirSync(SCREENSHOT_DIR).filter((x) => x.endsWith('.png'))) fs.rmSync(path.join(SCREENSHOT_DIR, f), { force: true });
    }
    const file = path.join(SCREENSHOT_DIR, `${String(screenshotsTaken + 1).padStart(3, '0')}-${fileNameOf(name)}.png`);
    // A very long page (the API reference) is taken as far as the window shows.
    const height = await page.evaluate(() => document.documentElement.scrollHeight).catch(() => 0);
    await page.screenshot({ path: file, fullPage: height <= 12_000, animations: 'disabled', timeout: 10_000 });
    screenshotsTaken++;
  } catch (err) {
    console.log(`    (screenshot "${name}" not saved: ${String(err?.message ?? err).split('\n')[0]})`);
  }
}

export async function axe(page, label) {
  await idle(page);
  await screenshot(page, label);
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (violations.length) {
    const text = violations
      .map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `      ${n.target.join(' ')}\n        ${String(n.failureSummary).replace(/\n/g, '\n        ')}`).join('\n')}`)
      .join('\n');
    throw new Error(`axe found ${violations.length} violation(s) on ${label}:\n${text}`);
  }
}

/** Waits for a form field to hold a value (the form may render after the URL changes). */
export async function expectValue(locator, expected, message) {
  const until = Date.now() + STEP_TIMEOUT;
  let value = await locator.inputValue();
  while (value !== expected && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await locator.inputValue();
  }
  assert.equal(value, expected, message);
}

export const h1 = (page) => page.getByRole('heading', { level: 1 });
export const nav = (page) => page.getByRole('navigation', { name: 'Main' });
export const statusText = (page, text) => page.getByRole('status').filter({ hasText: text });

export async function activeInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), id: el?.id, text: el?.textContent?.trim(), className: el?.className };
  });
}

export async function signInViaUi(page, email, password) {
  await page.goto('/login');
  await h1(page).filter({ hasText: 'Sign in' }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Calls the API from a page's context (its cookies), with the CSRF token on writes. */
export async function apiCall(page, method, url, body) {
  const session = await page.request.get('/api/v1/auth/session');
  assert.equal(session.status(), 200, 'apiCall needs a signed-in page');
  const { csrfToken } = await session.json();
  const res = await page.request.fetch(url, { method, headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, data: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok()) throw new Error(`${method} ${url} answered ${res.status()}: ${await res.text()}`);
  return res.status() === 204 ? undefined : res.json();
}

export async function goNav(page, label, urlPath, heading, seenTitles) {
  await nav(page).getByRole('link', { name: label, exact: true }).click();
  await page.waitForURL(BASE + urlPath);
  await h1(page).filter({ hasText: heading }).waitFor();
  assert.equal(await h1(page).count(), 1, `${urlPath} has exactly one h1`);
  const active = await activeInfo(page);
  assert.equal(active.tag, 'h1', `focus moved to the h1 after navigating to ${urlPath} (got ${JSON.stringify(active)})`);
  const title = await page.title();
  assert.match(title, new RegExp(heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), `title of ${urlPath} names the page`);
  if (seenTitles) {
    assert.ok(!seenTitles.has(title), `title "${title}" is unique`);
    seenTitles.add(title);
  }
  assert.equal(await nav(page).locator('a[aria-current="page"]').textContent(), label, 'current page is marked in the navigation');
}

// ---------------------------------------------------------------- inbound mail

/** A raw email to an intake address; with html, a multipart/alternative of both. */
export function mime({ to, from, subject, text, html, n }) {
  const id = `e2e-${n}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@resident.example`;
  const head = [`From: ${from}`, `To: Town Hall <${to}>`, `Subject: ${subject}`, `Message-ID: <${id}>`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0'];
  if (!html) return [...head, 'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n');
  const b = `alt-${n}`;
  return [...head, `Content-Type: multipart/alternative; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', text, `--${b}`, 'Content-Type: text/html; charset=utf-8', '', html, `--${b}--`, ''].join('\r\n');
}

/** Posts a raw email as the intake endpoint's clients do (202), and waits for the job worker to process it. */
export async function deliver(page, raw) {
  const { csrfToken } = await (await page.request.get('/api/v1/auth/session')).json();
  const res = await page.request.post('/api/v1/intake/email', { headers: { 'x-csrf-token': csrfToken, 'content-type': 'message/rfc822' }, data: Buffer.from(raw) });
  assert.equal(res.status(), 202, `intake answered ${res.status()}: ${await res.text()}`);
  const { id } = await res.json();
  return waitForItem(page, id, (item) => item.status !== 'received');
}

/** The inbox item as the inbox list shows it, once it meets the condition (polled: the worker runs every few seconds). */
export async function waitForItem(page, id, ok) {
  for (let i = 0; i < 150; i++) {
    const item = (await apiCall(page, 'GET', '/api/v1/inbox?status=all&limit=200')).items.find((x) => x.id === id);
    if (item && ok(item)) return item;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`inbox item ${id} did not reach the expected state in 30 s`);
}

export function summary(fatal) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (fatal ? 1 : 0);
  if (failed && serverLog) console.log(`--- server output (last 3000 chars) ---\n${serverLog.slice(-3000)}`);
  if (screenshotsTaken) console.log(`${screenshotsTaken} screenshots in ${SCREENSHOT_DIR}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

// ---------------------------------------------------------------- sent mail
/**
 * The text of the newest email the server sent to `to` whose subject includes `subject`,
 * waiting for its delivery job: without SMTP_URL the server writes every message it sends as an
 * .eml file under DATA_DIR/mail-outbox (platform/mail.ts).
 */
export async function sentMail(to, subject, timeoutMs = 30_000) {
  const { simpleParser } = await import('mailparser');
  const dir = path.join(dataDir, 'mail-outbox');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    const found = [];
    for (const f of files) {
      const mail = await simpleParser(fs.readFileSync(path.join(dir, f)));
      if (mail.to?.text === to && mail.subject?.includes(subject)) found.push({ mail, at: fs.statSync(path.join(dir, f)).mtimeMs });
    }
    if (found.length) return found.sort((a, b) => a.at - b.at).at(-1).mail.text ?? '';
    if (Date.now() > until) throw new Error(`no email to ${to} about "${subject}" within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---------------------------------------------------------------- resident portal
/** The first admin signed in on a page of their own, with the office's portal (its public form) switched on. */
export async function staffWithPortal(browser, creds) {
  const staff = await newPage(browser);
  await signInViaUi(staff, creds.email, creds.password);
  await h1(staff).filter({ hasText: 'Home' }).waitFor();
  const office = await apiCall(staff, 'GET', '/api/v1/office');
  await apiCall(staff, 'PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });
  return { staff, office };
}

/** Waits for the page's h1 to say `heading`, then runs axe on it. */
export async function seeHeading(page, heading, label) {
  await h1(page).filter({ hasText: heading }).waitFor();
  await axe(page, label);
}
