// Browser tests of automatic assignment, away staff, duplicates and the case edit dialog:
// a rule added on Settings → Assignment (reordered and deleted by keyboard) sends a new case
// to its team, skipping the member marked away on the Users page; a case is closed as a
// duplicate from its page (the link shows on both cases) and reopened; the case is edited by
// keyboard; a case of the same person is merged in; the new-case form lists the person's
// open cases. Every screen and dialog passes axe; dialogs take and give back focus.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, goNav, h1, newPage, signInViaUi, statusText, test } from '../harness.js';

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function run({ browser, baseUrl, creds }) {
  let page;
  const state = {};
  const url = (path) => baseUrl + path;

  await test('assignment: the settings page adds a rule and passes axe', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    const lights = await apiCall(page, 'POST', '/api/v1/case-categories', { name: 'Lighting' });
    await apiCall(page, 'POST', '/api/v1/case-categories', { name: 'Lamp posts', parentId: lights.id });
    const ana = await apiCall(page, 'POST', '/api/v1/users', { email: 'ana.away@example.org', displayName: 'Ana Away', role: 'caseworker' });
    const ben = await apiCall(page, 'POST', '/api/v1/users', { email: 'ben.here@example.org', displayName: 'Ben Here', role: 'caseworker' });
    const team = await apiCall(page, 'POST', '/api/v1/teams', { name: 'Lighting crew' });
    await apiCall(page, 'PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: ana.user.id }, { userId: ben.user.id }] });
    Object.assign(state, { anaId: ana.user.id, benId: ben.user.id, teamId: team.id });

    await goNav(page, 'Assignment', '/admin/assignment', 'Assignment');
    await page.getByText('No rules yet').waitFor();
    await axe(page, 'assignment settings, empty');
    // Refused without a category or ward: the error is beside the field.
    await page.getByLabel('Name', { exact: true }).fill('Lighting to the crew');
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Lighting crew' });
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('#rule-category-error').waitFor();
    await page.getByLabel('Category (and the ones below it)').selectOption({ label: 'Lighting' });
    await page.getByRole('button', { name: 'Add rule' }).click();
    await statusText(page, 'Rule Lighting to the crew added.').waitFor();
    await page.getByRole('table', { name: 'Rules, tried from the top' }).getByRole('row', { name: /Lighting to the crew/ }).waitFor();
    await page.getByLabel('Strategy of Lighting crew').selectOption('least_loaded');
    await statusText(page, 'Lighting crew now shares cases by load.').waitFor();
    await axe(page, 'assignment settings with a rule');

    // A second rule, moved to the top by keyboard (focus stays on that rule), then deleted.
    await page.getByLabel('Name', { exact: true }).fill('Lamp posts first');
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Lighting crew' });
    await page.getByLabel('Category (and the ones below it)').selectOption({ label: 'Lighting › Lamp posts' });
    await page.getByRole('button', { name: 'Add rule' }).click();
    await statusText(page, 'Rule Lamp posts first added.').waitFor();
    const rules = page.getByRole('table', { name: 'Rules, tried from the top' });
    await page.getByRole('button', { name: 'Move up Lamp posts first' }).focus();
    await page.keyboard.press('Enter');
    await statusText(page, 'Moved Lamp posts first.').waitFor();
    await rules.getByRole('row').nth(1).filter({ hasText: 'Lamp posts first' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Move down Lamp posts first');
    await page.getByRole('button', { name: 'Delete Lamp posts first' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Delete the rule Lamp posts first?' });
    await confirm.waitFor();
    await axe(page, 'delete rule confirmation');
    await confirm.getByRole('button', { name: 'Delete rule' }).click();
    await statusText(page, 'Rule Lamp posts first deleted.').waitFor();
    await rules.getByRole('row', { name: /Lamp posts first/ }).waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.id === 'rules-heading');
  });

  await test('assignment: a manager marks someone away on the Users page, and new cases skip them', async () => {
    await goNav(page, 'Users', '/admin/users', 'Users');
    // By keyboard: the dialog takes focus, and gives it back to its button when closed.
    const awayButton = page.getByRole('button', { name: 'Away period for Ana Away' });
    await awayButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Away: Ana Away' });
    await dialog.waitFor();
    assert.equal((await activeInfo(page)).id, `away-${state.anaId}-from`, 'focus starts on the first field of the away dialog');
    await axe(page, 'away dialog');
    await dialog.getByLabel('First day away').fill(day(-1));
    await dialog.getByLabel('Last day away (optional)').fill(day(-3));
    await dialog.getByRole('button', { name: 'Save away period' }).click();
    await dialog.locator('#away-' + state.anaId + '-until-error').waitFor();
    await axe(page, 'away dialog with an error');
    await dialog.getByLabel('Last day away (optional)').fill(day(5));
    await dialog.getByRole('button', { name: 'Save away period' }).click();
    await dialog.getByText('away now, so new cases go to others').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await activeInfo(page)).text, 'Away period for Ana Away', 'focus returns to the Away button');

    const lamp = (await apiCall(page, 'GET', '/api/v1/case-categories')).items.find((c) => c.name === 'Lamp posts');
    // The same person reports two lamp posts about 30 m apart: each case suggests the other.
    const caller = await apiCall(page, 'POST', '/api/v1/constituents', { givenName: 'Lorna', familyName: 'Lampwick', ignoreDuplicates: true });
    const common = { channel: 'phone', categoryId: lamp.id, constituents: [{ constituentId: caller.id }] };
    const first = await apiCall(page, 'POST', '/api/v1/cases', { ...common, subject: 'Lamp post leaning', location: { lat: 52.48, lng: -1.9 } });
    const second = await apiCall(page, 'POST', '/api/v1/cases', { ...common, subject: 'Lamp post dark', location: { lat: 52.4803, lng: -1.9 } });
    assert.deepEqual([first.assignee?.id, second.assignee?.id], [state.benId, state.benId], 'Ana is away: both go to Ben');
    assert.equal(first.team?.id, state.teamId);
    Object.assign(state, { first, second, callerId: caller.id, lampId: lamp.id });

    await page.goto(url(`/cases/${first.id}`));
    await h1(page).filter({ hasText: 'Lamp post leaning' }).waitFor();
    await page.getByText('Assigned automatically to Ben Here (Lighting crew) by rule “Lighting to the crew”').waitFor();
    const panel = page.getByRole('region', { name: 'Linked and related cases' });
    await panel.getByText('No linked cases.').waitFor();
    // Nearby and of the same person: listed once, with both reasons and both actions.
    const suggestion = panel.getByRole('listitem').filter({ hasText: /Lamp post dark \(3\d m away, same category; same person\)/ });
    await suggestion.getByRole('button', { name: `Mark this case a duplicate of ${second.reference}` }).waitFor();
    await suggestion.getByRole('button', { name: `Merge into this case from ${second.reference}` }).waitFor();
    await axe(page, 'case page with links panel and suggestions');
  });

  await test('assignment: a case is closed as a duplicate from its page, shown on both cases, and reopened', async () => {
    await page.goto(url(`/cases/${state.second.id}`));
    await h1(page).filter({ hasText: 'Lamp post dark' }).waitFor();
    // An unknown reference is refused beside the field.
    await page.getByLabel('Duplicate of (case reference)').fill('C-1999-99999');
    await page.getByLabel('Duplicate of (case reference)').press('Enter');
    await page.locator('#dup-reference-error').waitFor();
    await page.getByLabel('Duplicate of (case reference)').fill(state.first.reference);
    await page.getByLabel('Duplicate of (case reference)').press('Enter');
    const confirm = page.getByRole('dialog', { name: `Close ${state.second.reference} as a duplicate of ${state.first.reference}?` });
    await confirm.waitFor();
    assert.equal((await activeInfo(page)).text, 'Cancel', 'the confirmation starts on Cancel');
    await axe(page, 'duplicate confirmation');
    await confirm.getByRole('button', { name: 'Close as duplicate' }).click();
    await statusText(page, `Closed as a duplicate of ${state.first.reference}.`).waitFor();
    await page.getByText(`Duplicate of: ${state.first.reference}`).waitFor();
    await page.getByRole('heading', { name: 'Resolution: Duplicate of another case' }).waitFor();

    await page.getByRole('link', { name: state.first.reference }).first().click();
    await h1(page).filter({ hasText: 'Lamp post leaning' }).waitFor();
    await page.getByText(`Duplicate: ${state.second.reference}`).waitFor();
    await page.getByText(`${state.second.reference} marked a duplicate of this case`).waitFor();
    await axe(page, 'original case showing its duplicate');

    await page.goto(url(`/cases/${state.second.id}`));
    await page.getByRole('button', { name: 'Not a duplicate: reopen' }).click();
    await page.getByRole('dialog', { name: `Reopen ${state.second.reference}?` }).getByRole('button', { name: 'Not a duplicate: reopen' }).click();
    await statusText(page, 'No longer a duplicate; the case is open again.').waitFor();
    await page.getByText('No linked cases.').waitFor();
    await page.getByRole('heading', { name: /^Resolution:/ }).waitFor({ state: 'detached' });
    const reopened = await apiCall(page, 'GET', `/api/v1/cases/${state.second.id}`);
    assert.notEqual(reopened.status.category, 'closed', 'the case is open again');
    assert.equal(reopened.resolution, null, 'the duplicate resolution is gone');
    await page.getByLabel('Duplicate of (case reference)').waitFor();
    await axe(page, 'case page after undoing the duplicate');
    const firstLinks = await apiCall(page, 'GET', `/api/v1/cases/${state.first.id}/links`);
    assert.deepEqual(firstLinks.items, [], 'the original no longer lists the duplicate');
  });

  await test('assignment: the case is edited by keyboard in a dialog', async () => {
    await page.locator('main h1').focus();
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: `Edit ${state.second.reference}` });
    await dialog.waitFor();
    assert.equal((await activeInfo(page)).id, 'edit-subject', 'focus starts on the subject field');
    await axe(page, 'edit dialog');
    // Escape closes it without saving and gives focus back to where it was.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await activeInfo(page)).tag, 'h1', 'focus returns to the heading after Escape');

    await page.keyboard.press('e');
    await dialog.waitFor();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Lamp post dark at night');
    await dialog.getByLabel('Priority').selectOption({ label: 'Urgent' });
    await dialog.getByLabel('Tags').fill('lighting, night');
    await dialog.getByLabel('Latitude (optional pin)').fill('95');
    await dialog.getByLabel('Longitude (optional pin)').fill('1');
    await dialog.getByLabel('Subject').press('Enter');
    await dialog.locator('#edit-lat-error').waitFor();
    assert.equal(await dialog.getByLabel('Latitude (optional pin)').getAttribute('aria-invalid'), 'true');
    await axe(page, 'edit dialog with an error');
    await dialog.getByLabel('Latitude (optional pin)').fill('52.45');
    await dialog.getByLabel('Subject').press('Enter');
    await statusText(page, 'Changes saved.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await activeInfo(page)).tag, 'h1', 'focus returns to the heading after saving');
    await h1(page).filter({ hasText: 'Lamp post dark at night' }).waitFor();
    await page.getByText('Priority: Urgent').waitFor();
    await page.getByText('52.45, 1').waitFor();
    const saved = await apiCall(page, 'GET', `/api/v1/cases/${state.second.id}`);
    assert.deepEqual([saved.subject, saved.priority, saved.tags, saved.location.lat, saved.location.lng], ['Lamp post dark at night', 'urgent', ['lighting', 'night'], 52.45, 1]);
  });

  await test('assignment: another case of the same person is merged in from the links panel', async () => {
    const third = await apiCall(page, 'POST', '/api/v1/cases', { subject: 'Lamp post flickering', channel: 'email', categoryId: state.lampId, constituents: [{ constituentId: state.callerId }], tags: ['flicker'] });
    await page.goto(url(`/cases/${state.first.id}`));
    await h1(page).filter({ hasText: 'Lamp post leaning' }).waitFor();
    const merge = page.getByRole('button', { name: `Merge into this case from ${third.reference}` });
    await merge.focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: `Merge ${third.reference} into ${state.first.reference}?` });
    await confirm.waitFor();
    await axe(page, 'merge confirmation');
    await confirm.getByRole('button', { name: 'Merge', exact: true }).click();
    await statusText(page, `${third.reference} merged into this case.`).waitFor();
    await page.getByText(`Merged from: ${third.reference}`).waitFor();
    const merged = await apiCall(page, 'GET', `/api/v1/cases/${third.id}`);
    assert.equal(merged.status.category, 'closed', 'the merged case is closed');
    const kept = await apiCall(page, 'GET', `/api/v1/cases/${state.first.id}`);
    assert.ok(kept.tags.includes('flicker'), 'its tags joined the case kept');
  });

  await test('assignment: the new-case form lists the open cases of the person chosen', async () => {
    await page.goto(url('/cases/new'));
    await h1(page).filter({ hasText: 'New case' }).waitFor();
    await page.getByLabel('Find by name, email, phone or postcode').fill('Lampwick');
    await page.getByLabel('Find by name, email, phone or postcode').press('Enter');
    await page.getByRole('radio', { name: /Lorna Lampwick/ }).check();
    await statusText(page, 'open cases may be about the same problem').waitFor();
    const open = page.getByRole('region', { name: 'Already open' });
    await open.getByRole('link', { name: state.first.reference }).waitFor();
    await open.getByRole('link', { name: state.second.reference }).waitFor();
    await axe(page, 'new case form with open cases of the person');
  });

  await test('assignment: My account shows the away control and passes axe', async () => {
    await goNav(page, 'My account', '/account', 'My account');
    await page.getByRole('heading', { name: 'Away' }).waitFor();
    await page.getByLabel('First day away').fill(day(10));
    await page.getByRole('button', { name: 'Save away period' }).click();
    await statusText(page, 'Away period saved.').waitFor();
    await axe(page, 'my account with away');
    await page.getByRole('button', { name: 'I’m back: clear the away period' }).click();
    await statusText(page, 'Away period cleared.').waitFor();
    await page.context().close();
  });
}
