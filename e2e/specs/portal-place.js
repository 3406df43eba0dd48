// Browser tests of the report's place step with JavaScript: "use my current location" (the
// browser's position, granted) takes the resident to the details form with that point, where
// an open report of the same topic nearby is offered ("Is this the same problem?") and its
// public page shows nothing of who sent it and can be followed; a refused position says what to do instead. Also
// the portal's JavaScript budget: every script any portal page loads, gzipped, under 60 KB.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { apiCall, axe, h1, newPage, pageErrors, staffWithPortal, test } from '../harness.js';

const JS_BUDGET_BYTES = 60 * 1024;

export async function run({ browser, baseUrl, creds }) {
  const { staff, office } = await staffWithPortal(browser, creds);
  const category = await apiCall(staff, 'POST', '/api/v1/case-categories', { name: `Fly-tipping ${Date.now()}` });
  // The wards other specs imported (a ward of our own when this spec runs alone): the place step's map shows them.
  let wards = await apiCall(staff, 'GET', '/api/v1/geo/boundaries?layer=ward');
  if (!wards.items.length) {
    const square = [[-1.28, 52.44], [-1.24, 52.44], [-1.24, 52.46], [-1.28, 52.46], [-1.28, 52.44]];
    await apiCall(staff, 'POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'E2E-KES', name: 'Kings End' }, geometry: { type: 'Polygon', coordinates: [square] } }] } });
    wards = await apiCall(staff, 'GET', '/api/v1/geo/boundaries?layer=ward');
  }
  // The middle of the first ward's box (the wards of these specs are rectangles).
  const [minLng, minLat, maxLng, maxLat] = wards.items[0].bbox;
  const here = { latitude: Number(((minLat + maxLat) / 2).toFixed(5)), longitude: Number(((minLng + maxLng) / 2).toFixed(5)) };
  const all = wards.items.map((w) => w.bbox).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
  const near = await apiCall(staff, 'POST', '/api/v1/cases', {
    subject: 'Mattress dumped by Ada Lovelace', description: 'Call 07700 900123', channel: 'web', categoryId: category.id, location: { lat: here.latitude + 0.0003, lng: here.longitude },
  });
  const slug = office.slug;
  const scripts = new Map();

  const watch = (page) => page.on('response', async (res) => {
    if (res.request().resourceType() !== 'script' || !res.url().includes('/portal')) return;
    // A page closed before its body was read: nothing to count (and never an unhandled rejection).
    const body = await res.body().catch(() => null);
    if (body) scripts.set(res.url(), body);
  });

  await test('portal: "use my current location" leads to the details form, with the same problem nearby offered', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, geolocation: here, permissions: ['geolocation'] });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    watch(page);
    await page.goto(`/portal/${slug}/report?lang=en`);
    await page.getByRole('link', { name: category.name }).click();
    await h1(page).filter({ hasText: 'Where is it?' }).waitFor();
    await axe(page, 'report step 2 with the location button (en)');
    await page.getByRole('button', { name: 'Use my current location' }).click();
    await h1(page).filter({ hasText: 'Report a problem or ask for help' }).waitFor();
    assert.equal(Number(await page.locator('input[name="lat"]').getAttribute('value')), here.latitude);
    assert.equal(Number(await page.locator('input[name="lng"]').getAttribute('value')), here.longitude);
    const nearby = page.getByRole('region', { name: 'Is this the same problem?' });
    await nearby.getByRole('link', { name: near.reference }).waitFor();
    await axe(page, 'report form with a report nearby (en)');
    await nearby.getByRole('link', { name: near.reference }).click();
    await h1(page).filter({ hasText: `Report ${near.reference}` }).waitFor();
    const text = await page.locator('main').innerText();
    assert.ok(!/Ada|07700|Mattress/.test(text), 'a public report shows nothing of who sent it or what they wrote');
    await axe(page, 'a public report (en)');
    // Following it instead: an address and consent, then a link to confirm by email.
    await page.getByRole('button', { name: 'Follow this report' }).click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    await axe(page, 'a public report, follow form with errors (en)');
    await page.getByLabel('Email address').fill(`follower.${Date.now()}@resident.example`);
    await page.getByLabel(/may email me when the status of report/).check();
    await page.getByRole('button', { name: 'Follow this report' }).click();
    await page.getByRole('status').filter({ hasText: 'Check your email' }).waitFor();
    await axe(page, 'a public report, follow confirmation sent (en)');
    await context.close();
  });

  await test('portal: the place marked on the map by pointer, or its centre by keyboard, goes to the details form', async () => {
    const page = await newPage(browser);
    watch(page);
    await page.goto(`/portal/${slug}/report?lang=en&category=${category.id}`);
    const map = page.getByRole('region', { name: 'Map of the area' });
    await map.locator('.leaflet-overlay-pane path').first().waitFor();
    await axe(page, 'report step 2 with the map (en)');
    // A click on a ward (the wards of these specs lie apart: the map's middle may be in none).
    // The whole map in view first: a ward may lie below the fold, out of the mouse's reach.
    await map.scrollIntoViewIfNeeded();
    const target = await map.locator('.leaflet-overlay-pane path').evaluateAll((paths) => paths.map((p) => p.getBoundingClientRect()).sort((x, y) => y.width * y.height - x.width * x.height)[0]);
    await page.mouse.click(target.x + target.width / 2, target.y + target.height / 2);
    await page.getByRole('status').filter({ hasText: 'Place marked' }).waitFor();
    await page.getByRole('button', { name: 'Use the marked place' }).click();
    await h1(page).filter({ hasText: 'Report a problem or ask for help' }).waitFor();
    const lat = Number(await page.locator('input[name="lat"]').getAttribute('value'));
    const lng = Number(await page.locator('input[name="lng"]').getAttribute('value'));
    assert.ok(lat > all[1] && lat < all[3] && lng > all[0] && lng < all[2], `the marked place (${lat}, ${lng}) is inside the wards' box`);
    // By keyboard: focus the map, move it, and use its centre (which the next page takes, or refuses when it lies in no ward).
    await page.goBack();
    await map.locator('.leaflet-overlay-pane path').first().waitFor();
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.id === 'map-centre')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]lng=/);
    const movedLng = Number(new URL(page.url()).searchParams.get('lng'));
    assert.ok(movedLng > (all[0] + all[2]) / 2, `the arrow key moved the map east of the wards' middle (${movedLng})`);
    await page.context().close();
  });

  await test('portal: a refused position says so in Spanish and the address search still works', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, permissions: [] });
    const page = await context.newPage();
    watch(page);
    await page.goto(`/portal/${slug}/report?lang=es&category=${category.id}`);
    await h1(page).filter({ hasText: '¿Dónde está?' }).waitFor();
    await page.getByRole('button', { name: 'Usar mi ubicación actual' }).click();
    await page.getByRole('status').filter({ hasText: 'No se pudo encontrar su ubicación' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'where', 'focus moves to the address search');
    await axe(page, 'report step 2 after a refused position (es)');
    await context.close();
  });

  await test('portal: every script of the portal\'s pages, gzipped, stays under 60 KB', async () => {
    const page = await newPage(browser);
    watch(page);
    for (const url of [`/portal/${slug}`, `/portal/${slug}/report`, `/portal/${slug}/report?category=${category.id}`, `/portal/${slug}/report?category=${category.id}&step=details`]) {
      await page.goto(url);
      await h1(page).waitFor();
    }
    assert.ok(scripts.size >= 1, 'the place step loads its script');
    const total = [...scripts.values()].reduce((n, body) => n + gzipSync(body).length, 0);
    console.log(`  portal scripts: ${scripts.size} file(s), ${total} bytes gzipped (budget ${JS_BUDGET_BYTES})`);
    assert.ok(total < JS_BUDGET_BYTES, `portal scripts are ${total} bytes gzipped`);
    await page.context().close();
  });
  await staff.context().close();
}
