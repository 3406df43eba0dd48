// Browser tests of contact capture: a caseworker logs a phone call from someone on record on
// the "Log a contact" page, by keyboard, as a new case with a follow-up task, and sees the
// problems listed when something is missing; a resident fills in the public request form at
// /forms/<office> (a page without scripts), gets the form back with the problems listed, then the
// confirmation with the case reference. Axe on every screen.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, goNav, h1, newPage, signInViaUi, statusText, test } from '../harness.js';

export async function run({ browser, creds }) {
  let admin;
  let page;
  const state = {};

  await test('log a contact: a call from someone on record becomes a case with a follow-up task, by keyboard', async () => {
    admin = await newPage(browser);
    await signInViaUi(admin, creds.email, creds.password);
    await h1(admin).filter({ hasText: 'Home' }).waitFor();
    state.slug = (await apiCall(admin, 'GET', '/api/v1/auth/session')).office.slug;
    state.category = await apiCall(admin, 'POST', '/api/v1/case-categories', { name: 'Noise complaints' });
    state.rosa = await apiCall(admin, 'POST', '/api/v1/constituents', { givenName: 'Rosa', familyName: 'Capture', emails: [{ email: 'rosa.capture@resident.example' }], ignoreDuplicates: true });
    await apiCall(admin, 'POST', '/api/v1/users', { email: 'cal.capture@example.org', displayName: 'Cal Capture', role: 'caseworker', password: 'cal-password-1234' });

    page = await newPage(browser);
    await signInViaUi(page, 'cal.capture@example.org', 'cal-password-1234');
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    await goNav(page, 'Log a contact', '/log-contact', 'Log a contact');
    assert.equal(await page.title(), 'Log a contact · Civitas');
    await axe(page, '/log-contact');

    // Nothing said yet: the problems are listed and linked to their fields.
    await page.getByRole('radio', { name: 'Nobody (anonymous)' }).check();
    await page.getByRole('button', { name: 'Log contact' }).click();
    const summary = page.getByRole('alert');
    await summary.waitFor();
    assert.equal((await activeInfo(page)).className, 'error-summary', 'the error summary takes focus');
    await summary.getByRole('link', { name: /What they said/ }).click();
    assert.equal((await activeInfo(page)).id, 'contact-text', 'the error links to its field');
    await axe(page, '/log-contact with errors');

    // Keyboard only from here: the person, what they said, the category, the follow-up.
    await page.getByRole('radio', { name: 'Someone on record' }).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Find by name, email, phone or postcode').focus();
    await page.keyboard.type('rosa.capture@resident.example');
    await page.keyboard.press('Enter');
    const rosa = page.getByRole('radio', { name: /Rosa Capture/ });
    await rosa.waitFor();
    await rosa.focus();
    await page.keyboard.press('Space');
    await statusText(page, 'Chosen: Rosa Capture').waitFor();
    await page.getByLabel('What they said').focus();
    await page.keyboard.type('Loud music from the bar on Mill Lane until 3am every weekend.');
    await page.getByLabel('Category (optional)').selectOption({ label: 'Noise complaints' });
    await page.getByLabel('Priority').selectOption('high');
    await page.getByRole('checkbox', { name: /Someone needs to follow up/ }).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('What to do').focus();
    await page.keyboard.type('Call Rosa back after the weekend');
    await axe(page, '/log-contact filled in');
    await page.getByRole('button', { name: 'Log contact' }).focus();
    await page.keyboard.press('Enter');

    const done = statusText(page, 'Logged on case');
    await done.waitFor();
    assert.match(await done.innerText(), /Logged on case C-\d{4}-\d{5,}, with a follow-up task\./);
    const link = done.getByRole('link');
    const caseId = (await link.getAttribute('href')).split('/').pop();
    const kase = await apiCall(admin, 'GET', `/api/v1/cases/${caseId}`);
    assert.deepEqual([kase.channel, kase.priority, kase.category?.id, kase.requester?.id], ['phone', 'high', state.category.id, state.rosa.id]);
    const tasks = await apiCall(admin, 'GET', `/api/v1/cases/${caseId}/tasks`);
    assert.deepEqual(tasks.items.map((t) => t.title), ['Call Rosa back after the weekend']);
    const inbox = await apiCall(admin, 'GET', '/api/v1/inbox?status=all&channel=phone');
    assert.equal(inbox.items[0]?.case?.id, caseId, 'the call shows in the inbox, filed on the case');
    assert.equal(await page.getByLabel('What they said').inputValue(), '', 'the form is cleared for the next contact');
    await axe(page, '/log-contact logged');
    await link.click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));
    await h1(page).waitFor();
  });

  await test('public form: a resident sends a request (no JavaScript on the page) and gets the case reference', async () => {
    // Signed out, in a browser context of its own. The page has no script at all, so what is
    // tested here is what a browser with JavaScript off gets.
    // Every office's form is off until an admin turns it on.
    await apiCall(admin, 'PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });
    const resident = await newPage(browser);
    await resident.goto(`/forms/${state.slug}`);
    await h1(resident).filter({ hasText: 'Make a request' }).waitFor();
    assert.equal(await resident.locator('script').count(), 0, 'the form needs no JavaScript');
    assert.match(await resident.title(), /^Make a request to /);
    await axe(resident, '/forms/:office');

    // Tab order: name, email, phone, topic, place, request, send (the honeypot is skipped).
    await resident.getByLabel('Your name').focus();
    const order = [];
    for (let i = 0; i < 6; i++) {
      await resident.keyboard.press('Tab');
      order.push((await activeInfo(resident)).id || (await activeInfo(resident)).text);
    }
    assert.deepEqual(order, ['email', 'phone', 'categoryId', 'address', 'description', 'Send request']);

    // Missing details: the same form, with the problems listed and what was typed kept.
    await resident.getByLabel('Your name').fill('Grace Resident');
    await resident.getByRole('button', { name: 'Send request' }).click();
    await resident.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    assert.match(await resident.title(), /^Error: /);
    assert.equal(await resident.getByLabel('Your name').inputValue(), 'Grace Resident');
    await axe(resident, 'public form with errors');

    await resident.getByLabel('Email address').fill('grace.resident@resident.example');
    await resident.getByLabel('What is it about? (optional)').selectOption({ label: 'Noise complaints' });
    await resident.getByLabel('Where is it? (optional)').fill('The Mill Lane bar');
    await resident.getByLabel('Your request').fill('Music every night until 3am.');
    await resident.waitForTimeout(3100); // the form's minimum fill time
    await resident.getByRole('button', { name: 'Send request' }).click();
    await h1(resident).filter({ hasText: 'Thank you: we have your request' }).waitFor();
    const reference = (await resident.locator('.reference').innerText()).trim();
    assert.match(reference, /^C-\d{4}-\d{5,}$/);
    await axe(resident, 'public form confirmation');
    const found = await apiCall(admin, 'GET', `/api/v1/cases?q=${reference}`);
    assert.equal(found.items[0]?.channel, 'web');
    await resident.context().close();
  });
}
