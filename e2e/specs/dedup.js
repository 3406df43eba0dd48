// Browser tests of deduplication: two similar people created through the API, a scan from
// the Duplicates page, the pair in the queue, a merge keeping a value of the other record
// (chosen by keyboard), the survivor showing it, undo, "not a duplicate", and the match
// rules form with a field error. Every screen is checked with axe.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, h1, nav, newPage, signInViaUi, statusText, test } from '../harness.js';

export async function run({ browser, baseUrl, creds }) {
  let page;
  const ids = {};
  const url = (path) => baseUrl + path;

  await test('dedup: two similar people, a scan from the Duplicates page finds the pair', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    const first = await apiCall(page, 'POST', '/api/v1/constituents', { givenName: 'Winifred', familyName: 'Ashdown', emails: [{ email: 'winifred.ashdown@example.org' }] });
    ids.survivor = first.id;
    // The create check warns about the first record; create the second anyway.
    const warned = await page.request.post('/api/v1/constituents', {
      headers: { 'x-csrf-token': (await (await page.request.get('/api/v1/auth/session')).json()).csrfToken },
      data: { givenName: 'Winnifred', familyName: 'Ashdown', dateOfBirth: '1948-03-02', emails: [{ email: 'winifred.ashdown@example.org' }] },
    });
    assert.equal(warned.status(), 409);
    assert.equal((await warned.json()).matches[0].id, ids.survivor);
    const second = await apiCall(page, 'POST', '/api/v1/constituents', {
      givenName: 'Winnifred', familyName: 'Ashdown', dateOfBirth: '1948-03-02', emails: [{ email: 'winifred.ashdown@example.org' }], ignoreDuplicates: true,
    });
    ids.other = second.id;

    await nav(page).getByRole('link', { name: 'Duplicates', exact: true }).click();
    await page.waitForURL(url('/constituents/duplicates'));
    await h1(page).filter({ hasText: 'Duplicates' }).waitFor();
    assert.equal((await activeInfo(page)).tag, 'h1', 'focus moves to the h1');
    assert.match(await page.title(), /Duplicates/);
    await axe(page, '/constituents/duplicates');
    await page.getByRole('button', { name: 'Scan now' }).click();
    await statusText(page, 'Scan finished').waitFor({ timeout: 60_000 });
    const table = page.getByRole('table', { name: /Possible duplicates/ });
    const row = table.getByRole('row').filter({ hasText: 'Winnifred Ashdown' }).filter({ hasText: 'Winifred Ashdown' });
    await row.waitFor();
    assert.match(await row.textContent(), /same email winifred\.ashdown@example\.org/);
    await axe(page, 'duplicates with a finished scan');
  });

  await test('dedup: merge keeps a value chosen from the other record, then undo restores both', async () => {
    const row = page.getByRole('table', { name: /Possible duplicates/ }).getByRole('row').filter({ hasText: 'Winnifred Ashdown' });
    await row.getByRole('link', { name: /Review and merge/ }).click();
    await h1(page).filter({ hasText: 'Merge records' }).waitFor();
    await page.getByRole('group', { name: 'Given name' }).waitFor();
    await axe(page, 'merge page');
    // Make sure the record created first stays, whichever way round the pair was listed.
    const stays = page.getByRole('group', { name: 'Which record stays?' });
    if (!(await stays.getByRole('radio', { name: 'Winifred Ashdown' }).isChecked())) {
      await stays.getByRole('radio', { name: 'Winifred Ashdown' }).check();
      await page.waitForURL(new RegExp(`survivor=${ids.survivor}`));
    }
    // Keyboard: from the survivor's value, the arrow key moves to the other record's.
    const given = page.getByRole('group', { name: 'Given name' });
    await given.getByRole('radio', { name: /^Winifred/ }).focus();
    await page.keyboard.press('ArrowDown');
    assert.ok(await given.getByRole('radio', { name: /^Winnifred/ }).isChecked(), 'arrow key picks the other value');
    assert.ok(await page.getByRole('group', { name: 'Date of birth' }).getByRole('radio', { name: /1948-03-02/ }).isChecked(), 'a value only the other has is kept by default');
    assert.match(await page.locator('main').textContent(), /Email addresses: 0 move to Winifred Ashdown; 1 already on it is removed/);
    await page.getByRole('button', { name: 'Merge into Winifred Ashdown' }).click();
    const done = statusText(page, 'Merged Winnifred Ashdown into');
    await done.waitFor();
    await axe(page, 'merge done');
    const survivor = await apiCall(page, 'GET', `/api/v1/constituents/${ids.survivor}`);
    assert.deepEqual([survivor.givenName, survivor.dateOfBirth, survivor.status], ['Winnifred', '1948-03-02', 'active']);
    const merged = await apiCall(page, 'GET', `/api/v1/constituents/${ids.other}`);
    assert.deepEqual([merged.status, merged.mergedIntoId], ['merged', ids.survivor]);

    await page.getByRole('button', { name: 'Undo the merge' }).click();
    await statusText(page, 'Merge undone').waitFor();
    await axe(page, 'merge undone');
    const back = await apiCall(page, 'GET', `/api/v1/constituents/${ids.survivor}`);
    assert.deepEqual([back.givenName, back.dateOfBirth], ['Winifred', null]);
    assert.equal((await apiCall(page, 'GET', `/api/v1/constituents/${ids.other}`)).status, 'active');
  });

  await test('dedup: the survivor page shows the kept value; "not a duplicate" takes the pair out of the queue', async () => {
    const m = await apiCall(page, 'POST', `/api/v1/constituents/${ids.survivor}/merge`, { otherId: ids.other, fields: { givenName: 'other' } });
    await page.goto(`/constituents/${ids.other}`);
    await page.getByRole('note').getByRole('link', { name: 'Winnifred Ashdown' }).click();
    await page.waitForURL(url(`/constituents/${ids.survivor}`));
    await h1(page).filter({ hasText: 'Winnifred Ashdown' }).waitFor();
    await apiCall(page, 'POST', `/api/v1/merges/${m.id}/undo`, {});

    await page.goto('/constituents/duplicates');
    const row = page.getByRole('table', { name: /Possible duplicates/ }).getByRole('row').filter({ hasText: 'Winnifred Ashdown' });
    await row.getByRole('button', { name: /Not a duplicate/ }).click();
    await statusText(page, 'marked as not duplicates').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Show').selectOption('dismissed');
    await page.getByRole('table', { name: /not duplicates/ }).getByRole('row').filter({ hasText: 'Winnifred Ashdown' }).waitFor();
    await axe(page, 'dismissed pairs');
  });

  await test('dedup: match rules show field errors beside the field, then save', async () => {
    await page.getByRole('link', { name: /Match rules/ }).click();
    await h1(page).filter({ hasText: 'Match rules' }).waitFor();
    await axe(page, 'match rules');
    const weight = page.locator('#rule-exactEmail-weight');
    await weight.fill('0');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.locator('#rule-exactEmail-weight-error').filter({ hasText: 'between 1 and 100' }).waitFor();
    assert.equal(await weight.getAttribute('aria-invalid'), 'true');
    await axe(page, 'match rules with an error');
    await weight.fill('75');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await statusText(page, 'Match rules saved').waitFor();
    assert.equal((await apiCall(page, 'GET', '/api/v1/dedup/rules')).rules.rules.exactEmail.weight, 75);
    await page.context().close();
  });
}
