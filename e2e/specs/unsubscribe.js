// Browser tests of the unsubscribe link of bulk mail: a resident opens their link, sees what
// it stops and that casework replies still come, and unsubscribes by keyboard with the one
// button; the withdrawal shows in the person's consent ledger; an unknown link gets the
// "not recognised" page. Axe on every screen.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, h1, newPage, signInViaUi, test } from '../harness.js';

export async function run({ browser, creds }) {
  await test('unsubscribe: the resident confirms with one button, by keyboard, and the ledger records it', async () => {
    const page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    const person = await apiCall(page, 'POST', '/api/v1/constituents', { givenName: 'Uma', familyName: 'Unsub', emails: [{ email: 'uma.unsub@resident.example' }], ignoreDuplicates: true });
    await apiCall(page, 'POST', `/api/v1/constituents/${person.id}/consents`, { channel: 'email', purpose: 'outreach', status: 'granted', source: 'web_form', evidence: 'newsletter sign-up' });
    const { url } = await apiCall(page, 'GET', `/api/v1/constituents/${person.id}/unsubscribe-link?purpose=outreach`);
    const office = (await apiCall(page, 'GET', '/api/v1/auth/session')).office.name;

    const resident = await newPage(browser);
    await resident.goto(new URL(url).pathname);
    await h1(resident).filter({ hasText: 'Unsubscribe' }).waitFor();
    await resident.getByText(`Stop receiving news and outreach emails from ${office}?`).waitFor();
    await axe(resident, 'unsubscribe confirmation page');
    // Opening the page changed nothing.
    const before = await apiCall(page, 'GET', `/api/v1/constituents/${person.id}/consents`);
    assert.equal(before.history.filter((h) => h.status === 'withdrawn').length, 0, 'opening the link alone does not unsubscribe');
    await resident.keyboard.press('Tab');
    assert.equal((await activeInfo(resident)).text, 'Unsubscribe', 'Tab reaches the button');
    await resident.keyboard.press('Enter');
    await h1(resident).filter({ hasText: 'You are unsubscribed' }).waitFor();
    await resident.getByRole('status').filter({ hasText: `${office} will not send you news and outreach emails any more.` }).waitFor();
    await axe(resident, 'unsubscribed page');

    const after = await apiCall(page, 'GET', `/api/v1/constituents/${person.id}/consents`);
    const outreach = after.current.find((c) => c.channel === 'email' && c.purpose === 'outreach');
    assert.equal(outreach.decision.reason, 'consent_withdrawn');
    assert.equal(after.history[0].source, 'email_unsubscribe');

    await resident.goto(`/unsubscribe/${'x'.repeat(66)}`);
    await h1(resident).filter({ hasText: 'Link not recognised' }).waitFor();
    await axe(resident, 'unsubscribe page for an unknown link');
    await resident.context().close();
    await page.context().close();
  });
}
