// Browser tests of the staff web app: starts the real server on a fresh embedded database,
// drives Debian's Chromium through playwright-core, and checks every page with axe
// (WCAG 2.2 AA). Tests run in order and share the server: later ones build on earlier ones.
// Usage: npm run build && npm run test:e2e
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium, request as playwrightRequest } from 'playwright-core';
import { parseShard, shardOf } from './shards.js';
import {
  activeInfo, apiCall, axe, CHROMIUM, goNav, h1, idle, nav, newPage, pageErrors, signInViaUi, startServer, statusText, stopServer, summary, test, waitForChromium,
} from './harness.js';

// ---------------------------------------------------------------- the tests
let BASE = '';
// E2E_SHARD=k/n: this process is part k of n (e2e/shards.js starts them, each with a server of its own).
const shard = parseShard(process.env.E2E_SHARD);

async function main() {
  await waitForChromium();
  const creds = await startServer();
  BASE = creds.baseUrl;
  console.log(`server at ${BASE}; admin ${creds.email}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  let admin;
  const state = {};
  try {
    // The staff app's own pages: in the first part only when the run is split (e2e/shards.js).
    if (shard.index === 1) {
      await test('keyboard: Tab reaches the skip link first and the sign-in form works by keyboard alone', async () => {
        admin = await newPage(browser);
        await admin.goto('/login');
        await h1(admin).filter({ hasText: 'Sign in' }).waitFor();
        await admin.keyboard.press('Tab');
        let active = await activeInfo(admin);
        assert.equal(active.text, 'Skip to main content', `first Tab stop is the skip link (got ${JSON.stringify(active)})`);
        assert.ok(await admin.locator('.skip-link').isVisible(), 'the skip link is visible when focused');
        await admin.keyboard.press('Enter');
        assert.equal((await activeInfo(admin)).id, 'main', 'the skip link moves focus to <main>');
        await admin.keyboard.press('Tab');
        assert.equal((await activeInfo(admin)).id, 'login-email', 'next Tab stop is the email field');
        await admin.keyboard.type(creds.email);
        await admin.keyboard.press('Tab');
        assert.equal((await activeInfo(admin)).id, 'login-password', 'then the password field');
        await admin.keyboard.type(creds.password);
        await admin.keyboard.press('Tab');
        active = await activeInfo(admin);
        assert.equal(active.text, 'Sign in', 'then the sign-in button');
        await admin.keyboard.press('Enter');
        await admin.waitForURL(`${BASE}/`);
        await h1(admin).filter({ hasText: 'Home' }).waitFor();
        assert.equal(await admin.locator('.user-name').textContent(), 'AdministratorAdmin', 'header shows the user and role');
        assert.match(await admin.locator('.brand-office').textContent(), /Main Office/);
      });

      await test('sign-in page passes axe, and a bad password shows the generic error', async () => {
        const page = await newPage(browser);
        await page.goto('/login');
        await h1(page).filter({ hasText: 'Sign in' }).waitFor();
        assert.equal(await page.title(), 'Sign in · Civitas');
        await axe(page, '/login');
        await page.getByLabel('Email', { exact: true }).fill(creds.email);
        await page.getByLabel('Password', { exact: true }).fill('definitely-not-the-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').filter({ hasText: 'Email or password is incorrect' }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/login');
        await axe(page, '/login with an error');
        // An empty form is refused in the browser by the contract's schema.
        await page.getByLabel('Email', { exact: true }).fill('');
        await page.getByLabel('Password', { exact: true }).fill('');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('#login-email-error').waitFor();
        assert.equal(await page.locator('#login-email').getAttribute('aria-invalid'), 'true');
        await page.context().close();
      });

      await test('throttled sign-in shows the throttling message', async () => {
        const page = await newPage(browser);
        const email = 'nobody-here@example.org';
        for (let i = 0; i < 10; i++) {
          const res = await page.request.post('/api/v1/auth/login', { data: { email, password: `wrong-${i}` } });
          assert.equal(res.status(), 401);
        }
        await signInViaUi(page, email, 'wrong-again');
        const alert = page.getByRole('alert').filter({ hasText: 'Too many failed sign-in attempts' });
        await alert.waitFor();
        assert.match(await alert.textContent(), /try again in about \d+ minutes?/);
        await page.context().close();
      });

      await test('every page: one h1, a unique title, focus on the h1, no axe violations', async () => {
        const seen = new Set();
        await admin.goto('/');
        await h1(admin).filter({ hasText: 'Home' }).waitFor();
        const labels = await nav(admin).getByRole('link').allTextContents();
        assert.deepEqual(labels, ['Home', 'Inbox', 'Log a contact', 'Cases', 'My tasks', 'Letters', 'Constituents', 'Duplicates', 'Insights', 'Users', 'Teams', 'API tokens', 'Audit log', 'Jobs', 'Case categories', 'Case workflow', 'Agencies', 'Assignment', 'Triage', 'Triage rules', 'Service levels', 'Weekly report', 'Reply templates', 'Custom fields', 'Boundaries', 'Email intake', 'SMS', 'Open311', 'Public web form', 'Office settings', 'My account'], 'an admin sees every page');
        await admin.getByRole('table', { name: /Business hours/ }).waitFor();
        const pages = [
          ['Users', '/admin/users', 'Users'],
          ['Teams', '/admin/teams', 'Teams'],
          ['API tokens', '/admin/tokens', 'API tokens'],
          ['Inbox', '/inbox', 'Inbox'],
          ['Log a contact', '/log-contact', 'Log a contact'],
          ['Audit log', '/admin/audit', 'Audit log'],
          ['Jobs', '/admin/jobs', 'Jobs'],
          ['Office settings', '/admin/office', 'Office settings'],
          ['My account', '/account', 'My account'],
          ['Home', '/', 'Home'],
        ];
        for (const [label, urlPath, heading] of pages) {
          await goNav(admin, label, urlPath, heading, seen);
          await axe(admin, urlPath);
        }
        await admin.goto('/no/such/page');
        await h1(admin).filter({ hasText: 'Page not found' }).waitFor();
        assert.ok(!seen.has(await admin.title()));
        await axe(admin, '404 page');
        await admin.goto('/api/docs');
        await h1(admin).filter({ hasText: 'API reference' }).waitFor();
        await axe(admin, '/api/docs');
        await admin.goto('/');
        await h1(admin).filter({ hasText: 'Home' }).waitFor();
      });

      await test('create a user and see the generated password once', async () => {
        await goNav(admin, 'Users', '/admin/users', 'Users');
        await admin.getByRole('button', { name: 'Add a user' }).click();
        await admin.locator('#new-user-email').fill('not-an-email');
        await admin.getByRole('button', { name: 'Create user' }).click();
        await admin.locator('#new-user-email-error').filter({ hasText: 'must be a valid email address' }).waitFor();
        await admin.getByRole('alert').getByRole('link', { name: /Email: must be a valid email address/ }).waitFor();
        await axe(admin, 'users page with form errors');
        await admin.locator('#new-user-email').fill('erin@example.org');
        await admin.locator('#new-user-name').fill('Erin Example');
        await admin.locator('#new-user-role').selectOption('caseworker');
        await admin.getByRole('button', { name: 'Create user' }).click();
        const notice = admin.getByRole('region', { name: 'User Erin Example created' });
        await notice.waitFor();
        const password = (await notice.locator('code.secret').textContent()).trim();
        assert.match(password, /^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/, 'a generated password is shown');
        assert.equal((await activeInfo(admin)).tag, 'section', 'the notice takes focus');
        await axe(admin, 'users page with a password notice');
        // The shown password really is the user's password.
        const probe = await playwrightRequest.newContext({ baseURL: BASE });
        assert.equal((await probe.post('/api/v1/auth/login', { data: { email: 'erin@example.org', password } })).status(), 200);
        await probe.dispose();
        await notice.getByRole('button', { name: 'Dismiss' }).click();
        assert.equal(await admin.getByText(password).count(), 0, 'the password is gone once dismissed');
        await admin.getByRole('row', { name: /Erin Example/ }).waitFor();
      });

      await test('edit a user, disable one with confirmation, reset a password', async () => {
        await admin.getByRole('button', { name: 'Add a user' }).click();
        await admin.locator('#new-user-email').fill('frank@example.org');
        await admin.locator('#new-user-name').fill('Frank Field');
        await admin.getByLabel('Password (optional)').fill('frank-password-123');
        await admin.getByRole('button', { name: 'Create user' }).click();
        await statusText(admin, 'User Frank Field created.').waitFor();
        await admin.getByRole('button', { name: 'Edit Frank Field' }).click();
        const dialog = admin.getByRole('dialog', { name: 'Edit Frank Field' });
        await dialog.waitFor();
        await axe(admin, 'edit user dialog');
        await dialog.getByLabel('Role').selectOption('volunteer');
        await dialog.getByLabel('Status').selectOption('disabled');
        await dialog.getByRole('button', { name: 'Save changes' }).click();
        await dialog.getByText('Disable Frank Field?').waitFor();
        await dialog.getByRole('button', { name: 'Disable user' }).click();
        await statusText(admin, 'Saved changes to Frank Field.').waitFor();
        const row = admin.getByRole('row', { name: /Frank Field/ });
        await row.getByText('Disabled').waitFor();
        await row.getByText('Volunteer').waitFor();
        // A disabled user cannot sign in.
        const probe = await playwrightRequest.newContext({ baseURL: BASE });
        assert.equal((await probe.post('/api/v1/auth/login', { data: { email: 'frank@example.org', password: 'frank-password-123' } })).status(), 401);
        await probe.dispose();

        await admin.getByRole('button', { name: 'Reset password for Erin Example' }).click();
        const confirm = admin.getByRole('dialog', { name: 'Reset the password of Erin Example?' });
        await confirm.waitFor();
        assert.equal((await activeInfo(admin)).text, 'Cancel', 'a confirmation starts on Cancel');
        await axe(admin, 'reset password confirmation');
        await confirm.getByRole('button', { name: 'Reset password' }).click();
        const notice = admin.getByRole('region', { name: 'New password for Erin Example' });
        await notice.waitFor();
        assert.match((await notice.locator('code.secret').textContent()).trim(), /^[A-Za-z0-9-]{23}$/);
        await notice.getByRole('button', { name: 'Dismiss' }).click();
      });

      await test('users: search, role filter and Load more', async () => {
        for (let i = 1; i <= 50; i++) {
          const n = String(i).padStart(2, '0');
          await apiCall(admin, 'POST', '/api/v1/users', { email: `bulk${n}@example.org`, displayName: `Bulk User ${n}`, role: 'analyst', password: `bulk-password-${n}-xyz` });
        }
        await admin.getByLabel('Search name or email').fill('Bulk');
        await admin.getByRole('button', { name: 'Apply filters' }).click();
        const rows = admin.getByRole('table', { name: 'Users' }).locator('tbody tr');
        await admin.getByRole('button', { name: 'Load more' }).waitFor();
        assert.equal(await rows.count(), 25, 'first page has 25 users');
        await admin.getByRole('button', { name: 'Load more' }).click();
        await admin.getByText('Showing 50 users.').waitFor();
        assert.equal(await rows.count(), 50);
        assert.equal(await admin.getByRole('button', { name: 'Load more' }).count(), 0, 'no more pages');
        await admin.getByLabel('Search name or email').fill('');
        await admin.locator('#users-role').selectOption('volunteer');
        await admin.getByRole('button', { name: 'Apply filters' }).click();
        await admin.getByText('Showing 1 users.').waitFor();
        assert.match(await rows.first().textContent(), /Frank Field/);
        await admin.getByRole('button', { name: 'Clear' }).click();
        await admin.getByText(/Showing 25 users; more available/).waitFor();
      });

      await test('create a team, add a member, rename it, delete another with confirmation', async () => {
        await goNav(admin, 'Teams', '/admin/teams', 'Teams');
        await admin.getByRole('button', { name: 'Add a team' }).click();
        await admin.getByLabel('Name').fill('Roads and Streets');
        await admin.getByLabel('Description (optional)').fill('Potholes, lighting and signs');
        await admin.getByRole('button', { name: 'Create team' }).click();
        await statusText(admin, 'Team Roads and Streets created.').waitFor();
        await admin.getByRole('button', { name: 'Edit members of Roads and Streets' }).click();
        const dialog = admin.getByRole('dialog', { name: 'Members of Roads and Streets' });
        await dialog.getByLabel('Erin Example is a member').waitFor();
        await axe(admin, 'team members dialog');
        await dialog.getByLabel('Erin Example is a member').check();
        await dialog.getByLabel('Erin Example manages the team').check();
        await dialog.getByRole('button', { name: 'Save members' }).click();
        await statusText(admin, 'Members of Roads and Streets saved.').waitFor();
        const card = admin.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: 'Roads and Streets' }) });
        await card.getByRole('list', { name: 'Members of Roads and Streets' }).getByText('Erin Example').waitFor();
        await card.getByText('Manager').waitFor();

        await admin.getByRole('button', { name: 'Rename Roads and Streets' }).click();
        const edit = admin.getByRole('dialog', { name: 'Edit team Roads and Streets' });
        await edit.getByLabel('Name').fill('Roads');
        await edit.getByRole('button', { name: 'Save changes' }).click();
        await admin.getByRole('heading', { name: 'Roads', exact: true }).waitFor();

        await admin.getByRole('button', { name: 'Add a team' }).click();
        await admin.getByLabel('Name').fill('Temporary');
        await admin.getByRole('button', { name: 'Create team' }).click();
        await statusText(admin, 'Team Temporary created.').waitFor();
        await admin.getByRole('button', { name: 'Delete Temporary' }).click();
        const confirm = admin.getByRole('dialog', { name: 'Delete team Temporary?' });
        await confirm.getByRole('button', { name: 'Delete team' }).click();
        await statusText(admin, 'Team Temporary deleted.').waitFor();
        await admin.getByRole('heading', { name: 'Temporary', exact: true }).waitFor({ state: 'detached' });
        await axe(admin, 'teams page with teams');
      });

      await test('create an API token, see its secret once, use it, revoke it', async () => {
        await goNav(admin, 'API tokens', '/admin/tokens', 'API tokens');
        await admin.getByRole('button', { name: 'Create a token' }).click();
        await admin.getByLabel('Name', { exact: true }).fill('CRM sync');
        await admin.getByRole('button', { name: 'Create token' }).click();
        await admin.locator('#token-scopes-error').waitFor();
        await axe(admin, 'token form with errors');
        await admin.getByLabel('office.read').check();
        await admin.getByLabel('user.read').check();
        await admin.getByLabel('Expires after (days, optional)').fill('30');
        await admin.getByRole('button', { name: 'Create token' }).click();
        const notice = admin.getByRole('region', { name: 'Token CRM sync created' });
        await notice.waitFor();
        const secret = (await notice.locator('code.secret').textContent()).trim();
        assert.match(secret, /^cvt_[A-Za-z0-9_-]{20,}$/);
        await axe(admin, 'tokens page with the secret');
        const bearer = await playwrightRequest.newContext({ baseURL: BASE, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
        assert.equal((await bearer.get('/api/v1/office')).status(), 200, 'the token works');
        assert.equal((await bearer.get('/api/v1/audit')).status(), 403, 'the token is limited to its scopes');
        await notice.getByRole('button', { name: 'Dismiss' }).click();
        await admin.reload();
        await h1(admin).filter({ hasText: 'API tokens' }).waitFor();
        const row = admin.getByRole('row', { name: /CRM sync/ });
        await row.waitFor();
        assert.ok(!(await admin.content()).includes(secret), 'the secret is never shown again');
        assert.ok(secret.startsWith((await row.locator('td').first().textContent()).trim()), 'the list shows the prefix');
        await row.getByRole('button', { name: 'Revoke CRM sync' }).click();
        await admin.getByRole('dialog', { name: 'Revoke token CRM sync?' }).getByRole('button', { name: 'Revoke token' }).click();
        await statusText(admin, 'Token CRM sync revoked.').waitFor();
        await row.getByText(/^Revoked/).waitFor();
        assert.equal((await bearer.get('/api/v1/office')).status(), 401, 'a revoked token is refused');
        await bearer.dispose();
      });

      await test('the audit log lists those events, filters them and expands changes', async () => {
        await goNav(admin, 'Audit log', '/admin/audit', 'Audit log');
        const table = admin.getByRole('table', { name: 'Audit events' });
        await table.waitFor();
        const expected = [
          ['user', 'created'],
          ['user', 'updated'],
          ['user', 'password_reset'],
          ['team', 'created'],
          ['team', 'members_changed'],
          ['team', 'deleted'],
          ['api_token', 'created'],
          ['api_token', 'revoked'],
        ];
        const rowsText = async () => (await table.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
        // The newest 50 events: enough for everything since the bulk users.
        const all = await rowsText();
        for (const [entity, action] of expected.filter(([e]) => e !== 'user')) {
          assert.ok(all.some((t) => t.includes(entity) && t.includes(` ${action}`)), `audit lists ${entity} ${action}`);
        }
        await admin.getByLabel('Entity type').fill('user');
        await admin.getByLabel('Action').fill('password_reset');
        await admin.getByRole('button', { name: 'Apply filters' }).click();
        await admin.getByText('Showing 1 events.').waitFor();
        await admin.getByLabel('Action').fill('');
        await admin.getByLabel('Entity type').fill('api_token');
        await admin.getByRole('button', { name: 'Apply filters' }).click();
        await admin.getByText('Showing 2 events.').waitFor();
        const tokenRows = await rowsText();
        assert.ok(tokenRows.every((t) => t.includes('api_token')));
        assert.ok(tokenRows[0].includes('revoked') && tokenRows[1].includes('created'), 'newest first');
        await table.getByText('Show changes').first().click();
        await table.locator('details[open] pre').first().waitFor();
        assert.match(await table.locator('details[open]').first().textContent(), /"revokedAt"/);
        await axe(admin, 'audit log with expanded changes');
        const today = new Date();
        const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        await admin.getByLabel('From date').fill(iso(today));
        await admin.getByLabel('To date').fill(iso(today));
        await admin.getByRole('button', { name: 'Apply filters' }).click();
        await admin.getByText('Showing 2 events.').waitFor();
        await admin.getByLabel('From date').fill(iso(new Date(today.getTime() + 86_400_000)));
        await admin.getByLabel('To date').fill('');
        await admin.getByRole('button', { name: 'Apply filters' }).click();
        await admin.getByText('No events match these filters.').waitFor();
        // Load more: all user events span more than one page of 50.
        await admin.getByRole('button', { name: 'Clear' }).click();
        await admin.getByLabel('Entity type').fill('user');
        await admin.getByRole('button', { name: 'Apply filters' }).click();
        await admin.getByText('Showing 50 events; more available.').waitFor();
        await admin.getByRole('button', { name: 'Load more' }).click();
        await admin.getByText(/Showing \d+ events\.$/).waitFor();
        const users = await rowsText();
        assert.ok(users.length > 50);
        for (const [, action] of expected.filter(([e]) => e === 'user')) {
          assert.ok(users.some((t) => t.includes(` ${action}`)), `audit lists user ${action}`);
        }
      });

      await test('office settings: validation, rename the office, edit business hours', async () => {
        await goNav(admin, 'Office settings', '/admin/office', 'Office settings');
        await admin.getByLabel('Time zone').fill('Mars/Olympus_Mons');
        await admin.getByRole('button', { name: 'Save settings' }).click();
        await admin.locator('#office-tz-error').filter({ hasText: 'must be an IANA time zone' }).waitFor();
        await axe(admin, 'office settings with an error');
        await admin.getByLabel('Time zone').fill('Europe/Paris');
        await admin.getByLabel('Office name').fill('Riverside Council Office');
        await admin.getByRole('button', { name: 'Add opening hours on Saturday' }).click();
        await admin.getByLabel('Opens (Saturday, period 1)').fill('10:00');
        await admin.getByLabel('Closes (Saturday, period 1)').fill('13:00');
        await admin.getByRole('button', { name: 'Save settings' }).click();
        await statusText(admin, 'Settings saved').waitFor();
        await admin.locator('.brand-office').filter({ hasText: 'Riverside Council Office' }).waitFor();
        await goNav(admin, 'Home', '/', 'Home');
        const hours = admin.getByRole('table', { name: /Business hours \(Europe\/Paris\)/ });
        await hours.getByRole('row', { name: /Saturday/ }).getByText('10:00–13:00').waitFor();
        await hours.getByRole('row', { name: /Sunday/ }).getByText('Closed').waitFor();
        await admin.getByText('Riverside Council Office', { exact: true }).first().waitFor();
      });

      await test('jobs page shows queue statistics and the failed-jobs list', async () => {
        await goNav(admin, 'Jobs', '/admin/jobs', 'Jobs');
        await admin.getByRole('heading', { name: 'Queues' }).waitFor();
        await admin.getByRole('heading', { name: 'Failed jobs' }).waitFor();
        await idle(admin);
        const hasQueues = (await admin.getByRole('table', { name: 'Jobs per queue' }).count()) + (await admin.getByText('No jobs have run for this office yet.').count());
        assert.equal(hasQueues, 1, 'queues table or its empty state');
        const hasFailed = (await admin.getByRole('table', { name: 'Jobs that failed after all retries' }).count()) + (await admin.getByText(/No failed jobs/).count());
        assert.equal(hasFailed, 1, 'failed-jobs table or its empty state');
      });

      await test('a caseworker sees only the pages their role allows', async () => {
        await apiCall(admin, 'POST', '/api/v1/users', { email: 'cara@example.org', displayName: 'Cara Case', role: 'caseworker', password: 'cara-password-1234' });
        const page = await newPage(browser);
        state.cara = page;
        await signInViaUi(page, 'cara@example.org', 'cara-password-1234');
        await h1(page).filter({ hasText: 'Home' }).waitFor();
        assert.deepEqual(await nav(page).getByRole('link').allTextContents(), ['Home', 'Inbox', 'Log a contact', 'Cases', 'My tasks', 'Letters', 'Constituents', 'Users', 'Teams', 'Reply templates', 'My account']);
        // Caseworkers draft reply templates; approving, renaming and retiring are for managers and admins.
        await apiCall(admin, 'POST', '/api/v1/reply-templates', { name: 'Caseworker draft', subject: 'Hello', body: 'Draft for review' });
        await goNav(page, 'Reply templates', '/admin/reply-templates', 'Reply templates');
        await page.getByRole('button', { name: 'Edit draft English (en) text of Caseworker draft' }).waitFor();
        assert.equal(await page.getByRole('button', { name: /^(Approve|Retire|Edit details)/ }).count(), 0, 'no approve, retire or details buttons without those permissions');
        await goNav(page, 'Users', '/admin/users', 'Users');
        await page.getByRole('table', { name: 'Users' }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Add a user' }).count(), 0, 'no create button without user.manage');
        assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 0, 'no edit buttons without user.manage');
        await page.goto('/admin/tokens');
        await h1(page).filter({ hasText: 'You do not have access to this page' }).waitFor();
        await axe(page, 'forbidden page');
      });

      await test('change password, sign out, sign in with the new password', async () => {
        const page = state.cara;
        await goNav(page, 'My account', '/account', 'My account');
        await page.getByLabel('Current password').fill('cara-password-1234');
        await page.getByLabel('New password', { exact: true }).fill('cara-new-password-5678');
        await page.getByLabel('Repeat new password').fill('something-else-entirely');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.locator('#pw-confirm-error').waitFor();
        await page.getByLabel('Current password').fill('wrong-current-password');
        await page.getByLabel('Repeat new password').fill('cara-new-password-5678');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.getByRole('alert').waitFor();
        await axe(page, 'account page with an error');
        await page.getByLabel('Current password').fill('cara-password-1234');
        await page.getByRole('button', { name: 'Change password' }).click();
        await statusText(page, 'Your password has been changed.').waitFor();
        await page.getByRole('button', { name: 'Sign out', exact: true }).click();
        await page.waitForURL(`${BASE}/login`);
        await statusText(page, 'You have signed out.').waitFor();
        assert.equal((await page.request.get('/api/v1/auth/session')).status(), 401, 'the session is gone');
        await signInViaUi(page, 'cara@example.org', 'cara-password-1234');
        await page.getByRole('alert').filter({ hasText: 'Email or password is incorrect' }).waitFor();
        await page.getByLabel('Password', { exact: true }).fill('cara-new-password-5678');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await h1(page).filter({ hasText: 'Home' }).waitFor();
        await page.context().close();
      });

      await test('sign out everywhere ends other sessions; a 401 leads to sign-in and back', async () => {
        const other = await newPage(browser);
        await signInViaUi(other, creds.email, creds.password);
        await h1(other).filter({ hasText: 'Home' }).waitFor();
        await goNav(admin, 'My account', '/account', 'My account');
        await admin.getByRole('button', { name: 'Sign out everywhere' }).click();
        const dialog = admin.getByRole('dialog', { name: 'Sign out of every session?' });
        await axe(admin, 'sign out everywhere confirmation');
        await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
        await admin.waitForURL(`${BASE}/login`);
        await statusText(admin, /You have signed out of [2-9] sessions/).waitFor();
        // The other browser's session is gone: its next request is a 401 → sign in → back.
        await nav(other).getByRole('link', { name: 'Teams', exact: true }).click();
        await other.waitForURL(`${BASE}/login`);
        await statusText(other, 'Your session has ended').waitFor();
        await other.getByLabel('Email', { exact: true }).fill(creds.email);
        await other.getByLabel('Password', { exact: true }).fill(creds.password);
        await other.getByRole('button', { name: 'Sign in' }).click();
        await other.waitForURL(`${BASE}/admin/teams`);
        await h1(other).filter({ hasText: 'Teams' }).waitFor();
        await other.context().close();
      });
    }

    // Each module's browser tests live in e2e/specs/*.js and export run(ctx); they sign in
    // with their own pages, so they do not depend on the state of the tests above.
    const specDir = new URL('./specs/', import.meta.url);
    // `npm run test:e2e -- cases` runs only the specs whose names contain one of the words.
    const only = process.argv.slice(2);
    const specs = shardOf(fs.existsSync(specDir)
      ? fs.readdirSync(specDir).filter((f) => f.endsWith('.js') && (!only.length || only.some((w) => f.includes(w)))).sort()
      : [], shard);
    // cases.js counts every case of the office (select all, filters): it runs before the
    // other specs add cases of their own.
    if (specs.includes('cases.js')) specs.unshift(...specs.splice(specs.indexOf('cases.js'), 1));
    for (const file of specs) {
      const spec = await import(new URL(file, specDir).href);
      await spec.run({ browser, baseUrl: BASE, creds });
    }

    await test('no script errors or CSP violations in any page', async () => {
      assert.deepEqual(pageErrors, []);
    });
  } finally {
    await browser.close().catch(() => {});
  }
}

let fatal;
try {
  await main();
} catch (err) {
  fatal = err;
  console.log(`✖ e2e setup failed: ${err?.stack ?? err}`);
} finally {
  await stopServer();
}
process.exitCode = summary(fatal) ? 1 : 0;
