// Browser tests of replies: the reply templates page (a bad merge field refused beside its
// field, create as a draft, approve, a Spanish translation, a new version, the history with
// restore and discard, retire), the reply composer on the case page (only approved templates,
// the recipient's language, preview, send, delivery status), a reply by letter through the Letters page (PDF, posted, undo), resolving
// with a closure message, and the resident's rating pages opened from the link in the written
// .eml file (no SMTP server: the file outbox). Axe on every screen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { activeInfo, apiCall, axe, goNav, h1, newPage, serverLog, signInViaUi, statusText, test } from '../harness.js';

export async function run({ browser, creds }) {
  let page;
  const state = {};

  await test('replies: the templates page refuses an unknown merge field beside the field, then creates the template as a draft', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    const person = await apiCall(page, 'POST', '/api/v1/constituents', {
      givenName: 'Rhea', familyName: 'Marsh', emails: [{ email: 'rhea.marsh@example.org' }], addresses: [{ line1: '4 Ash Row', locality: 'Riverton', postcode: 'RT2 4AR', isPrimary: true }], ignoreDuplicates: true,
    });
    const sofia = await apiCall(page, 'POST', '/api/v1/constituents', { givenName: 'Sofía', familyName: 'Ruiz', preferredLanguage: 'es', emails: [{ email: 'sofia.ruiz@example.org' }], ignoreDuplicates: true });
    const kase = await apiCall(page, 'POST', '/api/v1/cases', {
      subject: 'Blocked drain on Ash Row', channel: 'email', constituents: [{ constituentId: person.id }, { constituentId: sofia.id, role: 'affected' }],
    });
    Object.assign(state, { caseId: kase.id, reference: kase.reference });
    await goNav(page, 'Reply templates', '/admin/reply-templates', 'Reply templates');
    await axe(page, '/admin/reply-templates');
    await page.getByRole('button', { name: 'Add a template' }).click();
    await page.getByLabel('Name').fill('Drain cleared');
    await page.getByLabel('Subject').fill('About {{case.reference}}');
    await page.getByLabel('Message').fill('Dear {{constituent.given_name}},\n\nThe drain is clear. {{case.secret}}\n\n{{staff.display_name}}');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.locator('#new-template-body-error').filter({ hasText: '{{case.secret}}' }).waitFor();
    assert.equal(await page.locator('#new-template-body').getAttribute('aria-invalid'), 'true');
    await axe(page, 'template form with an error');
    await page.getByLabel('Message').fill('Dear {{constituent.given_name}},\n\nThe drain on {{case.subject}} is clear.\n\n{{staff.display_name}}');
    await page.getByRole('button', { name: 'Create template' }).click();
    await statusText(page, 'Template Drain cleared created as a draft.').waitFor();
    const english = page.getByRole('region', { name: 'English (en) text of Drain cleared' });
    await english.getByText('Not approved', { exact: true }).waitFor();
    await english.getByText('Draft v1', { exact: true }).waitFor();
    await axe(page, 'templates page with a draft');
    // A second template, retired: it leaves the list and the picker. A third stays a draft.
    await apiCall(page, 'POST', '/api/v1/reply-templates', { name: 'Old wording', subject: 'Old', body: 'Old text' });
    await apiCall(page, 'POST', '/api/v1/reply-templates', { name: 'Unapproved wording', subject: 'New', body: 'Not approved yet' });
    await page.reload();
    await page.getByRole('button', { name: 'Retire Old wording' }).click();
    await statusText(page, 'Template Old wording retired.').waitFor();
    await page.getByRole('list', { name: 'Templates' }).getByRole('heading', { name: 'Old wording' }).waitFor({ state: 'detached' });
  });

  await test('replies: a draft is approved after reading it, a Spanish translation is added and approved, a new version supersedes the old, and the history restores one', async () => {
    const english = page.getByRole('region', { name: 'English (en) text of Drain cleared' });
    await page.getByRole('button', { name: 'Approve English (en) text of Drain cleared' }).click();
    const confirm = page.getByRole('dialog', { name: 'Approve the English (en) text of Drain cleared?' });
    await confirm.getByText('The drain on {{case.subject}} is clear.', { exact: false }).waitFor();
    await axe(page, 'approve dialog');
    await confirm.getByRole('button', { name: 'Approve' }).click();
    await statusText(page, 'English (en) text of Drain cleared approved (version 1).').waitFor();
    await english.getByText('Approved v1', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add a translation of Drain cleared' }).click();
    const translation = page.getByRole('dialog', { name: 'Add a translation of Drain cleared' });
    await translation.getByLabel('Language').fill('es');
    await translation.getByLabel('Subject').fill('Sobre {{case.reference}}');
    await translation.getByLabel('Message').fill('Estimada {{constituent.given_name}}:\n\nEl desagüe está limpio. {{caso.nombre}}');
    await translation.getByRole('button', { name: 'Save draft' }).click();
    await translation.locator('#template-draft-body-error').filter({ hasText: '{{caso.nombre}}' }).waitFor();
    await axe(page, 'translation form with an error');
    await translation.getByLabel('Message').fill('Estimada {{constituent.given_name}}:\n\nEl desagüe está limpio.\n\n{{staff.display_name}}');
    await translation.getByRole('button', { name: 'Save draft' }).click();
    await statusText(page, 'Draft of the Spanish (es) text of Drain cleared saved.').waitFor();
    await page.getByRole('button', { name: 'Approve Spanish (es) text of Drain cleared' }).click();
    await page.getByRole('dialog', { name: 'Approve the Spanish (es) text of Drain cleared?' }).getByRole('button', { name: 'Approve' }).click();
    await statusText(page, 'Spanish (es) text of Drain cleared approved (version 1).').waitFor();

    // A new English version: the approved text stays in use until the draft is approved.
    await page.getByRole('button', { name: 'Write a new draft English (en) text of Drain cleared' }).click();
    const draft = page.getByRole('dialog', { name: 'Draft of the English (en) text of Drain cleared' });
    await draft.getByLabel('Message').fill('Dear {{constituent.given_name}},\n\nThe drain on {{case.subject}} is clear and was checked.\n\n{{staff.display_name}}');
    await draft.getByRole('button', { name: 'Save draft' }).click();
    await statusText(page, 'Draft of the English (en) text of Drain cleared saved.').waitFor();
    await english.getByText('Approved v1', { exact: true }).waitFor();
    await english.getByText('Draft v2', { exact: true }).waitFor();
    await axe(page, 'templates page with approved text and a draft');
    await page.getByRole('button', { name: 'Approve English (en) text of Drain cleared' }).click();
    await page.getByRole('dialog', { name: 'Approve the English (en) text of Drain cleared?' }).getByRole('button', { name: 'Approve' }).click();
    await statusText(page, 'English (en) text of Drain cleared approved (version 2).').waitFor();

    // The history: v2 approved, v1 superseded; restoring v1 makes draft v3, which is discarded.
    await page.getByRole('button', { name: 'History English (en) text of Drain cleared' }).click();
    const history = page.getByRole('dialog', { name: 'History of Drain cleared, English (en)' });
    const versions = history.getByRole('list', { name: 'Versions, newest first' });
    await versions.getByRole('heading', { name: 'Version 2 Approved' }).waitFor();
    await versions.getByRole('heading', { name: 'Version 1 Superseded' }).waitFor();
    await axe(page, 'template history dialog');
    await history.getByRole('button', { name: 'Restore as a new draft (version 1)' }).click();
    await statusText(page, 'Version 1 of the English (en) text of Drain cleared restored as a new draft.').waitFor();
    await english.getByText('Draft v3', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Discard draft English (en) text of Drain cleared' }).click();
    await page.getByRole('dialog', { name: 'Discard the draft of the English (en) text?' }).getByRole('button', { name: 'Discard draft' }).click();
    await statusText(page, 'Draft of the English (en) text of Drain cleared discarded.').waitFor();
    await english.getByText('Draft v3', { exact: true }).waitFor({ state: 'detached' });
  });

  await test('replies: the composer previews a template for the requester and sends it, showing its delivery status', async () => {
    await page.goto(`/cases/${state.caseId}`);
    await h1(page).filter({ hasText: state.reference }).waitFor();
    const messages = page.getByRole('region', { name: 'Messages' });
    await messages.getByText('No messages sent from this case yet.').waitFor();
    await page.getByLabel('Template').locator('option', { hasText: 'Drain cleared' }).waitFor({ state: 'attached' });
    const options = await page.getByLabel('Template').locator('option').allTextContents();
    assert.ok(options.includes('Drain cleared') && !options.some((o) => o.includes('Old wording')), `live templates only (got ${options})`);
    const unapproved = page.getByLabel('Template').locator('option', { hasText: 'Unapproved wording (draft only, not approved yet)' });
    assert.ok(await unapproved.isDisabled(), 'a template without approved text cannot be chosen');
    // Sofía prefers Spanish: the approved Spanish text fills the fields.
    await page.getByLabel('To', { exact: true }).selectOption({ label: 'Sofía Ruiz (affected)' });
    await page.getByLabel('Template').selectOption({ label: 'Drain cleared' });
    await page.getByText('Approved Spanish (es) text, version 1; you can edit it below.').waitFor();
    assert.equal(await page.locator('#reply-subject').inputValue(), 'Sobre {{case.reference}}');
    // Back to Rhea: the untouched text follows her language (the office's, English).
    await page.getByLabel('To', { exact: true }).selectOption({ label: 'Rhea Marsh (requester)' });
    await page.getByText('Approved English (en) text, version 2; you can edit it below.').waitFor();
    await page.getByLabel('Template').selectOption({ label: 'No template (write your own)' });
    // Keyboard: choose the template and preview without the mouse.
    await page.getByLabel('Template').focus();
    await page.getByLabel('Template').selectOption({ label: 'Drain cleared' });
    await page.keyboard.press('Tab');
    assert.equal((await activeInfo(page)).id, 'reply-subject', 'Tab moves from the template to the subject');
    await page.getByRole('button', { name: 'Preview' }).focus();
    await page.keyboard.press('Enter');
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText('Dear Rhea,').waitFor();
    await preview.getByText('rhea.marsh@example.org').waitFor();
    await preview.getByText(`About [${state.reference}]`).waitFor();
    await axe(page, 'case page with a reply preview');
    await page.getByRole('button', { name: 'Send email' }).click();
    await statusText(page, 'Email to rhea.marsh@example.org queued for sending.').waitFor();
    const sent = await apiCall(page, 'GET', `/api/v1/cases/${state.caseId}/messages`);
    assert.deepEqual([sent.items[0].templateLanguage, sent.items[0].templateVersion], ['en', 2], 'the message records the approved version it came from');
    const list = page.getByRole('list', { name: 'Messages, newest first' });
    await list.getByText('Sent', { exact: true }).waitFor({ timeout: 30_000 });
    await list.locator('strong', { hasText: `About [${state.reference}]` }).waitFor();
    await axe(page, 'case page with a sent email');
  });

  await test('replies: a reply by letter waits in the print queue; the Letters page downloads it as a PDF and marks it posted, with undo', async () => {
    await page.getByLabel('Send as').selectOption({ label: 'Letter (print and post)' });
    await page.getByLabel('Template').selectOption({ label: 'Drain cleared' });
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText('4 Ash Row').waitFor();
    await axe(page, 'case page with a letter preview');
    await page.getByRole('button', { name: 'Add letter to print queue' }).click();
    await statusText(page, 'Letter to Rhea Marsh added to the print queue.').waitFor();
    const list = page.getByRole('list', { name: 'Messages, newest first' });
    await list.getByText('To print', { exact: true }).waitFor();
    const pdfOf = async (link) => {
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      return fs.readFileSync(await download.path());
    };
    assert.equal((await pdfOf(list.getByRole('link', { name: /Download the letter \(PDF\)/ }))).subarray(0, 5).toString(), '%PDF-');

    await goNav(page, 'Letters', '/letters', 'Letters');
    await axe(page, '/letters');
    const row = page.getByRole('row', { name: /Rhea Marsh/ });
    await row.getByRole('link', { name: state.reference, exact: true }).waitFor();
    // Keyboard: choose the letter with Space.
    await row.getByRole('checkbox').focus();
    await page.keyboard.press('Space');
    assert.equal((await pdfOf(page.getByRole('link', { name: 'Download 1 letter (PDF)' }))).subarray(0, 5).toString(), '%PDF-');
    await page.getByRole('button', { name: 'Mark as posted' }).click();
    await statusText(page, '1 letter marked posted.').waitFor();
    await page.getByText('No letters are waiting to be printed.').waitFor();
    await axe(page, '/letters after marking a letter posted');
    await page.getByRole('button', { name: 'Undo' }).click();
    await statusText(page, '1 letter put back in the print queue.').waitFor();
    await page.getByRole('row', { name: /Rhea Marsh/ }).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Mark as posted' }).click();
    await statusText(page, '1 letter marked posted.').waitFor();
    await page.getByLabel('Posted').check();
    await page.getByRole('row', { name: /Rhea Marsh/ }).waitFor();
    await page.goto(`/cases/${state.caseId}`);
    await page.getByRole('list', { name: 'Messages, newest first' }).getByText('Posted', { exact: true }).waitFor();
  });

  await test('replies: resolving with a closure message emails a rating link; the resident rates and comments by keyboard', async () => {
    await page.getByRole('button', { name: 'Change status' }).click();
    const dialog = page.getByRole('dialog', { name: `Change the status of ${state.reference}` });
    await dialog.getByLabel('New status').selectOption({ label: 'Resolved' });
    await dialog.getByLabel('Resolution (required to resolve)').selectOption({ label: 'Resolved as requested' });
    await dialog.getByLabel('Resolution summary (required to resolve)').fill('The drain was jetted clear.');
    await dialog.getByLabel(/closure message with a satisfaction rating link/).check();
    await dialog.getByLabel('Closure message', { exact: true }).waitFor();
    await axe(page, 'change status dialog with a closure message');
    await dialog.getByRole('button', { name: 'Change status' }).click();
    await page.getByRole('heading', { name: 'Resolution: Resolved as requested' }).waitFor();
    const list = page.getByRole('list', { name: 'Messages, newest first' });
    await list.locator('strong', { hasText: `Your case [${state.reference}] has been resolved` }).waitFor();

    // No SMTP server here: the message is in the file outbox the server announced at start.
    const dir = /messages are written as \.eml files to (\S+)/.exec(serverLog)?.[1];
    assert.ok(dir, 'the server said where the file outbox is');
    let link;
    for (let i = 0; i < 100 && !link; i++) {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
      // Parsed as a mail client would: long lines are quoted-printable in the file.
      for (const f of files) link ??= /\/rate\/([A-Za-z0-9_-]{43})\?score=4/.exec((await simpleParser(fs.readFileSync(path.join(dir, f)))).text ?? '')?.[0];
      if (!link) await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(link, 'the closure email with rating links was written');

    const resident = await newPage(browser);
    // Opening the link records nothing: the form has the score chosen and the send button focused.
    await resident.goto(link);
    await h1(resident).filter({ hasText: 'How did' }).waitFor();
    await axe(resident, 'rating form opened from a score link');
    assert.ok(await resident.getByLabel('4 – Good').isChecked(), 'the linked score is chosen');
    assert.equal((await activeInfo(resident)).text, 'Send rating', 'the send button has the focus');
    await resident.keyboard.press('Enter');
    await h1(resident).filter({ hasText: 'Thank you' }).waitFor();
    await resident.getByText('4 out of 5').waitFor();
    await axe(resident, 'rating thanks page');
    await resident.getByLabel('Anything you would like to tell us? (optional)').focus();
    await resident.keyboard.type('Quick and friendly.');
    await resident.keyboard.press('Tab');
    assert.equal((await activeInfo(resident)).text, 'Update rating', 'Tab reaches the submit button');
    await resident.keyboard.press('Enter');
    await resident.getByRole('status').filter({ hasText: '4 out of 5' }).waitFor();
    assert.equal(await resident.getByLabel('Anything you would like to tell us? (optional)').inputValue(), 'Quick and friendly.');
    await resident.goto('/rate/not-a-real-token?score=5');
    await h1(resident).filter({ hasText: 'Link not recognised' }).waitFor();
    await axe(resident, 'rating page for an unknown link');
    await resident.context().close();

    await page.reload();
    await page.getByText('Satisfaction: 4 out of 5 (Good)').waitFor();
    await page.getByText('“Quick and friendly.”').waitFor();
    await axe(page, 'case page with a rating');
    await page.context().close();
  });
}
