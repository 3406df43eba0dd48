// Browser tests of agency referrals and privacy releases: the Agencies settings page, the
// Referrals section of the case page (marking sent is disabled with the reason while the
// requester's release is missing), requesting an e-signature (the link shown once), the
// public signing page opened in a fresh browser context (no session), signing, sending the
// referral, the reused link refused, and editing the referral in a dialog by keyboard. Axe on
// every screen, the public page included.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, goNav, h1, newPage, signInViaUi, statusText, test } from '../harness.js';

export async function run({ browser, baseUrl, creds }) {
  let page;
  const state = {};
  const referrals = () => page.getByRole('region', { name: 'Referrals' });

  await test('referrals: the Agencies page adds a federal agency that requires a release', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    const person = await apiCall(page, 'POST', '/api/v1/constituents', { givenName: 'Iñés', familyName: 'Okafor', ignoreDuplicates: true });
    const kase = await apiCall(page, 'POST', '/api/v1/cases', { subject: 'Pension payments stopped', channel: 'phone', constituents: [{ constituentId: person.id }] });
    Object.assign(state, { caseId: kase.id, reference: kase.reference });
    await goNav(page, 'Agencies', '/admin/agencies', 'Agencies');
    await axe(page, '/admin/agencies');
    await page.getByRole('button', { name: 'Add an agency' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an agency' });
    await dialog.getByLabel('Name', { exact: true }).fill('Pension Service');
    await dialog.getByLabel('Kind', { exact: true }).selectOption('federal');
    assert.equal(await dialog.getByLabel("Referrals need the constituent's privacy release").isChecked(), true, 'federal agencies need a release by default');
    await axe(page, 'add agency dialog');
    await dialog.getByRole('button', { name: 'Add agency' }).click();
    await statusText(page, 'Pension Service added.').waitFor();
    await page.getByRole('table', { name: 'Agencies' }).getByRole('row', { name: /Pension Service.*Required/ }).waitFor();
  });

  await test('referrals: sending is blocked without the release, with the reason shown', async () => {
    await page.goto(`/cases/${state.caseId}`);
    await h1(page).filter({ hasText: state.reference }).waitFor();
    await referrals().getByRole('button', { name: 'Refer to an agency' }).click();
    await referrals().getByLabel('Agency', { exact: true }).selectOption({ label: 'Pension Service (needs privacy release)' });
    await referrals().getByLabel('What was sent', { exact: true }).fill('Asked why the pension stopped in March.');
    await referrals().getByRole('button', { name: 'Save draft' }).click();
    await statusText(page, 'Referral to Pension Service drafted.').waitFor();
    const send = referrals().getByRole('button', { name: 'Mark sent to Pension Service' });
    assert.equal(await send.isDisabled(), true, 'Mark sent is disabled while the release is missing');
    const reason = await page.locator(`#${await send.getAttribute('aria-describedby')}`).textContent();
    assert.match(reason, /Pension Service requires a privacy release: Iñés Okafor has not signed one yet/);
    await axe(page, 'case page with a blocked referral');
  });

  await test('referrals: requesting an e-signature shows the link once', async () => {
    await referrals().getByRole('button', { name: 'Request e-signature' }).click();
    await referrals().getByLabel('Agency', { exact: true }).selectOption({ label: 'Pension Service' });
    await referrals().getByRole('button', { name: 'Create signing link' }).click();
    const notice = page.getByRole('region', { name: 'Signing link created' });
    await notice.waitFor();
    state.link = (await notice.locator('code.secret').textContent()).trim();
    assert.match(state.link, /\/release\/[A-Za-z0-9_-]{43}$/);
    await referrals().getByText('Waiting for signature').waitFor();
    await axe(page, 'case page with a signing link');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
  });

  await test('referrals: the resident signs on the public page in a fresh browser, by keyboard', async () => {
    const resident = await browser.newContext({ baseURL: baseUrl });
    const rp = await resident.newPage();
    const path = new URL(state.link).pathname; // the server's PUBLIC_URL may differ from the test's address
    assert.match(path, /^\/portal\/[a-z0-9-]+\/release\/[A-Za-z0-9_-]{43}$/, 'the signing page is in the resident portal');
    // In Spanish first (the language links keep the page), then in English.
    await rp.goto(`${path}?lang=es`);
    await rp.getByRole('heading', { level: 1, name: `Dé su consentimiento para el caso ${state.reference}` }).waitFor();
    assert.equal(await rp.locator('html').getAttribute('lang'), 'es');
    await axe(rp, 'public signing page (es)');
    await rp.getByRole('navigation', { name: 'Idioma' }).getByRole('link', { name: 'English' }).click();
    await rp.getByRole('heading', { level: 1, name: `Give your consent for case ${state.reference}` }).waitFor();
    await rp.getByText('Pension Service').first().waitFor();
    await axe(rp, 'public signing page (en)');
    // A wrong name is refused on the page, beside the field.
    await rp.getByLabel('Your full name').fill('Someone Else');
    await rp.getByLabel("Today's date").fill(new Date().toISOString().slice(0, 10));
    await rp.getByLabel('I have read the statement above and I give my consent.').check();
    await rp.getByRole('button', { name: 'Sign and give consent' }).click();
    await rp.getByRole('alert').filter({ hasText: 'does not match the name' }).waitFor();
    assert.equal(await rp.locator('#typedName').getAttribute('aria-invalid'), 'true');
    await axe(rp, 'public signing page with an error');
    // Now by keyboard alone, with the name typed without accents.
    await rp.getByLabel('Your full name').fill('');
    await rp.getByLabel('Your full name').focus();
    await rp.keyboard.type('ines okafor');
    // Tab on through the date field's parts to the consent checkbox.
    for (let i = 0; i < 6 && (await rp.evaluate(() => document.activeElement?.id)) !== 'consent'; i++) await rp.keyboard.press('Tab');
    assert.equal(await rp.evaluate(() => document.activeElement?.id), 'consent', 'Tab reaches the consent checkbox');
    await rp.keyboard.press('Space');
    assert.equal(await rp.getByLabel('I have read the statement above and I give my consent.').isChecked(), true, 'the checkbox is reachable by Tab and ticks with Space');
    await rp.keyboard.press('Tab');
    await rp.keyboard.press('Enter');
    await rp.getByRole('heading', { level: 1, name: 'Thank you: your consent is recorded' }).waitFor();
    await axe(rp, 'public signing page, signed');
    // The link is single-use.
    const again = await rp.goto(path);
    assert.equal(again.status(), 410);
    await rp.getByRole('heading', { level: 1, name: 'This form is already signed' }).waitFor();
    await axe(rp, 'public page of a used link');
    // The address of links sent before the portal leads to the portal's page.
    const old = await rp.goto(`/release/${path.split('/').pop()}`);
    assert.equal(old.status(), 410);
    assert.equal(new URL(rp.url()).pathname, path);
    const unknown = await rp.goto('/release/' + 'A'.repeat(43));
    assert.equal(unknown.status(), 404);
    await rp.getByRole('heading', { level: 1, name: 'This link is not valid' }).waitFor();
    await axe(rp, 'public page of an unknown link');
    await resident.close();
  });

  await test('referrals: with the release signed, the referral is sent and the reply logged', async () => {
    await page.reload();
    await h1(page).filter({ hasText: state.reference }).waitFor();
    await referrals().getByText(/Signed/).first().waitFor();
    await referrals().getByRole('link', { name: 'Download the release of Iñés Okafor' }).waitFor();
    const send = referrals().getByRole('button', { name: 'Mark sent to Pension Service' });
    assert.equal(await send.isDisabled(), false);
    await send.click();
    await statusText(page, 'Referral to Pension Service: sent.').waitFor();
    await referrals().getByRole('button', { name: 'Log follow-up for Pension Service' }).click();
    await referrals().getByLabel('What happened', { exact: true }).selectOption('agency_replied');
    await referrals().getByLabel("The agency's reply", { exact: true }).fill('Payments restart next week.');
    await referrals().getByRole('button', { name: 'Log it' }).click();
    await statusText(page, 'Agency replied logged for Pension Service.').waitFor();
    await referrals().getByText('Agency replied', { exact: true }).waitFor();
    const list = await apiCall(page, 'GET', `/api/v1/cases/${state.caseId}/referrals`);
    assert.equal(list.referrals[0].status, 'responded');
    state.referralId = list.referrals[0].id;
    await axe(page, 'case page with a responded referral');
  });

  await test('referrals: the referral is edited in a dialog, by keyboard, with Escape closing it', async () => {
    const edit = referrals().getByRole('button', { name: 'Edit the referral to Pension Service' });
    await edit.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Edit the referral to Pension Service' });
    await dialog.waitFor();
    assert.equal((await activeInfo(page)).id, `referral-edit-${state.referralId}-contact`, 'focus moves into the dialog, to its first field');
    await axe(page, 'edit referral dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await activeInfo(page)).text, 'Edit the referral to Pension Service', 'Escape closes the dialog and focus returns to Edit');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    // An empty "What was sent" is refused beside the field, and nothing is saved.
    await dialog.getByLabel('What was sent', { exact: true }).fill('');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    const summaryField = dialog.getByLabel('What was sent', { exact: true });
    await dialog.locator(`#${await summaryField.getAttribute('id')}-error`).waitFor();
    assert.equal(await summaryField.getAttribute('aria-invalid'), 'true');
    await axe(page, 'edit referral dialog with an error');

    await summaryField.fill('Asked why the pension stopped in March; sent the award letter.');
    await dialog.getByLabel('Contact at the agency (optional)').fill('Dana Reyes');
    await dialog.getByLabel('Their reference (optional)').fill('PS-2026-0042');
    await dialog.getByLabel('Reply expected by (optional)').fill('2031-01-15');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await statusText(page, 'Referral to Pension Service updated.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await referrals().getByText('Contact: Dana Reyes.', { exact: false }).waitFor();
    await referrals().getByText('Their reference: PS-2026-0042.', { exact: false }).waitFor();
    const [saved] = (await apiCall(page, 'GET', `/api/v1/cases/${state.caseId}/referrals`)).referrals;
    assert.deepEqual(
      { contact: saved.contact, summary: saved.summary, theirReference: saved.theirReference, expectedResponseOn: saved.expectedResponseOn },
      { contact: 'Dana Reyes', summary: 'Asked why the pension stopped in March; sent the award letter.', theirReference: 'PS-2026-0042', expectedResponseOn: '2031-01-15' },
    );
    await axe(page, 'case page after editing a referral');
  });
}
