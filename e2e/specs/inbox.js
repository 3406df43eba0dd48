// Browser tests of the staff inbox, fed through the real intake: an intake address is added
// and raw emails are posted to the intake endpoint, then processed by the server's job
// worker. A caseworker sees the first email of a new sender filed on a new case (the sender a
// provisional record), the second wait in Open with that case suggested and attaches it by
// keyboard, marks a third as spam and undoes it, opens a case from it in a dialog and confirms
// the sender; an admin merges a new sender into the record they already have, and merges a
// web form request carrying a known email (filed apart, on a provisional record, with the
// record on file as a possible match) into that record. The inbox's count is in the
// navigation link's name. Axe on every screen.
import assert from 'node:assert/strict';
import {
  activeInfo, apiCall, axe, deliver, h1, mime as mimeTo, nav, newPage, signInViaUi, statusText, test, waitForItem as waitFor,
} from '../harness.js';

const ITEM_PATH = /\/inbox\/([0-9a-f-]{36})$/;
const ADDRESS = 'help@inbox-e2e.example';
const ADA = 'Ada Lovelace <ada.lovelace@resident.example>';

/** A raw email to the office's intake address. */
const mime = (message) => mimeTo({ ...message, to: ADDRESS });

export async function run({ browser, creds }) {
  let admin;
  let page;
  const state = {};
  const table = () => page.getByRole('table', { name: /messages, newest first/ });
  const toolbar = () => page.getByRole('group', { name: 'Actions on this message' });

  await test('inbox: an email from a new sender opens a case, filed with the sender as a provisional record', async () => {
    admin = await newPage(browser);
    await signInViaUi(admin, creds.email, creds.password);
    await h1(admin).filter({ hasText: 'Home' }).waitFor();
    state.adminName = (await apiCall(admin, 'GET', '/api/v1/auth/session')).user.displayName;
    await apiCall(admin, 'POST', '/api/v1/intake/addresses', { address: ADDRESS, acknowledge: false });
    await apiCall(admin, 'POST', '/api/v1/users', { email: 'ivo.inbox@example.org', displayName: 'Ivo Inbox', role: 'caseworker', password: 'ivo-password-1234' });

    const first = await deliver(admin, mime({ n: 1, from: ADA, subject: 'Streetlight out on Elm Road', text: 'The streetlight outside 4 Elm Road has been out for a week.' }));
    assert.equal(first.status, 'filed', 'a new sender without open cases gets a case at once');
    assert.ok(first.case, 'the item is filed on the new case');
    assert.deepEqual({ name: first.constituent?.displayName, provisional: first.constituent?.provisional }, { name: 'Ada Lovelace', provisional: true });
    state.kase = first.case;

    page = await newPage(browser);
    await signInViaUi(page, 'ivo.inbox@example.org', 'ivo-password-1234');
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    // Nothing waits yet: the link is just "Inbox".
    await nav(page).getByRole('link', { name: 'Inbox', exact: true }).click();
    await page.waitForURL(/\/inbox$/);
    await h1(page).filter({ hasText: 'Inbox' }).waitFor();
    assert.equal((await activeInfo(page)).tag, 'h1', 'focus moves to the h1');
    assert.equal(await page.title(), 'Inbox · Civitas');
    await page.getByText('Nothing waits: every message is filed.').waitFor();
    await axe(page, '/inbox, empty');

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Filed' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/inbox\?status=filed$/);
    const row = table().getByRole('row', { name: /Streetlight out on Elm Road/ });
    await row.waitFor();
    const text = await row.innerText();
    for (const part of ['Email', 'Ada Lovelace', 'ada.lovelace@resident.example', 'Provisional', 'Filed', state.kase.reference, 'out for a week']) assert.ok(text.includes(part), `the row shows ${part}: ${text}`);
    await row.getByRole('link', { name: state.kase.reference }).waitFor();
    assert.equal(await row.getByRole('link', { name: state.kase.reference }).getAttribute('href'), `/cases/${state.kase.id}`);
    await axe(page, '/inbox?status=filed');
  });

  await test('inbox: a second email from the sender waits in Open with the case suggested, and is attached to it by keyboard', async () => {
    const second = await deliver(admin, mime({
      n: 2, from: ADA, subject: 'Also the bins were not collected',
      text: 'Also, the bins on Elm Road were not collected on Tuesday.',
      html: '<p>Also, the bins on <strong>Elm Road</strong> were not collected on Tuesday.</p><script>parent.document.title = "pwned"</script>',
    }));
    assert.equal(second.status, 'new', 'mail from someone with an open case waits for staff');
    assert.equal(second.suggestedCase?.id, state.kase.id, 'their open case is suggested');
    state.second = second.id;
    // Someone else has it open.
    await apiCall(admin, 'GET', `/api/v1/inbox/${second.id}`);

    await page.goto('/inbox');
    await h1(page).filter({ hasText: 'Inbox' }).waitFor();
    await nav(page).getByRole('link', { name: 'Inbox 1 new or needing attention', exact: true }).waitFor();
    const row = table().getByRole('row', { name: /Also the bins were not collected/ });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`Suggested: ${state.kase.reference}`));
    await axe(page, '/inbox with an open item');

    await row.getByRole('link', { name: 'Also the bins were not collected' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(ITEM_PATH);
    await h1(page).filter({ hasText: 'Also the bins were not collected' }).waitFor();
    await page.getByText(`Also viewing: ${state.adminName}`).waitFor();
    await page.getByText('Also, the bins on Elm Road were not collected on Tuesday.').first().waitFor();
    // The sender's formatting, on request, in a sandboxed frame without its script.
    await page.getByText('Show the message as formatted by the sender').click();
    const frame = page.frameLocator('iframe.inbox-html');
    await frame.getByText('Elm Road').waitFor();
    assert.equal(await page.locator('iframe.inbox-html').getAttribute('sandbox'), '');
    assert.equal(await page.title(), 'Also the bins were not collected · Civitas', 'the email cannot touch the page');
    // Closed again before axe: axe cannot run inside a frame that may not run scripts, and
    // what is inside is the sender's own markup.
    await page.getByText('Show the message as formatted by the sender').click();
    await page.locator('iframe.inbox-html').waitFor({ state: 'detached' });
    await axe(page, 'inbox item');

    // Keyboard only: from the h1, Tab to "Attach to C-…" and press Enter.
    await h1(page).focus();
    const label = `Attach to ${state.kase.reference}`;
    for (let i = 0; i < 8 && (await activeInfo(page)).text !== label; i++) await page.keyboard.press('Tab');
    assert.equal((await activeInfo(page)).text, label, 'Tab reaches the one-click attach button');
    await page.keyboard.press('Enter');
    await statusText(page, `Attached to ${state.kase.reference}.`).waitFor();
    assert.equal((await activeInfo(page)).tag, 'p', 'the outcome takes focus');
    await page.getByText('Status: Filed').waitFor();
    await toolbar().getByRole('button', { name: label }).waitFor({ state: 'detached' });
    const filed = await waitFor(page, second.id, () => true);
    assert.deepEqual({ status: filed.status, caseId: filed.case?.id }, { status: 'filed', caseId: state.kase.id });
    await axe(page, 'inbox item, filed');
    await nav(page).getByRole('link', { name: 'Inbox', exact: true }).waitFor();
  });

  await test('inbox: marking a message spam is undone with Not spam', async () => {
    const third = await deliver(admin, mime({ n: 3, from: ADA, subject: 'Cheap watches', text: 'Buy cheap watches now.' }));
    assert.equal(third.status, 'new');
    await page.goto(`/inbox/${third.id}`);
    await h1(page).filter({ hasText: 'Cheap watches' }).waitFor();
    await toolbar().getByRole('button', { name: 'Mark spam' }).click();
    await statusText(page, 'Marked as spam. Choose “Not spam” to undo.').waitFor();
    await page.getByText('Status: Spam').waitFor();
    assert.equal((await waitFor(page, third.id, () => true)).status, 'spam');
    await axe(page, 'inbox item marked spam');

    // The list keeps its filter in the URL: Spam shows it, Open does not.
    await page.goto('/inbox?status=spam');
    await table().getByRole('row', { name: /Cheap watches/ }).waitFor();
    assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'spam');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(/\/inbox$/);
    await page.getByText('Nothing waits: every message is filed.').waitFor();

    await page.goto(`/inbox/${third.id}`);
    await toolbar().getByRole('button', { name: 'Not spam' }).click();
    await statusText(page, 'Not spam: the message is back in the inbox.').waitFor();
    await page.getByText('Status: New').waitFor();
    assert.equal((await waitFor(page, third.id, () => true)).status, 'new');
    state.third = third.id;
  });

  await test('inbox: a case is opened from a message in a dialog, and the provisional sender confirmed', async () => {
    await toolbar().getByRole('button', { name: 'Create case…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open a case from this message' });
    await dialog.waitFor();
    await axe(page, 'create case dialog');
    await dialog.getByLabel('Subject (optional)').fill('Watch seller keeps writing');
    await dialog.getByRole('button', { name: 'Create case' }).click();
    await dialog.waitFor({ state: 'detached' });
    const notice = statusText(page, /^Case C-\d{4}-\d+ opened from this message\./);
    await notice.waitFor();
    const created = await waitFor(page, state.third, () => true);
    assert.equal(created.status, 'filed');
    assert.notEqual(created.case.id, state.kase.id);
    assert.equal(await notice.getByRole('link', { name: `Open ${created.case.reference}` }).getAttribute('href'), `/cases/${created.case.id}`);
    assert.equal((await apiCall(page, 'GET', `/api/v1/cases/${created.case.id}`)).subject, 'Watch seller keeps writing');

    await toolbar().getByRole('button', { name: 'Confirm Ada Lovelace as a constituent' }).click();
    await statusText(page, 'Ada Lovelace confirmed as a constituent.').waitFor();
    await toolbar().getByRole('button', { name: /^Confirm/ }).waitFor({ state: 'detached' });
    assert.equal((await waitFor(page, state.third, () => true)).constituent.provisional, false);
    await axe(page, 'inbox item after creating a case');
  });

  await test('inbox: attaching to an unknown reference is refused beside the field', async () => {
    const fourth = await deliver(admin, mime({ n: 4, from: ADA, subject: 'One more thing', text: 'The light is still out.' }));
    await page.goto(`/inbox/${fourth.id}`);
    await h1(page).filter({ hasText: 'One more thing' }).waitFor();
    await toolbar().getByRole('button', { name: 'Attach to a case…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attach this message to a case' });
    await dialog.getByLabel('Case reference').fill('C-1999-99999');
    await dialog.getByRole('button', { name: 'Attach', exact: true }).click();
    await dialog.locator('#inbox-attach-case-error').filter({ hasText: 'No case C-1999-99999' }).waitFor();
    assert.equal(await dialog.getByLabel('Case reference').getAttribute('aria-invalid'), 'true');
    await axe(page, 'attach dialog with an error');
    await dialog.getByLabel('Case reference').fill(state.kase.reference.toLowerCase());
    await dialog.getByRole('button', { name: 'Attach', exact: true }).click();
    await statusText(page, `Attached to ${state.kase.reference}.`).waitFor();
    assert.equal((await waitFor(page, fourth.id, () => true)).case.id, state.kase.id);
    await page.context().close();
  });

  await test('inbox: a web form request with the email of someone on record is filed apart, shows them as a possible match, and is merged into them', async () => {
    const { slug } = await apiCall(admin, 'GET', '/api/v1/office');
    await apiCall(admin, 'PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });
    const { formToken } = await apiCall(admin, 'GET', `/api/v1/public/${slug}/categories`);
    await new Promise((r) => setTimeout(r, 3100)); // the form's minimum fill time
    const res = await admin.request.post(`/api/v1/public/${slug}/requests`, {
      data: { name: 'Someone Else', email: 'ada.lovelace@resident.example', description: 'Broken paving on Elm Road.', clientToken: `inbox-e2e-form-${Date.now()}`, formToken },
    });
    assert.equal(res.status(), 201, await res.text());
    const answer = await res.json();
    assert.deepEqual(Object.keys(answer).sort(), ['duplicate', 'reference', 'status'], 'the answer carries the reference only');
    const item = (await apiCall(admin, 'GET', '/api/v1/inbox')).items.find((x) => x.case?.reference === answer.reference);
    assert.ok(item, 'the filed request waits in Open for a decision on its sender');
    assert.deepEqual({ provisional: item.constituent?.provisional, match: item.suggestedSender?.displayName }, { provisional: true, match: 'Ada Lovelace' });

    await admin.goto('/inbox');
    const row = admin.getByRole('table', { name: /messages, newest first/ }).getByRole('row', { name: /Broken paving on Elm Road/ });
    await row.waitFor();
    assert.match(await row.innerText(), /Possible match: Ada Lovelace/);
    await axe(admin, '/inbox with a possible sender match');
    await row.getByRole('link', { name: 'Broken paving on Elm Road.' }).click();
    await h1(admin).filter({ hasText: 'Broken paving on Elm Road.' }).waitFor();
    await admin.getByText('Possible match', { exact: true }).waitFor();
    await axe(admin, 'inbox item with a possible sender match');
    await admin.getByRole('group', { name: 'Actions on this message' }).getByRole('button', { name: 'Same person: merge into Ada Lovelace' }).click();
    await statusText(admin, 'Someone Else was merged into Ada Lovelace.').waitFor();
    const merged = await waitFor(admin, item.id, (x) => x.constituent?.id === item.suggestedSender.id);
    assert.equal(merged.suggestedSender, null, 'once merged, nothing waits');
    await admin.getByText('Possible match', { exact: true }).waitFor({ state: 'detached' });
  });

  await test('inbox: a new sender who is already on record under another address is merged into that record', async () => {
    const known = await apiCall(admin, 'POST', '/api/v1/constituents', { givenName: 'Beatrice', familyName: 'Onrecord', emails: [{ email: 'beatrice@home.example' }], ignoreDuplicates: true });
    const item = await deliver(admin, mime({ n: 5, from: 'Bea Onrecord <bea.work@office.example>', subject: 'Broken bench', text: 'The bench in Elm Park is broken.' }));
    assert.equal(item.constituent?.provisional, true, 'an unknown address makes a provisional record');
    await admin.goto(`/inbox/${item.id}`);
    await h1(admin).filter({ hasText: 'Broken bench' }).waitFor();
    await admin.getByRole('group', { name: 'Actions on this message' }).getByRole('button', { name: 'Merge sender into…' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Merge the sender into a constituent on record' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await dialog.getByText('Choose the constituent to merge into').waitFor();
    await dialog.getByLabel('Find by name, email, phone or postcode').fill('Beatrice Onrecord');
    await dialog.getByLabel('Find by name, email, phone or postcode').press('Enter');
    await dialog.getByRole('radio', { name: /Beatrice Onrecord/ }).check();
    await axe(admin, 'merge sender dialog');
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await statusText(admin, 'Bea Onrecord was merged into the chosen constituent.').waitFor();
    const merged = await waitFor(admin, item.id, (x) => x.constituent?.id === known.id);
    assert.equal(merged.constituent.displayName, 'Beatrice Onrecord');
    const emails = (await apiCall(admin, 'GET', `/api/v1/constituents/${known.id}`)).emails.map((e) => e.email).sort();
    assert.deepEqual(emails, ['bea.work@office.example', 'beatrice@home.example'], 'the new address moved to the record');
    await admin.context().close();
  });
}
