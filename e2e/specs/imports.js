// Browser tests of the import wizard: from the constituent list to an uploaded file, the
// column mapping (guessed from the headers, a refused mapping shown beside its column), the
// running import and its summary with the report of rejected rows; a file in windows-1252
// asks for its encoding. Every step is checked with axe.
import assert from 'node:assert/strict';
import { activeInfo, axe, h1, newPage, signInViaUi, statusText, test } from '../harness.js';

const VOTERS = [
  'Voter ID,First name,Last name,Email,Street,Postcode',
  'E2E-1,Imogen,Importer,imogen@example.org,1 Kestrel Lane,RV1 2AB',
  'E2E-2,Ivor,"Importer\nJunior",ivor@example.org,2 Kestrel Lane,RV1 2AB',
  'E2E-3,Isla,Importer,not-an-email,3 Kestrel Lane,RV1 2AB',
].join('\n');

export async function run({ browser, baseUrl, creds }) {
  let page;
  const step = (n) => page.getByRole('heading', { level: 2, name: new RegExp(`^Step ${n} of 3`) });

  await test('imports: the wizard opens from the constituent list and passes axe', async () => {
    page = await newPage(browser);
    await signInViaUi(page, creds.email, creds.password);
    await h1(page).filter({ hasText: 'Home' }).waitFor();
    await page.goto('/constituents');
    await page.getByRole('link', { name: 'Import from CSV' }).click();
    await page.waitForURL(`${baseUrl}/constituents/import`);
    await h1(page).filter({ hasText: 'Import constituents' }).waitFor();
    assert.equal((await activeInfo(page)).tag, 'h1', 'focus moves to the h1');
    await step(1).waitFor();
    await axe(page, 'import: choose the file');
  });

  await test('imports: asks for a file, uploads it and guesses the columns', async () => {
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('#import-file-error').filter({ hasText: 'Choose the CSV file' }).waitFor();
    await page.getByLabel('CSV file').setInputFiles({ name: 'e2e-voters.csv', mimeType: 'text/csv', buffer: Buffer.from(VOTERS) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await step(2).waitFor();
    assert.equal((await activeInfo(page)).tag, 'h2', 'focus moves to the step heading');
    const table = page.getByRole('table', { name: /Columns of e2e-voters\.csv/ });
    await table.waitFor();
    assert.equal(await page.getByLabel('Field for column “First name”').inputValue(), 'givenName');
    assert.equal(await page.getByLabel('Field for column “Voter ID”').inputValue(), 'externalId');
    assert.equal(await page.getByLabel('System of column “Voter ID”').inputValue(), 'voter_file');
    assert.match(await table.innerText(), /Ivor/);
    await axe(page, 'import: match the columns');
  });

  await test('imports: a refused mapping is shown beside its column, then the import runs', async () => {
    await page.getByLabel('Field for column “Last name”').selectOption('givenName');
    await page.getByRole('button', { name: 'Start the import' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /givenName is mapped from both/);
    await page.locator('#import-column-2-error').waitFor();
    await axe(page, 'import: refused mapping');
    await page.getByLabel('Field for column “Last name”').selectOption('familyName');
    await page.getByRole('button', { name: 'Start the import' }).click();
    await step(3).waitFor();
    await statusText(page, 'Import finished').waitFor({ timeout: 60_000 });
    const facts = await page.locator('.import-facts').innerText();
    assert.match(facts, /Created\s+2/);
    assert.match(facts, /Rejected\s+1/);
    const link = page.getByRole('link', { name: /Download the 1 rejected row/ });
    const res = await page.request.get(await link.getAttribute('href'));
    assert.equal(res.status(), 200);
    assert.match(await res.text(), /row,column,reason\r?\n4,Email,is not a valid email address/);
    await axe(page, 'import: summary');
    assert.match(await page.getByRole('table', { name: 'Recent imports, newest first' }).innerText(), /e2e-voters\.csv\s+completed/);
  });

  await test('imports: a file that is not UTF-8 asks for its encoding', async () => {
    await page.getByRole('button', { name: 'Import another file' }).click();
    await step(1).waitFor();
    const latin = Buffer.from('Voter ID,First name,Last name\nE2E-9,Zoë,Müller\n', 'latin1');
    await page.getByLabel('CSV file').setInputFiles({ name: 'e2e-latin.csv', mimeType: 'text/csv', buffer: latin });
    await page.getByRole('button', { name: 'Upload' }).click();
    await step(2).waitFor();
    await page.getByText(/not valid UTF-8/).waitFor();
    await page.getByRole('button', { name: 'Start the import' }).click();
    await page.locator('#import-encoding-error').waitFor();
    await page.getByLabel('Encoding').selectOption('windows-1252');
    await page.getByRole('button', { name: 'Start the import' }).click();
    await statusText(page, 'Import finished').waitFor({ timeout: 60_000 });
    await page.goto('/constituents?q=M%C3%BCller');
    await page.getByRole('link', { name: 'Zoë Müller' }).waitFor();
    await page.context().close();
  });
}
