// Browser tests of the insights dashboards, signed in as a manager. Data is seeded through
// the API (cases cannot be back-dated there, so every seeded case is opened today): two
// categories of this spec's own, six flooding reports and two potholes in a ward of its own.
// What follows from that is checked on every page: the breakdown by category lists both
// categories with the counts created, the table's rows match the CSV download, the trends'
// top categories, an emerging-issue alert raised by "Scan now" for the six floods (its map,
// its cases, acknowledge and undo), the map's points filtered like the case list and the
// choropleth's table. Keyboard: a definition opened with Enter, a range preset chosen with
// Enter, the map layer switched with the arrow keys. Axe on every page and state.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, expectValue, goNav, h1, nav, newPage, signInViaUi, statusText, test } from '../harness.js';

const FLOOD = 'Flooding (insights e2e)';
const POTHOLE = 'Potholes (insights e2e)';
const WARD = 'Heron Ward';
const square = (x, y, s) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
// North of the constituents spec's Kestrel Ward (52.44–52.46 N), so the two never overlap.
const HERON = { type: 'Feature', properties: { code: 'E2E-HER', name: WARD }, geometry: { type: 'Polygon', coordinates: [square(-1.28, 52.47, 0.03)] } };

/** Focuses a control and presses a key on it, as a keyboard user would. */
async function press(locator, key = 'Enter') {
  await locator.focus();
  await locator.page().keyboard.press(key);
}

/** Presses Tab until the focused element matches, at most `limit` times. */
async function tabTo(page, matches, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const active = await activeInfo(page);
    if (matches(active)) return active;
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await activeInfo(page))})`);
}

/** yyyy-mm-dd of today in a time zone, and moved by some days. */
function todayIn(timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The first data cell (after the row header) of a table's row whose header is `label`, as text. */
async function cellOf(table, label, n = 0) {
  const row = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: label, exact: true }) });
  await row.waitFor();
  return (await row.getByRole('cell').nth(n).innerText()).trim();
}

/** A CSV's records (RFC 4180 quoting), without blank lines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export async function run({ browser, baseUrl, creds }) {
  let admin;
  let page;
  const state = {};
  const url = (path) => baseUrl + path;

  await test('insights: seed two categories and eight cases in a ward of our own; a manager sees Insights and Weekly report', async () => {
    admin = await newPage(browser);
    await signInViaUi(admin, creds.email, creds.password);
    await h1(admin).filter({ hasText: 'Home' }).waitFor();
    // Importing a layer removes what the file leaves out: keep the other specs' wards.
    const existing = await apiCall(admin, 'GET', '/api/v1/geo/map?layer=ward');
    const kept = existing.features.filter((f) => f.properties.code !== HERON.properties.code)
      .map((f) => ({ type: 'Feature', properties: { code: f.properties.code, name: f.properties.name }, geometry: f.geometry }));
    await apiCall(admin, 'POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features: [...kept, HERON] } });
    const heron = (await apiCall(admin, 'GET', '/api/v1/geo/boundaries?layer=ward')).items.find((b) => b.name === WARD);
    assert.ok(heron, 'the ward was imported');
    state.wardId = heron.id;
    state.flood = await apiCall(admin, 'POST', '/api/v1/case-categories', { name: FLOOD });
    state.pothole = await apiCall(admin, 'POST', '/api/v1/case-categories', { name: POTHOLE });
    state.cases = [];
    for (let i = 0; i < 6; i++) {
      state.cases.push(await apiCall(admin, 'POST', '/api/v1/cases', {
        subject: `Flooded road ${i + 1}`, channel: 'web', categoryId: state.flood.id, location: { lat: 52.475 + i * 0.003, lng: -1.27 + i * 0.002 },
      }));
    }
    for (let i = 0; i < 2; i++) {
      state.cases.push(await apiCall(admin, 'POST', '/api/v1/cases', {
        subject: `Pothole ${i + 1}`, channel: 'phone', categoryId: state.pothole.id, location: { lat: 52.495, lng: -1.26 + i * 0.004 },
      }));
    }
    for (const c of state.cases) assert.equal(c.ward?.id, state.wardId, `${c.subject} lies in ${WARD}`);
    const session = await apiCall(admin, 'GET', '/api/v1/auth/session');
    state.today = todayIn(session.office.timeZone);

    await apiCall(admin, 'POST', '/api/v1/users', { email: 'nora.insights@example.org', displayName: 'Nora Numbers', role: 'manager', password: 'nora-password-1234' });
    page = await newPage(browser);
    await signInViaUi(page, 'nora.insights@example.org', 'nora-password-1234');
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    const labels = await nav(page).getByRole('link').allTextContents();
    for (const label of ['Insights', 'Weekly report']) assert.ok(labels.includes(label), `a manager sees ${label} in the navigation`);
  });

  await test('insights: service performance breaks down by category with the counts seeded, and its CSV has the table\'s rows', async () => {
    await goNav(page, 'Insights', '/insights', 'Service performance');
    await page.getByRole('heading', { name: 'Headline figures' }).waitFor();
    await page.getByText(/Figures as of \d/).first().waitFor();
    await page.getByRole('img', { name: /Stacked bar chart of \d+ open cases by age/ }).waitFor();
    await page.getByRole('table', { name: 'Open cases by age' }).waitFor();
    await axe(page, '/insights');

    await page.locator('#insights-by').selectOption('category');
    await page.waitForURL(/by=category/);
    const table = page.getByRole('table', { name: 'Service performance by category' });
    await table.waitFor();
    assert.equal(await cellOf(table, FLOOD), '6', 'six flooding cases opened');
    assert.equal(await cellOf(table, POTHOLE), '2', 'two potholes opened');
    // The categories split every case opened: their counts add up to the headline's.
    const opened = (await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent ?? '0')))
      .reduce((a, t) => a + Number(t.replace(/\D/g, '')), 0);
    const headline = Number((await page.locator('.insights-figure').filter({ hasText: /^Opened/ }).locator('.insights-figure-value').innerText()).replace(/\D/g, ''));
    assert.equal(opened, headline, 'the breakdown adds up to the headline figure');
    assert.ok(headline >= 8, 'the headline counts at least the cases seeded');
    await page.getByRole('table', { name: 'Open cases by age' }).getByRole('rowheader', { name: FLOOD, exact: true }).waitFor();
    await axe(page, '/insights by category');

    const href = await page.getByRole('link', { name: 'Download CSV of service performance' }).getAttribute('href');
    assert.match(href, /^\/api\/v1\/insights\/performance\.csv\?.*by=category/);
    const res = await page.request.get(href);
    assert.equal(res.status(), 200, `the CSV downloads: ${res.status()}`);
    assert.match(res.headers()['content-type'] ?? '', /text\/csv/);
    const [header, ...records] = parseCsv((await res.text()).replace(/^\uFEFF/, '')); // the byte-order mark Excel needs
    assert.deepEqual(header, ['breakdown', 'key', 'label', 'period_from', 'period_to', 'figure', 'value'], 'the documented CSV layout');
    // One record per table row and figure, for the range and for the period before it: the
    // range's "opened" records are those with the later period_from.
    const openedRecords = records.filter((r) => r[0] === 'category' && r[5] === 'opened');
    const rangeFrom = openedRecords.map((r) => r[3]).sort().at(-1);
    const openedNow = new Map(openedRecords.filter((r) => r[3] === rangeFrom).map((r) => [r[2], r[6]]));
    const rowLabels = (await table.locator('tbody th').allInnerTexts()).map((l) => l.trim());
    assert.deepEqual([...openedNow.keys()].sort(), [...rowLabels].sort(), 'the CSV has one "opened" record per table row');
    assert.equal(openedNow.get(FLOOD), '6', 'the CSV has the flooding count');
    assert.equal(openedNow.get(POTHOLE), '2', 'the CSV has the pothole count');
    const pdf = await page.getByRole('link', { name: /Download PDF report/ }).getAttribute('href');
    assert.match(pdf, /^\/api\/v1\/insights\/report\.pdf\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  });

  await test('insights: by keyboard, a definition opens with Enter and a range preset is chosen with Enter', async () => {
    await h1(page).focus();
    const active = await tabTo(page, (a) => a.tag === 'button' && /Definition: Opened/.test(a.text ?? ''));
    assert.ok(active);
    const button = page.getByRole('button', { name: 'Definition: Opened' }).first();
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true', 'Enter opens the definition');
    const definition = page.locator(`[id="${await button.getAttribute('aria-controls')}"]`);
    assert.ok(await definition.isVisible(), 'the definition is shown');
    assert.match(await definition.innerText(), /Cases created/);
    await axe(page, '/insights with a definition open');
    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false', 'Escape closes it');

    await h1(page).focus();
    await tabTo(page, (a) => a.tag === 'button' && a.text === 'Last 7 days');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`from=${addDays(state.today, -6)}&to=${state.today}`));
    await page.getByRole('button', { name: 'Last 7 days', pressed: true }).waitFor();
    await statusText(page, /Showing .* \(7 days/).waitFor();
    await expectValue(page.locator('#insights-from'), addDays(state.today, -6), 'the From field shows the preset');
    assert.equal(await cellOf(page.getByRole('table', { name: 'Service performance by category' }), FLOOD), '6', 'today\'s cases are in the last 7 days');
    await axe(page, '/insights, last 7 days');
  });

  await test('insights: trends list the top categories and chart the volumes with a table', async () => {
    await page.getByRole('navigation', { name: 'Insights dashboards' }).getByRole('link', { name: 'Trends' }).click();
    await page.waitForURL(url('/insights/trends'));
    await h1(page).filter({ hasText: 'Trends' }).waitFor();
    await page.getByRole('img', { name: /^Line chart of items and cases/ }).waitFor();
    await page.getByRole('table', { name: /Items received and cases opened per day: the figures/ }).waitFor();
    const top = page.getByRole('table', { name: 'The ten categories with most cases' });
    assert.equal(await cellOf(top, FLOOD), '6');
    assert.equal(await cellOf(top, POTHOLE), '2');
    await axe(page, '/insights/trends');
    await page.locator('#insights-volume-by').selectOption('category');
    await page.waitForURL(/by=category/);
    await page.getByRole('table', { name: /Cases opened per day, by category: the figures/ }).getByRole('columnheader', { name: FLOOD }).waitFor();
    await page.locator('#insights-interval').selectOption('week');
    await page.waitForURL(/interval=week/);
    await page.getByRole('table', { name: /per week, by category: the figures/ }).waitFor();
    await axe(page, '/insights/trends by category per week');
  });

  await test('insights: workload shows people and teams', async () => {
    await page.getByRole('navigation', { name: 'Insights dashboards' }).getByRole('link', { name: 'Workload' }).click();
    await page.waitForURL(url('/insights/workload'));
    await h1(page).filter({ hasText: 'Workload' }).waitFor();
    await page.getByRole('table', { name: 'Workload per person' }).or(page.getByText('Nobody holds cases')).first().waitFor();
    await page.getByRole('table', { name: 'Workload per team' }).waitFor();
    const href = await page.getByRole('link', { name: 'Download CSV of the workload' }).getAttribute('href');
    assert.equal((await page.request.get(href)).status(), 200, 'the workload CSV downloads');
    await axe(page, '/insights/workload');
  });

  await test('insights: "Scan now" raises an alert for the six floods; its map and cases show; acknowledge and undo', async () => {
    await page.getByRole('navigation', { name: 'Insights dashboards' }).getByRole('link', { name: 'Emerging issues' }).click();
    await page.waitForURL(url('/insights/emerging'));
    await h1(page).filter({ hasText: 'Emerging issues' }).waitFor();
    await page.getByRole('heading', { name: 'Detection settings' }).waitFor();
    await page.locator('#alert-settings-min-count').waitFor();
    await axe(page, '/insights/emerging');

    // A count below the contract's minimum is refused beside the field, before anything is sent.
    await page.locator('#alert-settings-min-count').fill('1');
    await page.getByRole('button', { name: 'Save detection settings' }).click();
    await page.locator('#alert-settings-min-count-error').waitFor();
    assert.equal(await page.locator('#alert-settings-min-count').getAttribute('aria-invalid'), 'true');
    await axe(page, 'detection settings with an error');
    if (!(await page.getByLabel('Look for emerging issues automatically').isChecked())) await page.getByLabel('Look for emerging issues automatically').check();
    await page.locator('#alert-settings-min-count').fill('5');
    await page.getByRole('button', { name: 'Save detection settings' }).click();
    await statusText(page, 'Detection settings saved.').waitFor();
    const settings = await apiCall(page, 'GET', '/api/v1/insights/alert-settings');
    assert.equal(settings.minCount, 5);
    assert.equal(settings.enabled, true);

    await page.getByRole('button', { name: 'Scan now' }).click();
    await statusText(page, 'Scan finished').waitFor();
    const title = `${FLOOD} in ${WARD}`;
    const link = page.getByRole('table', { name: 'Open alerts' }).getByRole('link', { name: title });
    // The scan answers once it has run; should the server only queue it, a reload shows it later.
    for (let i = 0; i < 10 && !(await link.count()); i++) {
      await page.waitForTimeout(1000);
      if (!(await link.count())) await page.reload();
      await h1(page).filter({ hasText: 'Emerging issues' }).waitFor();
    }
    await link.waitFor();
    await axe(page, '/insights/emerging with an alert');
    await link.click();
    await h1(page).filter({ hasText: `Alert: ${title}` }).waitFor();
    state.alertId = /\/insights\/emerging\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    assert.ok(state.alertId, 'the alert has its own page');
    const cases = page.getByRole('table', { name: /cases of this alert/ });
    await cases.waitFor();
    const refs = await cases.locator('tbody th a').allInnerTexts();
    assert.equal(refs.length, 6, 'the alert lists the six flooding cases');
    for (const c of state.cases.slice(0, 6)) assert.ok(refs.includes(c.reference), `${c.reference} is listed`);
    assert.equal(await cases.getByRole('link', { name: state.cases[0].reference }).getAttribute('href'), `/cases/${state.cases[0].id}`);
    await page.locator('.insights-case-marker').first().waitFor();
    assert.equal(await page.locator('.insights-case-marker').count(), 6, 'six numbered markers on the map');
    await axe(page, 'alert page');

    await page.getByLabel('Note (optional)').fill('Drainage team sent to Heron Ward');
    await press(page.getByRole('button', { name: 'Acknowledge', exact: true }));
    await statusText(page, 'Alert acknowledged.').waitFor();
    await page.getByText('Drainage team sent to Heron Ward').waitFor();
    let alert = await apiCall(page, 'GET', `/api/v1/insights/alerts/${state.alertId}`);
    assert.equal(alert.status, 'acknowledged');
    assert.equal(alert.note, 'Drainage team sent to Heron Ward');
    await axe(page, 'alert acknowledged');
    await press(page.getByRole('button', { name: /^Undo/ }));
    await statusText(page, 'Alert reopened.').waitFor();
    alert = await apiCall(page, 'GET', `/api/v1/insights/alerts/${state.alertId}`);
    assert.equal(alert.status, 'open', 'undo reopens the alert');
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).waitFor();
  });

  await test('insights: the map shows the case list\'s filters as points; the choropleth\'s table has the ward\'s figure', async () => {
    // "Show on map" on the case list carries its filters over.
    await page.goto(`/cases?category=${state.flood.id}`);
    await h1(page).filter({ hasText: 'Cases' }).waitFor();
    await page.getByRole('link', { name: /Show on map/ }).click();
    await page.waitForURL(url(`/insights/map?category=${state.flood.id}`));
    await h1(page).filter({ hasText: 'Map' }).waitFor();
    await expectValue(page.locator('#cases-category'), state.flood.id, 'the category filter came along');
    await statusText(page, /^6 cases on the map/).waitFor();
    await page.locator('.insights-map .leaflet-marker-icon').first().waitFor();
    await axe(page, '/insights/map, points');

    // Clearing the filter shows every case in view, the potholes included.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(url('/insights/map'));
    const total = page.getByRole('status').filter({ hasText: /cases? on the map/ });
    await page.waitForFunction(() => {
      const text = [...document.querySelectorAll('[role="status"]')].map((e) => e.textContent ?? '').find((t) => /on the map/.test(t)) ?? '';
      return Number(text.replace(/,/g, '').match(/^(\d+)/)?.[1] ?? 0) >= 8;
    });
    assert.match(await total.innerText(), /cases on the map/);

    // The layer is switched with the arrow keys, as radio buttons are.
    await press(page.getByRole('radio', { name: 'Cases as points' }), 'ArrowDown');
    await page.waitForURL(/view=wards/);
    // The URL changes first; the radio shows it on the render that follows.
    await page.getByRole('radio', { name: 'A figure per ward', checked: true }).waitFor();
    const wards = page.getByRole('table', { name: 'Cases opened by ward' });
    await wards.waitFor();
    assert.equal(await cellOf(wards, WARD, 1), '8', 'eight cases opened in the ward');
    assert.match(await cellOf(wards, WARD, 3), /^\d$/, 'the ward has a class number');
    await page.getByRole('list', { name: 'Key to the map' }).getByText(/^Class 1/).first().waitFor();
    const wardCount = await wards.locator('tbody tr').count();
    assert.equal(await page.locator('.insights-map .insights-ward-label').count(), wardCount, 'every ward carries its class number on the map');
    await axe(page, '/insights/map, wards');
    await page.locator('#insights-measure').selectOption('open');
    await page.waitForURL(/measure=open/);
    await page.getByRole('table', { name: 'Open cases now by ward' }).waitFor();
    await press(page.getByRole('radio', { name: 'A figure per ward' }), 'ArrowUp');
    await page.waitForURL((u) => !/view=wards/.test(u.toString()));
    await page.getByRole('search', { name: 'Filter cases on the map' }).waitFor();
    await page.getByRole('radio', { name: 'Cases as points', checked: true }).waitFor(); // back on the points layer
  });

  await test('insights: the weekly report schedule is saved, a bad address refused beside its field; this week\'s PDF downloads', async () => {
    await goNav(page, 'Weekly report', '/admin/insights-report', 'Weekly report');
    await page.getByRole('heading', { name: 'Schedule' }).waitFor();
    await axe(page, '/admin/insights-report');
    await page.locator('#report-extra-recipients').fill('not-an-address');
    await page.locator('#report-weekday').selectOption('1');
    await page.locator('#report-hour').selectOption('7');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.locator('#report-extra-recipients-error').waitFor();
    await axe(page, 'weekly report with an error');
    await page.locator('#report-extra-recipients').fill('chief@example.org\nclerk@example.org');
    if (!(await page.getByLabel('Email the weekly report').isChecked())) await page.getByLabel('Email the weekly report').check();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await statusText(page, 'Schedule saved.').waitFor();
    const schedule = await apiCall(page, 'GET', '/api/v1/insights/report-schedule');
    assert.deepEqual(schedule.extraRecipients, ['chief@example.org', 'clerk@example.org']);
    assert.equal(schedule.weekday, 1);
    assert.equal(schedule.hour, 7);
    assert.equal(schedule.enabled, true);
    const href = await page.getByRole('link', { name: /Download this week's PDF/ }).getAttribute('href');
    assert.match(href, new RegExp(`report\\.pdf\\?from=\\d{4}-\\d{2}-\\d{2}&to=${state.today}$`));
    const res = await page.request.get(href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'] ?? '', /application\/pdf/);
    assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');
    await page.context().close();
    await admin.context().close();
  });
}
