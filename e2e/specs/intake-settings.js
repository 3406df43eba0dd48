// Browser tests of the intake channel settings, each checked against what it controls: the
// admin pages are in the navigation (all but SMS for a manager), pass axe and reach their main
// actions by keyboard; an intake address is added (a +tag refused at the field) and removed;
// an IMAP mailbox on a closed local port is added by keyboard, its failed poll and connection
// test show the reason, it is edited keeping its password, and it is removed; SMS settings are
// saved, come back without the token, and the webhook URL shown accepts a text signed with
// that token; a category is published over Open311 with a list attribute and appears in the
// public service list, and an API key is shown once, posts a report, and is refused once
// revoked; the public web form is turned off and on and its address follows.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import net from 'node:net';
import { request as playwrightRequest } from 'playwright-core';
import { activeInfo, apiCall, axe, goNav, h1, nav, newPage, signInViaUi, statusText, test } from '../harness.js';

const PAGES = [
  // [navigation label, path, main actions reached by Tab from the heading, in order]
  ['Email intake', '/admin/email-intake', ['Add address', 'Add a mailbox']],
  ['SMS', '/admin/sms', ['Save SMS settings']],
  ['Open311', '/admin/open311', ['Create key']],
  ['Public web form', '/admin/web-form', ['Save form settings']],
];

/** A local port nothing listens on (taken from the system, then released). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Presses Tab until the focused element's text (or id) is `target`; fails after `max` presses. */
async function tabTo(page, target, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const active = await activeInfo(page);
    if (active.text === target || active.id === target) return active;
  }
  throw new Error(`Tab did not reach "${target}" in ${max} presses (now at ${JSON.stringify(await activeInfo(page))})`);
}

/** Fills fields by their exact labels: a value typed into inputs, an option chosen in selects. */
async function fillIn(scope, fields) {
  for (const [label, value] of Object.entries(fields)) {
    const field = scope.getByLabel(label, { exact: true });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

/** Submits with `button` and expects the refusal beside the control `id` (marked invalid), then runs axe. */
async function refusedAt(page, scope, button, id, text, label) {
  await scope.getByRole('button', { name: button }).click();
  await scope.locator(`#${id}-error`).filter({ hasText: text }).waitFor();
  const control = scope.locator(`#${id}`);
  if (await control.evaluate((el) => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName))) assert.equal(await control.getAttribute('aria-invalid'), 'true', `#${id} is marked invalid`);
  await axe(page, label);
}

/** Opens a confirmation with `opener`, checks that it starts on Cancel and passes axe, then confirms. */
async function confirmWith(page, opener, title, confirmLabel) {
  await opener.click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  assert.equal((await activeInfo(page)).text, 'Cancel', `"${title}" starts on Cancel`);
  await axe(page, title);
  await dialog.getByRole('button', { name: confirmLabel }).click();
}

/** Twilio's webhook signature: the URL, then each parameter name and value sorted by name, HMAC-SHA1, base64. */
function twilioSigned(token, url, fields) {
  const data = url + Object.keys(fields).sort().map((k) => k + fields[k]).join('');
  return { body: new URLSearchParams(fields).toString(), signature: createHmac('sha1', token).update(data, 'utf8').digest('base64') };
}

export async function run({ browser, baseUrl, creds }) {
  let admin;
  const state = {};
  const anonymous = () => playwrightRequest.newContext({ baseURL: baseUrl });

  await test('intake settings: the pages are in the admin navigation, pass axe and reach their main actions by keyboard; a manager has all but SMS', async () => {
    admin = await newPage(browser);
    await signInViaUi(admin, creds.email, creds.password);
    await h1(admin).filter({ hasText: 'Home' }).waitFor();
    const session = await apiCall(admin, 'GET', '/api/v1/auth/session');
    state.slug = session.office.slug;
    state.officeId = session.office.id;
    state.officeName = session.office.name;
    const seen = new Set();
    for (const [label, urlPath, actions] of PAGES) {
      await goNav(admin, label, urlPath, label, seen);
      await axe(admin, urlPath);
      // goNav left focus on the h1: the page's main actions follow it in the Tab order.
      for (const action of actions) await tabTo(admin, action);
    }

    await apiCall(admin, 'POST', '/api/v1/users', { email: 'mia.intake@example.org', displayName: 'Mia Intake', role: 'manager', password: 'mia-password-1234' });
    const manager = await newPage(browser);
    await signInViaUi(manager, 'mia.intake@example.org', 'mia-password-1234');
    await h1(manager).filter({ hasText: 'Home' }).waitFor();
    const labels = await nav(manager).getByRole('link').allTextContents();
    for (const label of ['Email intake', 'Open311', 'Public web form']) assert.ok(labels.includes(label), `a manager (intake.configure) has ${label}`);
    assert.ok(!labels.includes('SMS'), 'SMS needs sms.configure, which managers do not have');
    await goNav(manager, 'Open311', '/admin/open311', 'Open311');
    await manager.goto('/admin/sms');
    await h1(manager).filter({ hasText: 'You do not have access to this page' }).waitFor();
    await manager.getByText('sms.configure').waitFor();
    await manager.context().close();
  });

  await test('email intake: an address with a +tag is refused at its field; addresses are added, chosen for replies and removed after a confirmation', async () => {
    await goNav(admin, 'Email intake', '/admin/email-intake', 'Email intake');
    const field = admin.getByLabel('Address', { exact: true });
    await field.fill('help+cases@intake-settings.example');
    await refusedAt(admin, admin, 'Add address', 'intake-address', 'must not contain a +tag', 'email intake with a field error');
    await admin.getByRole('alert').getByRole('link', { name: /Address: must not contain a \+tag/ }).click();
    assert.equal((await activeInfo(admin)).id, 'intake-address', 'the summary links to the field');

    await field.fill('help@intake-settings.example');
    await admin.getByRole('button', { name: 'Add address' }).click();
    await statusText(admin, 'help@intake-settings.example added.').waitFor();
    await field.fill('old@intake-settings.example');
    await admin.getByRole('checkbox', { name: /Acknowledge: send the case reference back/ }).uncheck();
    await admin.getByRole('button', { name: 'Add address' }).click();
    await statusText(admin, 'old@intake-settings.example added.').waitFor();
    const table = admin.getByRole('table', { name: 'Addresses the office receives mail at' });
    const old = table.getByRole('row', { name: /old@intake-settings\.example/ });
    await old.getByRole('cell', { name: 'Off', exact: true }).waitFor();
    await old.getByRole('button', { name: 'Use for replies (old@intake-settings.example)' }).click();
    await statusText(admin, 'Replies to mail about cases now come back to old@intake-settings.example.').waitFor();
    await old.getByText('Replies come back here', { exact: true }).waitFor();
    let stored = (await apiCall(admin, 'GET', '/api/v1/intake/addresses')).items;
    const pick = (address) => stored.find((a) => a.address === address);
    assert.deepEqual([pick('old@intake-settings.example')?.acknowledge, pick('old@intake-settings.example')?.useForReplies], [false, true]);
    assert.deepEqual([pick('help@intake-settings.example')?.acknowledge, pick('help@intake-settings.example')?.useForReplies], [true, false]);

    await confirmWith(admin, old.getByRole('button', { name: 'Remove old@intake-settings.example' }), 'Remove old@intake-settings.example?', 'Remove address');
    await statusText(admin, 'old@intake-settings.example removed').waitFor();
    await old.waitFor({ state: 'detached' });
    stored = (await apiCall(admin, 'GET', '/api/v1/intake/addresses')).items;
    assert.ok(!stored.some((a) => a.address === 'old@intake-settings.example'), 'the address is gone');
    assert.ok(stored.some((a) => a.address === 'help@intake-settings.example'));
  });

  await test('email intake: a mailbox on a closed port is added by keyboard; its failed poll and connection test give the reason; edited, it keeps its password; then it is removed', async () => {
    const port = await closedPort();
    const address = 'imap-e2e@intake-settings.example';
    await admin.getByRole('button', { name: 'Add a mailbox' }).focus();
    await admin.keyboard.press('Enter');
    const dialog = admin.getByRole('dialog', { name: 'Add a mailbox' });
    await dialog.waitFor();
    assert.equal((await activeInfo(admin)).id, 'mailbox-address', 'the dialog starts at its first field');
    await admin.keyboard.type(address);
    await admin.keyboard.press('Tab');
    await admin.keyboard.type('imap.intake-settings.example');
    await fillIn(dialog, { Security: 'none', Port: String(port), 'User name': 'casework', Password: 'imap-secret-password' });
    // Cleartext to another machine: the server's rule, shown at the field it names.
    await refusedAt(admin, dialog, 'Add mailbox', 'mailbox-tls', 'only allowed to localhost', 'mailbox dialog with a server field error');
    await dialog.getByLabel('IMAP server').fill('127.0.0.1');
    await dialog.getByRole('button', { name: 'Add mailbox' }).click();
    await statusText(admin, `Mailbox ${address} added: it is being read now.`).waitFor();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await activeInfo(admin)).text, 'Add a mailbox', 'focus returns to the button that opened the dialog');

    const card = admin.getByRole('list', { name: 'Mailboxes' }).getByRole('listitem').filter({ has: admin.getByRole('heading', { name: new RegExp(address) }) });
    await card.getByText(`127.0.0.1:${port} (cleartext)`).waitFor();
    await card.getByText('Stored (never shown)').waitFor();
    // The poll queued on saving fails; the page looks again until it has an outcome.
    await card.getByText(`The last poll failed`).waitFor({ timeout: 45_000 });
    await card.getByText(`Connection refused by 127.0.0.1:${port}`).waitFor();
    await card.getByRole('button', { name: `Test connection of ${address}` }).click();
    const failed = card.getByRole('alert');
    await failed.waitFor();
    assert.match(await failed.innerText(), new RegExp(`^Connection test failed: Connection refused by 127\\.0\\.0\\.1:${port}: is the host and port right`));
    await axe(admin, 'email intake with a mailbox and a failed test');

    await card.getByRole('button', { name: `Edit mailbox ${address}` }).click();
    const edit = admin.getByRole('dialog', { name: `Edit mailbox ${address}` });
    await edit.waitFor();
    assert.equal(await edit.getByLabel('Password').inputValue(), '', 'the stored password is never shown');
    await edit.getByText('A password is stored and never shown. Leave this blank to keep it.').waitFor();
    assert.ok(!(await admin.content()).includes('imap-secret-password'), 'nor is it anywhere in the page');
    await fillIn(edit, { 'Folder to read': 'Casework', 'After a message is stored': 'move' });
    await refusedAt(admin, edit, 'Save mailbox', 'mailbox-move-to', 'moveTo is required when afterStore is "move"', 'mailbox edit dialog with a field error');
    await edit.getByLabel('Folder to move it to').fill('Casework/Done');
    await edit.getByRole('button', { name: 'Save mailbox' }).click();
    await statusText(admin, `Mailbox ${address} saved.`).waitFor();
    await card.getByText('Move to Casework/Done').waitFor();
    const saved = (await apiCall(admin, 'GET', '/api/v1/intake/mailboxes')).items.find((m) => m.address === address);
    assert.deepEqual([saved.mailbox, saved.afterStore, saved.moveTo, saved.hasPassword], ['Casework', 'move', 'Casework/Done', true]);
    const events = (await apiCall(admin, 'GET', `/api/v1/audit?entityType=intake_mailbox&entityId=${saved.id}&action=updated`)).items;
    assert.equal(events[0]?.after?.passwordChanged, false, 'the blank password kept the stored one');

    await confirmWith(admin, card.getByRole('button', { name: `Stop reading ${address}` }), `Stop reading ${address}?`, 'Stop reading mailbox');
    await statusText(admin, `Mailbox ${address} (casework@127.0.0.1) is no longer read.`).waitFor();
    await card.waitFor({ state: 'detached' });
    assert.ok(!(await apiCall(admin, 'GET', '/api/v1/intake/mailboxes')).items.some((m) => m.id === saved.id), 'the mailbox is gone');
  });

  await test('SMS: errors at their fields; saved settings come back without the token, and the webhook URL shown takes a text signed with it', async () => {
    await goNav(admin, 'SMS', '/admin/sms', 'SMS');
    await admin.getByText('SMS is not set up yet.').waitFor();
    const sid = `AC${'0123456789abcdef'.repeat(2)}`;
    const token = 'e2e-auth-token-0123456789abcdef';
    await fillIn(admin, { 'Account SID': 'AC123', 'Number texts come from': '07700 900123', 'Answer to HELP': 'Casework texts. Call 0300 555 0100. Reply STOP to stop.' });
    await refusedAt(admin, admin, 'Save SMS settings', 'sms-account-sid', 'must be an account SID', 'SMS settings with a field error');
    // Without a token the first time: the server names the field.
    await admin.getByLabel('Account SID').fill(sid);
    await refusedAt(admin, admin, 'Save SMS settings', 'sms-auth-token', 'authToken is required when SMS is first set up', 'SMS settings without a token');
    await admin.getByLabel('Auth token').fill(token);
    await admin.getByRole('button', { name: 'Save SMS settings' }).click();
    await statusText(admin, 'SMS settings saved').waitFor();

    await admin.reload();
    await h1(admin).filter({ hasText: 'SMS' }).waitFor();
    await admin.getByRole('heading', { name: 'Webhooks at the provider' }).waitFor();
    assert.equal(await admin.getByLabel('Account SID').inputValue(), sid);
    assert.equal(await admin.getByLabel('Number texts come from').inputValue(), '+447700900123', 'the number is stored as E.164');
    assert.equal(await admin.getByLabel('Auth token').inputValue(), '', 'the token is not shown back');
    await admin.getByText('A token is stored and never shown. Leave this blank to keep it.').waitFor();
    assert.ok(!(await admin.content()).includes(token), 'the token is nowhere in the page');
    const webhook = `http://localhost:${new URL(baseUrl).port}/webhooks/sms/twilio/${state.officeId}`;
    const urls = await admin.locator('.copy-text-value').allTextContents();
    assert.deepEqual(urls, [webhook, `${webhook}/status`], 'the webhook URLs of this office (PUBLIC_URL is unset, so localhost)');
    await admin.getByText('These addresses name this machine only').waitFor();
    await axe(admin, 'SMS settings saved');

    // A change without the token keeps it: texts signed with it are still accepted.
    await admin.getByRole('checkbox', { name: /Send texts/ }).uncheck();
    await admin.getByRole('button', { name: 'Save SMS settings' }).click();
    await statusText(admin, 'SMS settings saved').waitFor();
    assert.deepEqual(await apiCall(admin, 'GET', '/api/v1/sms/settings').then((s) => [s.enabled, s.hasAuthToken]), [false, true]);
    const fields = { MessageSid: `SM${'fedcba9876543210'.repeat(2)}`, AccountSid: sid, From: '+447700900456', To: '+447700900123', Body: 'Bin not collected on Mill Lane' };
    const path = new URL(webhook).pathname;
    const provider = await anonymous();
    const forged = twilioSigned('not-the-token-0123456789', webhook, fields);
    assert.equal((await provider.post(path, { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': forged.signature }, data: forged.body })).status(), 403, 'a text signed with another token is refused');
    const signed = twilioSigned(token, webhook, fields);
    const res = await provider.post(path, { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature }, data: signed.body });
    assert.equal(res.status(), 200, `the webhook accepts a text signed with the saved token: ${await res.text()}`);
    await provider.dispose();
    // Stored at once, read by the job worker a moment later.
    let text;
    for (let i = 0; i < 150 && !text; i++) {
      text = (await apiCall(admin, 'GET', '/api/v1/inbox?status=all&channel=sms')).items.find((item) => item.senderAddress === '+447700900456');
      if (!text) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(text, 'the text reaches the inbox');
    assert.match(text.snippet, /Bin not collected on Mill Lane/);
  });

  await test('Open311: a category is published with a list attribute (errors at the fields) and is in the public service list; a key is shown once, posts, and is refused once revoked', async () => {
    await apiCall(admin, 'POST', '/api/v1/case-categories', { name: 'Road potholes' });
    await goNav(admin, 'Open311', '/admin/open311', 'Open311');
    const services = admin.getByRole('table', { name: 'Case categories and their Open311 services' });
    const row = services.getByRole('row', { name: /Road potholes/ });
    await row.getByText('Not published').waitFor();
    await row.getByRole('button', { name: 'Publish Road potholes' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Publish Road potholes as an Open311 service' });
    await dialog.waitFor();
    await dialog.getByLabel('Service code').fill('pot,hole');
    await dialog.getByRole('button', { name: 'Add an attribute' }).click();
    assert.match((await activeInfo(admin)).id, /^svc-attr-\d+-code$/, 'a new attribute takes focus at its code');
    await admin.keyboard.type('depth');
    await fillIn(dialog, { Question: 'How deep is it?', 'Type of answer': 'singlevaluelist' });
    await refusedAt(admin, dialog, 'Publish service', 'svc-service-code', 'must not contain commas', 'Open311 service dialog with errors');
    const values = dialog.getByLabel('Values to choose from');
    assert.equal(await values.getAttribute('aria-invalid'), 'true', 'the attribute without values is marked too');
    await dialog.locator(`#${await values.getAttribute('id')}-error`).filter({ hasText: 'a singlevaluelist needs values' }).waitFor();
    await fillIn(dialog, { 'Service code': 'pothole', Keywords: 'road, hole', Group: 'Streets', 'Values to choose from': 'shallow = Less than 5 cm\ndeep = Deeper than 5 cm' });
    await dialog.getByLabel('An answer is required').check();
    await dialog.getByRole('button', { name: 'Publish service' }).click();
    await statusText(admin, 'Road potholes published as Open311 service pothole.').waitFor();
    await row.getByRole('cell', { name: 'pothole', exact: true }).waitFor();
    await row.getByRole('cell', { name: 'depth', exact: true }).waitFor();

    const client = await anonymous();
    const list = await (await client.get(`/open311/v2/services.json?jurisdiction_id=${state.slug}`)).json();
    assert.deepEqual(list.find((s) => s.service_code === 'pothole'), { service_code: 'pothole', service_name: 'Road potholes', description: '', metadata: true, type: 'realtime', keywords: 'road,hole', group: 'Streets' });
    const definition = await (await client.get(`/open311/v2/services/pothole.json?jurisdiction_id=${state.slug}`)).json();
    assert.deepEqual(definition.attributes.map((a) => [a.code, a.datatype, a.required, a.description, a.values.map((v) => v.key)]), [['depth', 'singlevaluelist', true, 'How deep is it?', ['shallow', 'deep']]]);
    await axe(admin, 'Open311 with a published service');

    // A key, by keyboard: its secret once, with focus on it.
    await admin.getByLabel('Name', { exact: true }).focus();
    await admin.keyboard.type('City app');
    await admin.keyboard.press('Enter');
    const notice = admin.getByRole('region', { name: 'Key City app created' });
    await notice.waitFor();
    assert.equal((await activeInfo(admin)).tag, 'section', 'the secret notice takes focus');
    const secret = (await notice.locator('code.secret').textContent()).trim();
    assert.match(secret, /^o311_/);
    await axe(admin, 'Open311 with a new key');
    const report = (key) => ({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: new URLSearchParams({ api_key: key, jurisdiction_id: state.slug, service_code: 'pothole', lat: '52.45', long: '-1.26', description: 'Deep pothole by the school gate', 'attribute[depth]': 'deep' }).toString(),
    });
    const posted = await client.post('/open311/v2/requests.json', report(secret));
    assert.equal(posted.status(), 201, `a report posted with the key is taken: ${await posted.text()}`);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal((await activeInfo(admin)).id, 'open311-key-name', 'focus goes back to the key form');
    await admin.reload();
    await h1(admin).filter({ hasText: 'Open311' }).waitFor();
    const keyRow = admin.getByRole('table', { name: 'Open311 API keys' }).getByRole('row', { name: /City app/ });
    await keyRow.waitFor();
    assert.ok(!(await admin.content()).includes(secret), 'the secret is never shown again');
    assert.ok(secret.startsWith((await keyRow.locator('code').textContent()).replace('…', '')), 'the list shows how it starts');
    assert.notEqual((await keyRow.locator('td').nth(2).textContent()).trim(), 'Never', 'the key shows it was used');

    await keyRow.getByRole('button', { name: 'Revoke key City app' }).focus();
    await admin.keyboard.press('Enter');
    const confirm = admin.getByRole('dialog', { name: 'Revoke key City app?' });
    await confirm.waitFor();
    assert.equal((await activeInfo(admin)).text, 'Cancel');
    await admin.keyboard.press('Shift+Tab');
    assert.equal((await activeInfo(admin)).text, 'Revoke key');
    await admin.keyboard.press('Enter');
    await statusText(admin, 'Key City app revoked').waitFor();
    await keyRow.getByText(/^Revoked/).waitFor();
    assert.equal((await client.post('/open311/v2/requests.json', report(secret))).status(), 403, 'a revoked key is refused');

    await confirmWith(admin, row.getByRole('button', { name: 'Withdraw Road potholes' }), 'Withdraw Road potholes from Open311?', 'Withdraw service');
    await statusText(admin, 'Road potholes is no longer published over Open311.').waitFor();
    await row.getByText('Not published').waitFor();
    const after = await (await client.get(`/open311/v2/services.json?jurisdiction_id=${state.slug}`)).json();
    assert.ok(!after.some((s) => s.service_code === 'pothole'), 'the withdrawn service leaves the public list');
    await client.dispose();
  });

  await test('public web form: turned off and on from its page, its address follows; a choice of no categories is refused at the field; one category is offered', async () => {
    await goNav(admin, 'Public web form', '/admin/web-form', 'Public web form');
    const formUrl = `${baseUrl}/forms/${state.slug}`;
    assert.deepEqual((await admin.locator('.copy-text-value').allTextContents())[0], formUrl, 'the page shows the form address');
    assert.match((await admin.locator('pre.copy-text-value').textContent()), new RegExp(`^<iframe src="${formUrl.replace(/[.]/g, '\\.')}" title="Make a request to ${state.officeName}"`));
    const resident = await anonymous();
    const fetchForm = () => resident.get(`/forms/${state.slug}`, { headers: { accept: 'text/html' } });
    const accept = admin.getByLabel('Accept requests through the public form');
    // The confirmation reads the same after each save while the form is on: wait for the save itself.
    const saved = async (action) => {
      const [res] = await Promise.all([admin.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/api/v1/intake/public-form')), action]);
      assert.equal(res.status(), 200, `the settings were saved: ${await res.text()}`);
    };
    const save = () => saved(admin.getByRole('button', { name: 'Save form settings' }).click());

    // By keyboard: the switch is the first stop after the heading, then on to the save button.
    await admin.getByRole('heading', { name: 'Settings' }).waitFor();
    await h1(admin).focus();
    await admin.keyboard.press('Tab');
    assert.ok(await accept.evaluate((el) => el === document.activeElement), 'Tab from the heading reaches the switch');
    if (await accept.isChecked()) await admin.keyboard.press('Space');
    assert.equal(await accept.isChecked(), false);
    await tabTo(admin, 'Save form settings');
    await saved(admin.keyboard.press('Enter'));
    await statusText(admin, 'The public form is off').waitFor();
    await admin.getByText('The form is off: these addresses answer “not found” until you turn it on.').waitFor();
    assert.equal((await fetchForm()).status(), 404, 'while off, the form answers 404');
    await axe(admin, 'public web form, off');

    await accept.check();
    await save();
    await statusText(admin, `The public form is on, at ${formUrl}.`).waitFor();
    const on = await fetchForm();
    assert.equal(on.status(), 200, 'once on, the form is served');
    assert.match(await on.text(), /Make a request/);

    await admin.getByLabel('Only the categories chosen here').check();
    await refusedAt(admin, admin, 'Save form settings', 'public-form-categories', 'choose at least one category', 'public web form with a field error');
    await admin.getByRole('checkbox', { name: 'Road potholes' }).check();
    await save();
    const offered = await (await resident.get(`/api/v1/public/${state.slug}/categories`)).json();
    assert.deepEqual(offered.items.map((c) => c.name), ['Road potholes'], 'the form offers the chosen category only');

    await admin.getByLabel('Every current category').check();
    await save();
    const all = await (await resident.get(`/api/v1/public/${state.slug}/categories`)).json();
    const current = (await apiCall(admin, 'GET', '/api/v1/case-categories')).items;
    assert.deepEqual(all.items.map((c) => c.id).sort(), current.map((c) => c.id).sort(), 'every current category is offered again');
    assert.deepEqual(await apiCall(admin, 'GET', '/api/v1/intake/public-form'), { enabled: true, categoryIds: null });
    await resident.dispose();
    await admin.context().close();
  });
}
