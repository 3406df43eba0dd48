// Browser tests of the Boundaries page: a GeoJSON layer uploaded through the page with its
// code and name properties picked from the file, the boundaries listed and drawn, a bad file
// refused with its problems named by feature, an address register upload with rejected rows,
// and the layer deleted again. Every state is checked with axe. The layer has its own name
// so that the other specs' "ward" layer is left alone.
import assert from 'node:assert/strict';
import { axe, goNav, h1, newPage, signInViaUi, statusText, test } from '../harness.js';

const LAYER = 'e2e_district';
const square = (x, y, s) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const DISTRICTS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { ref: 'ND', label: 'North District', colour: 'red' }, geometry: { type: 'Polygon', coordinates: [square(-1.3, 52.46, 0.04)] } },
    { type: 'Feature', properties: { ref: 'SD', label: 'South District', colour: 'blue' }, geometry: { type: 'Polygon', coordinates: [square(-1.3, 52.42, 0.04)] } },
  ],
};
const BOW_TIE = {
  type: 'FeatureCollection',
  features: [
    DISTRICTS.features[0],
    { type: 'Feature', properties: { ref: 'BT', label: 'Bow tie' }, geometry: { type: 'Polygon', coordinates: [[[-1.3, 52.4], [-1.26, 52.44], [-1.26, 52.4], [-1.3, 52.44], [-1.3, 52.4]]] } },
  ],
};
const file = (name, content, mimeType = 'application/geo+json') => ({ name, mimeType, buffer: Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)) });

export async function run({ browser, creds }) {
  let page;

  await test('boundaries: the admin page is in the navigation and passes axe', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    await goNav(page, 'Boundaries', '/admin/boundaries', 'Boundaries');
    await page.getByRole('heading', { name: 'Import a boundary layer' }).waitFor();
    await axe(page, '/admin/boundaries');
  });

  await test('boundaries: a GeoJSON upload with picked properties lists and maps the boundaries', async () => {
    await page.locator('#boundary-file').setInputFiles(file('districts.geojson', DISTRICTS));
    // The pickers offer the file's own properties.
    await page.locator('#boundary-code-property option', { hasText: 'ref' }).waitFor({ state: 'attached' });
    await page.locator('#boundary-code-property').selectOption('ref');
    await page.locator('#boundary-name-property').selectOption('label');
    await page.locator('#boundary-layer').fill(LAYER);
    await page.getByRole('button', { name: 'Import boundaries' }).click();
    await statusText(page, `Layer ${LAYER} imported: 2 boundaries (2 new, 0 changed, 0 unchanged)`).waitFor();
    const table = page.getByRole('table', { name: `2 boundaries in layer ${LAYER}` });
    await table.getByRole('rowheader', { name: 'North District' }).waitFor();
    await table.getByRole('rowheader', { name: 'South District' }).waitFor();
    assert.equal(await table.getByRole('cell', { name: 'ND', exact: true }).count(), 1, 'the code comes from the chosen property');
    await page.getByRole('table', { name: 'Boundary layers' }).getByRole('rowheader', { name: LAYER }).waitFor();
    await page.locator('.boundary-map path').first().waitFor({ state: 'attached' });
    assert.equal(await page.locator('.boundary-map path').count(), 2, 'both boundaries are drawn');
    await page.getByRole('button', { name: 'Highlight North District on the map' }).click();
    await page.getByText('with North District highlighted').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Highlight North District on the map' }).getAttribute('aria-pressed'), 'true');
    await axe(page, 'boundaries page with a layer and its map');
  });

  await test('boundaries: a bad file is refused with its problems named by feature, and nothing changes', async () => {
    await page.locator('#boundary-file').setInputFiles(file('bow-tie.geojson', BOW_TIE));
    await page.locator('#boundary-layer').fill(LAYER);
    await page.getByRole('button', { name: 'Import boundaries' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'crosses itself' });
    await alert.waitFor();
    await alert.getByRole('link', { name: /Feature 1 \(geometry\): ring 0 crosses itself/ }).waitFor();
    await page.locator('#boundary-file-error').filter({ hasText: 'crosses itself' }).waitFor();
    assert.equal(await page.locator('#boundary-file').getAttribute('aria-invalid'), 'true');
    await axe(page, 'boundaries page with a refused file');
    await alert.getByRole('link', { name: /Feature 1/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'boundary-file', 'the error links to the file field');
    assert.equal(await page.getByRole('table', { name: `2 boundaries in layer ${LAYER}` }).count(), 1, 'the layer is unchanged');

    await page.locator('#boundary-file').setInputFiles(file('broken.geojson', '{"type": "FeatureCollection", '));
    await page.getByRole('button', { name: 'Import boundaries' }).click();
    await page.locator('#boundary-file-error').filter({ hasText: 'not valid JSON' }).waitFor();
  });

  await test('boundaries: the address register upload reports created and rejected rows', async () => {
    const csv = 'UPRN,Address 1,Postcode,Latitude,Longitude\n9001,1 North Street,RV1 1AA,52.47,-1.28\n9002,2 North Street,RV1 1AA,152.47,-1.28\n';
    await page.locator('#register-file').setInputFiles(file('register.csv', csv, 'text/csv'));
    await page.getByRole('button', { name: 'Import register' }).click();
    const result = page.getByRole('region', { name: 'Register imported' });
    await result.waitFor();
    await result.getByText('2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected.').waitFor();
    await result.getByRole('table', { name: 'Rejected rows' }).getByRole('cell', { name: /152\.47 is outside the world/ }).waitFor();
    await axe(page, 'boundaries page with a register import result');
  });

  await test('boundaries: deleting the layer asks first, then removes it', async () => {
    await page.getByRole('button', { name: `Delete layer ${LAYER}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete layer ${LAYER}?` });
    await dialog.waitFor();
    await axe(page, 'delete layer dialog');
    await dialog.getByRole('button', { name: 'Delete layer' }).click();
    await statusText(page, `Layer ${LAYER} deleted (2 boundaries).`).waitFor();
    await page.getByRole('table', { name: 'Boundary layers' }).getByRole('rowheader', { name: LAYER }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('heading', { name: `Boundaries in layer ${LAYER}` }).count(), 0, 'the layer is no longer shown');
    await page.context().close();
  });
}
