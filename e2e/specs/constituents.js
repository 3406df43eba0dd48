// Browser tests of the constituent registry's staff pages: the list with search and filters,
// the create/edit form (validation, duplicate warning), the record (contact points, map,
// consent, timeline, notes, relationships) and the custom fields admin page. Every screen is
// checked with axe; one path goes from the search box into a record by keyboard alone.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, goNav, h1, newPage, signInViaUi, statusText, test } from '../harness.js';

const WARD = 'Kestrel Ward';
// A square around 52.45 N, 1.26 W (the demo district's neighbourhood).
const WARD_GEOJSON = {
  type: 'FeatureCollection',
  features: [{
    type: 'Feature',
    properties: { code: 'E2E-KES', name: WARD },
    geometry: { type: 'Polygon', coordinates: [[[-1.28, 52.44], [-1.24, 52.44], [-1.24, 52.46], [-1.28, 52.46], [-1.28, 52.44]]] },
  }],
};

const idOf = (url) => /\/constituents\/([0-9a-f-]{36})/.exec(url)?.[1];

/** Presses Tab until the focused element matches, at most `limit` times. */
async function tabTo(page, matches, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const active = await activeInfo(page);
    if (matches(active)) return active;
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await activeInfo(page))})`);
}

export async function run({ browser, baseUrl, creds }) {
  let page;
  const seen = new Set();
  const state = {};
  const url = (path) => baseUrl + path;

  await test('constituents: the list is in the navigation, passes axe and starts empty', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    await apiCall(page, 'POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: WARD_GEOJSON });
    await goNav(page, 'Constituents', '/constituents', 'Constituents', seen);
    await page.getByRole('link', { name: 'Add a constituent' }).waitFor();
    assert.ok(await page.getByRole('link', { name: /Export CSV/ }).isVisible(), 'the admin may export');
    assert.ok(await page.getByLabel('Ward').locator('option', { hasText: WARD }).count(), 'the ward filter lists the wards');
    await axe(page, '/constituents');
  });

  await test('constituents: the form shows errors beside their fields, then creates the record', async () => {
    await page.getByRole('link', { name: 'Add a constituent' }).click();
    await page.waitForURL(url('/constituents/new'));
    await h1(page).filter({ hasText: 'Add a constituent' }).waitFor();
    assert.equal((await activeInfo(page)).tag, 'h1', 'focus moves to the h1');
    seen.add(await page.title());
    await axe(page, 'new constituent form');
    await page.locator('#c-givenName').fill('Rosalind');
    await page.locator('#c-familyName').fill('Featherstone');
    await page.locator('#c-emails-0-email').fill('rosalind-at-example');
    await page.locator('#c-addresses-0-line1').fill('14 Kestrel Lane');
    await page.locator('#c-addresses-0-locality').fill('Riverton');
    await page.locator('#c-addresses-0-postcode').fill('RV1 4KL');
    await page.locator('#c-addresses-0-lat').fill('52.45');
    await page.locator('#c-addresses-0-lng').fill('-1.26');
    await page.locator('#c-tags').fill('e2e-volunteer, tenant');
    await page.getByRole('button', { name: 'Add constituent' }).click();
    // The contract's check in the browser: the message sits next to the email field.
    await page.locator('#c-emails-0-email-error').filter({ hasText: 'must be a valid email address' }).waitFor();
    assert.equal(await page.locator('#c-emails-0-email').getAttribute('aria-invalid'), 'true');
    await page.getByRole('alert').getByRole('link', { name: /Email address 1, email: must be a valid email address/ }).waitFor();
    await axe(page, 'constituent form with an error');
    await page.locator('#c-emails-0-email').fill('rosalind.featherstone@example.org');

    // The server's check (phone numbers need the office's region), on a second row while the
    // first is blank: blank rows are not sent, so the API's phones.0 is the form's row 2.
    await page.getByRole('button', { name: 'Add a phone number' }).click();
    assert.equal((await activeInfo(page)).id, 'c-phones-1-number', 'a new row takes focus');
    await page.locator('#c-phones-1-number').fill('12345');
    await page.getByRole('button', { name: 'Add constituent' }).click();
    await page.locator('#c-phones-1-number-error').waitFor();
    assert.equal(await page.locator('#c-phones-0-number-error').count(), 0, 'the blank row has no error');
    assert.equal(await page.locator('#c-emails-0-email-error').count(), 0, 'the fixed email no longer shows an error');
    await page.getByRole('alert').getByRole('link', { name: /Phone number 2, number/ }).click();
    assert.equal((await activeInfo(page)).id, 'c-phones-1-number', 'the summary link moves focus to the field');
    await page.getByRole('button', { name: 'Remove phone number 2' }).click();
    assert.equal((await activeInfo(page)).text, 'Add a phone number', 'removing a row moves focus to its Add button');
    await page.locator('#c-phones-0-number').fill('07700 900461');

    await page.getByRole('button', { name: 'Add constituent' }).click();
    await page.waitForURL(/\/constituents\/[0-9a-f-]{36}$/);
    state.first = idOf(page.url());
    await h1(page).filter({ hasText: 'Rosalind Featherstone' }).waitFor();
    await statusText(page, 'Rosalind Featherstone added.').waitFor();
  });

  await test('constituents: the record shows contact points, tags, the ward and the map', async () => {
    assert.ok(!seen.has(await page.title()), 'the record has its own title');
    seen.add(await page.title());
    await page.getByRole('table', { name: 'Email addresses' }).getByText('rosalind.featherstone@example.org').waitFor();
    const phones = page.getByRole('table', { name: 'Phone numbers' });
    assert.match(await phones.innerText(), /07700\s?900\s?461/);
    assert.match(await phones.innerText(), /Primary/);
    await page.getByRole('table', { name: 'Postal addresses' }).getByText(/14 Kestrel Lane/).waitFor();
    await page.locator('.tag-list').getByText('e2e-volunteer').waitFor();
    // The map's text alternative, and the drawn ward and pin.
    await page.locator('figcaption').filter({ hasText: `Ward: ${WARD}; 52.45, -1.26` }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.constituent-map path').length >= 2);
    // The map takes no focus of its own: Tab goes through its zoom buttons and out again.
    await page.locator('.leaflet-control-zoom-in').focus();
    await page.keyboard.press('Tab');
    assert.match((await activeInfo(page)).className, /leaflet-control-zoom-out/);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest('.constituent-map'))), false, 'Tab leaves the map');
    await axe(page, 'constituent record');
  });

  await test('constituents: recording consent changes the decision; flags need confirming', async () => {
    const cell = page.locator('td[data-channel="email"][data-purpose="outreach"]');
    await cell.getByText('Not allowed').waitFor();
    await page.locator('#consent-channel').selectOption('email');
    await page.locator('#consent-purpose').selectOption('outreach');
    await page.getByLabel(/^Granted/).check();
    await page.locator('#consent-source').selectOption('web_form');
    await page.locator('#consent-evidence').fill('Ticked the newsletter box at the library stall');
    await page.getByRole('button', { name: 'Record consent' }).click();
    await statusText(page, 'Recorded: Email for newsletters and outreach granted.').waitFor();
    await cell.getByText('Allowed', { exact: true }).waitFor();
    await page.getByRole('table', { name: /Consent statements/ }).getByText('Ticked the newsletter box at the library stall').waitFor();

    await page.getByRole('button', { name: 'Set “Opted out of bulk contact”' }).click();
    const dialog = page.getByRole('dialog', { name: /Set “Opted out of bulk contact”/ });
    await dialog.waitFor();
    assert.equal((await activeInfo(page)).text, 'Cancel', 'a confirmation starts on Cancel');
    await axe(page, 'flag confirmation');
    await dialog.getByRole('button', { name: 'Set flag' }).click();
    await statusText(page, '“Opted out of bulk contact” is now set.').waitFor();
    await cell.getByText('Not allowed').waitFor();
    await page.locator('.constituent-header').getByText('Opted out of bulk contact').waitFor();
  });

  await test('constituents: a note appears on the timeline, which filters by kind', async () => {
    await page.locator('#note-body').fill('Called about the blocked drain outside number 14.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await statusText(page, 'Note added to the timeline.').waitFor();
    const timeline = page.getByRole('list', { name: /^Timeline/ });
    await timeline.getByText('Called about the blocked drain outside number 14.').waitFor();
    await timeline.getByText(/^Consent granted/).waitFor();
    await page.locator('#timeline-kind').selectOption('note');
    await page.getByRole('button', { name: 'Filter timeline' }).click();
    await page.getByRole('list', { name: 'Timeline: Notes, newest first' }).waitFor();
    const kinds = await page.locator('.timeline-entry').evaluateAll((els) => els.map((e) => e.className));
    assert.equal(kinds.length, 1, 'one note');
    assert.ok(kinds.every((k) => k.includes('timeline-note')), 'only notes are shown');
    await axe(page, 'record with the timeline filtered');
  });

  await test('constituents: a similar person gets the duplicate warning, then "Create anyway"', async () => {
    await page.goto('/constituents/new');
    await h1(page).filter({ hasText: 'Add a constituent' }).waitFor();
    await page.locator('#c-givenName').fill('Rosalind');
    await page.locator('#c-familyName').fill('Featherston');
    await page.locator('#c-phones-0-number').fill('+44 7700 900461');
    await page.locator('#c-addresses-0-line1').fill('14 Kestrel Lane');
    await page.locator('#c-addresses-0-postcode').fill('RV1 4KL');
    await page.getByRole('button', { name: 'Add constituent' }).click();
    const warning = page.getByRole('region', { name: 'This may be someone already on record' });
    await warning.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby')), 'duplicate-heading', 'the warning takes focus');
    const match = warning.getByRole('link', { name: 'Rosalind Featherstone' });
    assert.equal(await match.getAttribute('href'), `/constituents/${state.first}`);
    assert.match(await warning.innerText(), /same address/);
    await axe(page, 'duplicate warning');
    await warning.getByRole('button', { name: 'Create anyway' }).click();
    await page.waitForURL(/\/constituents\/[0-9a-f-]{36}$/);
    state.second = idOf(page.url());
    assert.notEqual(state.second, state.first);
    await h1(page).filter({ hasText: 'Rosalind Featherston' }).waitFor();
  });

  await test('constituents: keyboard only, a typo search finds the record and opens it', async () => {
    await goNav(page, 'Constituents', '/constituents', 'Constituents');
    await tabTo(page, (a) => a.id === 'constituents-q');
    await page.keyboard.type('Rosalnd Fethrstone');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?q=Rosalnd\+Fethrstone$/);
    const table = page.getByRole('table', { name: /Constituents matching “Rosalnd Fethrstone”/ });
    await table.waitFor();
    const names = await table.locator('tbody th a').allTextContents();
    assert.equal(names[0], 'Rosalind Featherstone', `the closest match comes first (got ${names.join(', ')})`);
    await tabTo(page, (a) => a.tag === 'a' && a.text === 'Rosalind Featherstone');
    await page.keyboard.press('Enter');
    await page.waitForURL(url(`/constituents/${state.first}`));
    await h1(page).filter({ hasText: 'Rosalind Featherstone' }).waitFor();
    assert.equal((await activeInfo(page)).tag, 'h1', 'focus is on the record’s h1');
    // Back returns to the search, still applied and shown in the box.
    await page.goBack();
    await page.getByRole('table', { name: /Constituents matching “Rosalnd Fethrstone”/ }).waitFor();
    assert.equal(await page.locator('#constituents-q').inputValue(), 'Rosalnd Fethrstone');
  });

  await test('constituents: filters by tag and ward, kept in the URL and the export link', async () => {
    await page.goto('/constituents');
    await h1(page).filter({ hasText: 'Constituents' }).waitFor();
    await page.getByLabel('Tag').fill('e2e-volunteer');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/tag=e2e-volunteer/);
    await page.getByText('Showing 1 constituents.').waitFor();
    const table = page.getByRole('table', { name: 'Constituents' });
    assert.deepEqual(await table.locator('tbody th a').allTextContents(), ['Rosalind Featherstone']);
    assert.match(await table.locator('tbody tr').first().innerText(), new RegExp(WARD));
    const exportHref = await page.getByRole('link', { name: /Export CSV/ }).getAttribute('href');
    assert.match(exportHref, /^\/api\/v1\/constituents\/export\.csv\?tag=e2e-volunteer$/);
    const csv = await (await page.request.get(exportHref)).text();
    assert.ok(csv.includes('Featherstone') && !/Featherston(?!e)/.test(csv), 'the export holds the filtered result');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Ward').selectOption({ label: WARD });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/ward=/);
    await page.getByText('Showing 1 constituents.').waitFor();
    assert.deepEqual(await table.locator('tbody th a').allTextContents(), ['Rosalind Featherstone'], 'only the record with an address in the ward');
    await axe(page, 'filtered constituent list');
  });

  await test('custom fields: define fields, then fill them in on the edit form and filter by one', async () => {
    await goNav(page, 'Custom fields', '/admin/custom-fields', 'Custom fields', seen);
    await axe(page, '/admin/custom-fields');
    await page.getByRole('button', { name: 'Add a custom field' }).click();
    await page.locator('#cf-label').fill('Preferred contact time');
    await page.locator('#cf-key').fill('Preferred Time');
    await page.locator('#cf-type').selectOption('choice');
    await page.locator('#cf-options').fill('Morning\nAfternoon');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.locator('#cf-key-error').waitFor();
    await axe(page, 'custom field form with an error');
    await page.locator('#cf-key').fill('preferred_time');
    await page.getByRole('button', { name: 'Add field' }).click();
    await statusText(page, 'Field Preferred contact time added.').waitFor();
    await page.getByRole('button', { name: 'Add a custom field' }).click();
    await page.locator('#cf-label').fill('Interests');
    await page.locator('#cf-key').fill('interests');
    await page.locator('#cf-type').selectOption('multi_choice');
    await page.locator('#cf-options').fill('Parks\nHousing\nTransport');
    await page.getByRole('button', { name: 'Add field' }).click();
    await statusText(page, 'Field Interests added.').waitFor();

    await page.getByRole('button', { name: 'Edit Preferred contact time' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit the field “Preferred contact time”' });
    await dialog.waitFor();
    await dialog.getByLabel('Options').fill('Morning\nAfternoon\nEvening');
    await axe(page, 'edit custom field dialog');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await statusText(page, 'Saved changes to Preferred contact time.').waitFor();
    await page.getByRole('row', { name: /Preferred contact time/ }).getByText('Morning, Afternoon, Evening').waitFor();

    await page.goto(`/constituents/${state.first}`);
    await page.getByRole('link', { name: 'Edit Rosalind Featherstone' }).click();
    await page.waitForURL(url(`/constituents/${state.first}/edit`));
    await h1(page).filter({ hasText: 'Edit Rosalind Featherstone' }).waitFor();
    assert.equal(await page.locator('#c-emails-0-email').inputValue(), 'rosalind.featherstone@example.org', 'the form holds the record');
    await page.getByLabel('Preferred contact time').selectOption('Evening');
    await page.getByRole('group', { name: 'Interests' }).getByLabel('Housing').check();
    await axe(page, 'edit constituent form with custom fields');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(url(`/constituents/${state.first}`));
    await statusText(page, 'Changes saved.').waitFor();
    const facts = page.locator('dl.facts');
    await facts.locator('div', { hasText: 'Preferred contact time' }).getByText('Evening').waitFor();
    await facts.locator('div', { hasText: 'Interests' }).getByText('Housing').waitFor();

    await page.goto('/constituents');
    await page.getByLabel('Custom field', { exact: true }).selectOption({ label: 'Preferred contact time' });
    await page.getByLabel('Preferred contact time is').selectOption('Evening');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/field=preferred_time%3AEvening/);
    await page.getByText('Showing 1 constituents.').waitFor();
    assert.deepEqual(await page.getByRole('table', { name: 'Constituents' }).locator('tbody th a').allTextContents(), ['Rosalind Featherstone']);
  });

  await test('constituents: relationships are added with the picker and removed after confirming', async () => {
    await page.goto(`/constituents/${state.second}`);
    await h1(page).filter({ hasText: 'Rosalind Featherston' }).waitFor();
    await page.getByRole('button', { name: 'Add a relationship' }).click();
    await page.locator('#rel-kind').selectOption('carer_of');
    await page.locator('#rel-other-q').fill('Featherstone');
    await page.locator('#rel-other-q').press('Enter');
    const picker = page.getByRole('group', { name: 'Related to' });
    await picker.getByRole('radio', { name: /^Rosalind Featherstone\b/ }).check();
    await axe(page, 'relationship form with search results');
    await page.getByRole('button', { name: 'Add relationship' }).click();
    await statusText(page, /now linked to Rosalind Featherstone \(carer of\)/).waitFor();
    const table = page.getByRole('table', { name: 'Relationships of Rosalind Featherston' });
    await table.getByRole('link', { name: 'Rosalind Featherstone' }).waitFor();
    // The other record reads it from its side.
    await table.getByRole('link', { name: 'Rosalind Featherstone' }).click();
    await h1(page).filter({ hasText: 'Rosalind Featherstone' }).waitFor();
    await page.getByRole('table', { name: 'Relationships of Rosalind Featherstone' }).getByText('Cared for by').waitFor();
    await page.getByRole('button', { name: 'Remove link to Rosalind Featherston' }).click();
    await page.getByRole('dialog', { name: 'Remove the link to Rosalind Featherston?' }).getByRole('button', { name: 'Remove link' }).click();
    await statusText(page, 'Removed the link to Rosalind Featherston.').waitFor();
    await page.getByText('No relationships recorded.').waitFor();
  });

  await test('constituents: a household is created with a second member, then deleted', async () => {
    await page.goto(`/constituents/${state.first}`);
    await h1(page).filter({ hasText: 'Rosalind Featherstone' }).waitFor();
    await page.getByRole('button', { name: 'Create a household' }).click();
    assert.equal(await page.locator('#household-name').inputValue(), 'Featherstone household', 'named after the family');
    await page.locator('#household-other-q').fill('Featherston');
    await page.getByRole('button', { name: /^Find/ }).click();
    await page.getByRole('group', { name: 'Also add (optional)' }).getByRole('radio', { name: /^Rosalind Featherston\b(?!e)/ }).check();
    await page.getByRole('button', { name: 'Create household' }).click();
    await statusText(page, 'Household “Featherstone household” created.').waitFor();
    const members = page.getByRole('list', { name: 'Members of Featherstone household' });
    await members.getByRole('link', { name: 'Rosalind Featherston' }).waitFor();
    await members.getByText('Rosalind Featherstone (this record)').waitFor();
    await axe(page, 'record with a household');
    await page.getByRole('button', { name: 'Delete household' }).click();
    await page.getByRole('dialog', { name: 'Delete the household “Featherstone household”?' }).getByRole('button', { name: 'Delete household' }).click();
    await statusText(page, 'Household “Featherstone household” deleted.').waitFor();
    await page.getByText('Not in a household.').waitFor();
  });

  await test('constituents: a merged record points to the survivor and cannot be edited', async () => {
    const survivor = await apiCall(page, 'POST', '/api/v1/constituents', { kind: 'organisation', organisationName: 'Kestrel Lane Allotments', ignoreDuplicates: true });
    const merged = await apiCall(page, 'POST', '/api/v1/constituents', { kind: 'organisation', organisationName: 'Kestrel Ln Allotment Society', ignoreDuplicates: true });
    await apiCall(page, 'POST', `/api/v1/constituents/${survivor.id}/merge`, { otherId: merged.id });
    await page.goto(`/constituents/${merged.id}`);
    await h1(page).filter({ hasText: 'Kestrel Ln Allotment Society' }).waitFor();
    const notice = page.getByRole('note');
    await notice.getByRole('link', { name: 'Kestrel Lane Allotments' }).waitFor();
    assert.equal(await page.getByRole('link', { name: /^Edit/ }).count(), 0, 'no Edit link on a merged record');
    assert.equal(await page.getByRole('button', { name: 'Add note' }).count(), 0, 'no note form on a merged record');
    await axe(page, 'merged record');
    await notice.getByRole('link', { name: 'Kestrel Lane Allotments' }).click();
    await page.waitForURL(url(`/constituents/${survivor.id}`));
    await h1(page).filter({ hasText: 'Kestrel Lane Allotments' }).waitFor();
  });

  await test('constituents: a caseworker can search and edit but not export or configure fields', async () => {
    const email = `casey-${Date.now()}@example.org`;
    await apiCall(page, 'POST', '/api/v1/users', { email, displayName: 'Casey Worker', role: 'caseworker', password: 'casey-password-1234' });
    const cw = await newPage(browser);
    await signInViaUi(cw, email, 'casey-password-1234');
    await h1(cw).filter({ hasText: 'Home' }).waitFor();
    await goNav(cw, 'Constituents', '/constituents', 'Constituents');
    await cw.getByRole('link', { name: 'Add a constituent' }).waitFor();
    assert.equal(await cw.getByRole('link', { name: /Export CSV|Import from CSV|Review duplicates/ }).count(), 0, 'no export, import or duplicates links');
    assert.equal(await cw.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Custom fields' }).count(), 0);
    await cw.goto('/admin/custom-fields');
    await h1(cw).filter({ hasText: 'You do not have access to this page' }).waitFor();
    await cw.context().close();
  });

  await test('constituents: an address is filled in from the address register and gets its ward', async () => {
    const session = await (await page.request.get('/api/v1/auth/session')).json();
    const csv = 'line1,line2,locality,postcode,lat,lng,external_id\n21 Kestrel Lane,,Riverton,RV1 4KM,52.452,-1.259,E2E-UPRN-21\n';
    const res = await page.request.post('/api/v1/geo/register/import', { headers: { 'content-type': 'text/csv', 'x-csrf-token': session.csrfToken }, data: csv });
    assert.equal(res.status(), 200, await res.text());
    await page.goto(`/constituents/${state.second}/edit`);
    await h1(page).filter({ hasText: 'Edit Rosalind Featherston' }).waitFor();
    await page.locator('#c-addresses-0-lookup').fill('21 Kestrel');
    await page.locator('#c-addresses-0-lookup').press('Enter');
    await page.getByRole('button', { name: 'Use 21 Kestrel Lane, Riverton RV1 4KM' }).click();
    await statusText(page, 'Filled in 21 Kestrel Lane, Riverton RV1 4KM.').waitFor();
    assert.equal(await page.locator('#c-addresses-0-line1').inputValue(), '21 Kestrel Lane');
    assert.equal(await page.locator('#c-addresses-0-lat').inputValue(), '52.452');
    await axe(page, 'edit form after an address look-up');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(url(`/constituents/${state.second}`));
    await page.locator('figcaption').filter({ hasText: `Ward: ${WARD}; 52.452, -1.259` }).waitFor();
  });
}
