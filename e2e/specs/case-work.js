// Browser tests of the work on a case: tasks (add, done, reopen, reassign), notes with the
// keyboard-driven @mention picker (and the server refusing a foreign mention), a note shared
// with the resident by keyboard and its text badge,
// attachments (upload with the type found from the content, refusals for a forbidden type and
// a file too large, delete after confirming) and the "My tasks" page. Every screen passes axe.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiCall, axe, goNav, h1, newPage, signInViaUi, statusText, test } from '../harness.js';

export async function run({ browser, baseUrl, creds }) {
  let page;
  const state = {};

  await test('case work: the case page shows tasks, notes and attachments and passes axe', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    const session = await apiCall(page, 'GET', '/api/v1/auth/session');
    state.me = session.user;
    const mina = await apiCall(page, 'POST', '/api/v1/users', { email: 'mina.mention@example.org', displayName: 'Mina Mention', role: 'caseworker', password: 'mina-password-1234' });
    state.minaId = mina.user.id;
    const kase = await apiCall(page, 'POST', '/api/v1/cases', { subject: 'Flooded underpass on Wren Street', channel: 'phone' });
    state.caseId = kase.id;
    state.reference = kase.reference;
    await page.goto(`${baseUrl}/cases/${kase.id}`);
    await h1(page).filter({ hasText: 'Flooded underpass' }).waitFor();
    for (const name of ['Tasks', 'Notes', 'Attachments']) await page.getByRole('heading', { level: 2, name }).waitFor();
    await axe(page, 'case page with tasks, notes and attachments');
  });

  await test('case work: a task is added with a due date and assignee, done, reopened and reassigned', async () => {
    const form = page.getByRole('form', { name: 'Add a task' });
    await form.getByLabel('Task').fill('Ask highways to pump the underpass');
    await form.getByLabel('Due date').fill('2030-01-15');
    await form.getByLabel('Assignee').selectOption({ label: state.me.displayName });
    await form.getByRole('button', { name: 'Add task' }).click();
    await statusText(page, 'Task "Ask highways to pump the underpass" added.').waitFor();
    const list = page.getByRole('list', { name: 'Tasks, open first' });
    await list.locator('strong', { hasText: 'Ask highways to pump the underpass' }).waitFor();
    await list.locator('.hint', { hasText: state.me.displayName }).waitFor();

    await page.getByRole('button', { name: 'Mark done Ask highways to pump the underpass' }).click();
    await statusText(page, 'marked done').waitFor();
    await page.getByRole('button', { name: 'Reopen Ask highways to pump the underpass' }).click();
    await statusText(page, 'is open again').waitFor();
    await page.getByRole('button', { name: 'Reassign or change due date of Ask highways to pump the underpass' }).click();
    const editor = page.locator('.task-editor');
    await editor.getByLabel('Assignee').selectOption({ label: 'Mina Mention' });
    await axe(page, 'task editor');
    await editor.getByRole('button', { name: /^Save/ }).click();
    await statusText(page, 'saved').waitFor();
    await list.locator('.hint', { hasText: 'Mina Mention' }).waitFor();
    const tasks = await apiCall(page, 'GET', `/api/v1/cases/${state.caseId}/tasks`);
    assert.equal(tasks.items[0].assigneeId, state.minaId);
    await apiCall(page, 'POST', `/api/v1/cases/${state.caseId}/tasks`, { title: 'Write to the resident', dueOn: '2030-01-10', assigneeId: state.me.id });
  });

  await test('case work: a note mentions a colleague through the keyboard-driven picker, and a foreign mention is refused', async () => {
    const box = page.getByRole('combobox', { name: 'Add a note' });
    await box.click();
    await page.keyboard.type('Pump booked. @Min');
    const listbox = page.getByRole('listbox', { name: 'People to mention' });
    await listbox.getByRole('option', { name: 'Mina Mention' }).waitFor();
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    assert.match(await box.getAttribute('aria-activedescendant'), /-0$/);
    await axe(page, 'note composer with the mention picker open');
    await page.keyboard.press('Enter');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    await page.keyboard.type('please confirm.');
    assert.equal(await box.inputValue(), `Pump booked. @[Mina Mention](user:${state.minaId}) please confirm.`);
    await page.getByRole('button', { name: 'Add note' }).click();
    await statusText(page, 'Note added; Mina Mention notified.').waitFor();
    const notes = page.getByRole('list', { name: 'Notes, newest first' });
    await notes.getByText('@Mina Mention').waitFor();

    await box.fill('Hello @[Stranger](user:0190a0b0-0000-7000-8000-000000000000)');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('#note-body-error').filter({ hasText: 'not staff of this office' }).waitFor();
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    await axe(page, 'note composer with a refused mention');
    await box.fill('');
  });

  await test('case work: a note is shared with the resident with the keyboard and marked with a text badge in the notes and on the timeline', async () => {
    const box = page.getByRole('combobox', { name: 'Add a note' });
    await box.focus();
    await page.keyboard.type('The pump arrives on Monday.');
    await page.keyboard.press('Tab');
    const share = page.getByRole('checkbox', { name: 'Share with the resident' });
    assert.equal(await share.evaluate((el) => el === document.activeElement), true, 'Tab moves from the note to "Share with the resident"');
    await page.keyboard.press('Space');
    assert.equal(await share.isChecked(), true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await statusText(page, 'Note added and shared with the resident.').waitFor();
    assert.equal(await share.isChecked(), false, 'the box is cleared for the next note');
    const note = page.getByRole('list', { name: 'Notes, newest first' }).getByRole('listitem').filter({ hasText: 'The pump arrives on Monday.' });
    await note.locator('.badge', { hasText: 'Shared with the resident' }).waitFor();
    const entry = page.getByRole('list', { name: 'Timeline entries, newest first' }).getByRole('listitem').filter({ hasText: 'Note shared with the resident: The pump arrives on Monday.' });
    await entry.locator('.badge', { hasText: 'Shared with the resident' }).waitFor();
    const notes = await apiCall(page, 'GET', `/api/v1/cases/${state.caseId}/notes`);
    assert.equal(notes.items.find((n) => n.body === 'The pump arrives on Monday.').isPublic, true);
    await axe(page, 'a note shared with the resident');
  });

  await test('case work: a file is attached by content type, a forbidden or too large file is refused clearly, and one is deleted after confirming', async () => {
    const input = page.getByLabel('File to attach');
    await input.setInputFiles({ name: 'pump-quote.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n') });
    await page.getByRole('button', { name: 'Attach file' }).click();
    await statusText(page, 'pump-quote.pdf attached.').waitFor();
    const files = page.getByRole('list', { name: 'Attached files, newest first' });
    const link = files.getByRole('link', { name: 'pump-quote.pdf' });
    await link.waitFor();
    const res = await page.request.get(await link.getAttribute('href'));
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.match(res.headers()['content-disposition'], /^attachment;/);

    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('<!doctype html><html><script>alert(1)</script></html>') });
    await page.getByRole('button', { name: 'Attach file' }).click();
    await page.getByRole('alert').filter({ hasText: 'This file is text/html' }).waitFor();
    await axe(page, 'attachment refused for its type');

    const limits = await apiCall(page, 'GET', '/api/v1/attachments/limits');
    // From a file on disk: the browser reads it itself (a buffer this size would cross the
    // DevTools connection base64-encoded, which takes longer than the action timeout on a busy machine).
    const huge = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-e2e-upload-')), 'huge.txt');
    fs.writeFileSync(huge, Buffer.alloc(limits.maxBytes + 1, 'a'));
    await input.setInputFiles(huge);
    await page.getByRole('button', { name: 'Attach file' }).click();
    await page.getByRole('alert').filter({ hasText: 'huge.txt is' }).waitFor();
    fs.rmSync(path.dirname(huge), { recursive: true, force: true });

    await page.getByRole('button', { name: 'Delete pump-quote.pdf' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this attachment?' });
    await dialog.waitFor();
    await axe(page, 'delete attachment dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await statusText(page, 'pump-quote.pdf deleted.').waitFor();
    await page.getByText('No files attached yet.').waitFor();
    const list = await apiCall(page, 'GET', `/api/v1/cases/${state.caseId}/attachments`);
    assert.equal(list.items.length, 0);
  });

  await test('case work: "My tasks" is in the navigation and lists my open tasks soonest first', async () => {
    await goNav(page, 'My tasks', '/tasks', 'My tasks');
    const table = page.getByRole('table', { name: 'Your open tasks, soonest due first' });
    await table.getByRole('row', { name: /Write to the resident/ }).waitFor();
    await table.getByRole('link', { name: state.reference }).waitFor();
    await axe(page, 'my tasks');
    await page.getByLabel('Done tasks').check();
    await page.getByText('No done tasks yet.').waitFor();
    await axe(page, 'my tasks (done)');
    await page.close();
  });
}
