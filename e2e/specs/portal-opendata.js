// Browser tests of the portal's open data page: in English and Spanish with axe, its map an
// image with a name, a sensitive report nowhere on it, the downloads reached and started by
// keyboard alone, the page at 320 px wide without sideways scrolling; and the staff setting
// "Keep locations private" on the case categories page.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, h1, newPage, staffWithPortal, statusText, test } from '../harness.js';

const square = (x, y, s) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const WARDS = [
  { type: 'Feature', properties: { code: 'E2E-OD-N', name: 'Open Data North' }, geometry: { type: 'Polygon', coordinates: [square(-1.1, 52.52, 0.02)] } },
  { type: 'Feature', properties: { code: 'E2E-OD-S', name: 'Open Data South' }, geometry: { type: 'Polygon', coordinates: [square(-1.1, 52.5, 0.02)] } },
];

async function setUp(browser, creds) {
  const { staff, office } = await staffWithPortal(browser, creds);
  // Importing a layer removes what the file leaves out: keep the other specs' wards.
  const existing = await apiCall(staff, 'GET', '/api/v1/geo/map?layer=ward');
  const kept = existing.features.filter((f) => !String(f.properties.code).startsWith('E2E-OD-'))
    .map((f) => ({ type: 'Feature', properties: { code: f.properties.code, name: f.properties.name }, geometry: f.geometry }));
  await apiCall(staff, 'POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features: [...kept, ...WARDS] } });
  const category = await apiCall(staff, 'POST', '/api/v1/case-categories', { name: `Graffiti ${Date.now()}` });
  const open = (lng, lat, isSensitive = false) => apiCall(staff, 'POST', '/api/v1/cases', {
    subject: 'Graffiti reported by Grace Hopper', channel: 'web', categoryId: category.id, location: { lat, lng }, isSensitive,
  });
  const shown = await open(-1.09, 52.53);
  const southern = await open(-1.09, 52.51);
  const sensitive = await open(-1.085, 52.505, true);
  return { staff, office, category, shown, southern, sensitive };
}

async function noHorizontalScroll(page, label) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${label}: the page scrolls sideways at ${client} px (${scroll} px wide)`);
}

export async function run({ browser, baseUrl, creds }) {
  const world = await setUp(browser, creds);
  const path = `/portal/${world.office.slug}/open-data`;

  await test('open data: the page in English and Spanish passes axe, maps open public reports and never a sensitive one', async () => {
    const page = await newPage(browser);
    await page.goto(`/portal/${world.office.slug}?lang=en`);
    await page.getByRole('link', { name: 'Open data' }).click();
    await h1(page).filter({ hasText: 'Open data' }).waitFor();
    await axe(page, 'open data (en)');
    const map = page.getByRole('img', { name: /Map of \d+ open requests? in the area of/ });
    await map.waitFor();
    assert.ok((await map.locator('circle').count()) >= 2, 'the open reports are drawn');
    const rows = page.getByRole('table', { name: /Open requests, newest first/ });
    await rows.getByRole('rowheader', { name: world.shown.reference }).waitFor();
    await rows.getByRole('rowheader', { name: world.southern.reference }).waitFor();
    assert.equal(await page.getByText(world.sensitive.reference).count(), 0, 'the sensitive report is not listed');
    assert.equal(await page.getByText('Grace Hopper').count(), 0, 'no personal data');
    await page.getByRole('table', { name: /Requests by ward/ }).getByRole('rowheader', { name: 'Open Data North' }).waitFor();
    await page.getByRole('link', { name: 'Español' }).click();
    await h1(page).filter({ hasText: 'Datos abiertos' }).waitFor();
    await page.getByRole('img', { name: /Mapa de \d+ solicitud(es)? abiertas? en la zona de/ }).waitFor();
    await axe(page, 'open data (es)');
    await page.context().close();
  });

  await test('open data: the downloads are reached and started by keyboard alone', async () => {
    const page = await newPage(browser);
    await page.goto(`${path}?lang=en`);
    await h1(page).waitFor();
    const names = ['Open requests (CSV)', 'Open requests with their places (GeoJSON)', 'Counts and medians by category and ward (CSV)'];
    for (let i = 0; i < 40 && (await activeInfo(page)).text !== names[0]; i++) await page.keyboard.press('Tab');
    assert.equal((await activeInfo(page)).text, names[0], 'Tab reaches the first download');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(csv.suggestedFilename(), new RegExp(`^${world.office.slug}-open-reports-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const text = await (await import('node:fs')).promises.readFile(await csv.path(), 'utf8');
    assert.ok(text.includes(world.shown.reference) && !text.includes(world.sensitive.reference), 'the CSV holds the public report only');
    for (const name of names.slice(1)) {
      await page.keyboard.press('Tab');
      assert.equal((await activeInfo(page)).text, name, `Tab reaches "${name}"`);
    }
    const [summary] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(summary.suggestedFilename(), /-open-data-summary-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.context().close();
  });

  await test('open data: the page fits a 320 px wide screen without sideways scrolling', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    for (const lang of ['en', 'es']) {
      await page.goto(`${path}?lang=${lang}`);
      await h1(page).waitFor();
      await noHorizontalScroll(page, `open data (${lang})`);
    }
    await axe(page, 'open data at 320 px');
    await context.close();
  });

  await test('case categories: a category is created with its locations kept private, and the setting is turned off again', async () => {
    const page = world.staff;
    await page.goto('/admin/case-categories');
    await h1(page).filter({ hasText: 'Case categories' }).waitFor();
    await page.getByRole('button', { name: 'Add a category' }).click();
    const name = `Benefit advice ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Keep locations private (never shown on public maps or open data)').check();
    await axe(page, 'case categories: add form');
    await page.getByRole('button', { name: 'Create category' }).click();
    await statusText(page, `Category ${name} created.`).waitFor();
    const find = async () => (await apiCall(page, 'GET', '/api/v1/case-categories')).items.find((c) => c.name === name);
    assert.equal((await find()).locationPrivate, true);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await row.getByRole('cell', { name: 'Kept private' }).waitFor();
    await page.getByRole('button', { name: `Show locations publicly for ${name}` }).click();
    await statusText(page, `${name}: locations may now be shown on public maps and open data.`).waitFor();
    assert.equal((await find()).locationPrivate, false);
    await axe(page, 'case categories after the change');
  });

  await world.staff.context().close();
}
