// Browser tests of the resident portal: report and track in English and in Spanish with axe on
// every page and state (home, form, errors, confirmation, tracking, lookup miss, comment sent,
// expired link, a note staff shared), one journey with JavaScript disabled, photos (a disguised
// file refused, a report and a comment with photos), the report form completed by keyboard
// alone, and every page at 320 px wide without horizontal scrolling.
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { activeInfo, apiCall, axe, h1, newPage, screenshot, signInViaUi, test } from '../harness.js';

// The public form refuses a form sent sooner than INTAKE_FORM_MIN_SECONDS (3 s) after it was served.
const FILL_WAIT_MS = 3300;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function setUp(browser, creds) {
  const staff = await newPage(browser);
  await signInViaUi(staff, creds.email, creds.password);
  await h1(staff).filter({ hasText: 'Home' }).waitFor();
  const office = await apiCall(staff, 'GET', '/api/v1/office');
  const category = await apiCall(staff, 'POST', '/api/v1/case-categories', { name: `Street lights ${Date.now()}` });
  await apiCall(staff, 'PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });
  await apiCall(staff, 'PATCH', '/api/v1/office', { branding: { primaryColor: '#2b8cc4' } });
  return { staff, office, category };
}

async function noHorizontalScroll(page, label) {
  await screenshot(page, `${label} at ${page.viewportSize()?.width ?? '?'} px`);
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${label}: the page scrolls sideways at ${client} px (${scroll} px wide)`);
}

const STEP_WORDS = {
  en: { topic: 'What is it about?', where: 'Where is it?', search: 'Address, street or postcode', find: 'Find the address', goOn: /^Go on with “/, details: 'Report a problem or ask for help' },
  es: { topic: '¿De qué se trata?', where: '¿Dónde está?', search: 'Dirección, calle o código postal', find: 'Buscar la dirección', goOn: /^Continuar con «/, details: 'Informar de un problema o pedir ayuda' },
};

/** Steps 1 and 2 of a report: the topic from the list, then a place described in words (the office has no address register). */
async function chooseTopicAndPlace(page, { category, lang, label }) {
  const w = STEP_WORDS[lang];
  await h1(page).filter({ hasText: w.topic }).waitFor();
  if (label) await axe(page, `report step 1, the topics (${label})`);
  await page.getByRole('link', { name: category.name }).click();
  await h1(page).filter({ hasText: w.where }).waitFor();
  await page.getByLabel(w.search).fill('4 Station Road');
  await page.getByRole('button', { name: w.find }).click();
  await page.getByRole('link', { name: w.goOn }).waitFor();
  if (label) await axe(page, `report step 2, no address found (${label})`);
  await page.getByRole('link', { name: w.goOn }).click();
  await h1(page).filter({ hasText: w.details }).waitFor();
}

/** The details form (step 3) for the topic, reached by its address. */
const detailsUrl = (slug, category, lang) => `/portal/${slug}/report?lang=${lang}&category=${category.id}&step=details`;

/** Fills the report form by mouse-free typing into labelled fields (works with or without JavaScript). */
async function fillReport(page, { email, lang }) {
  const l = lang === 'es'
    ? { description: 'Describa el problema o lo que necesita', address: '¿Dónde está? (opcional)', name: 'Su nombre', email: 'Correo electrónico', consent: /Acepto que/ }
    : { description: 'Describe the problem or what you need', address: 'Where is it? (optional)', name: 'Your name', email: 'Email address', consent: /I agree that/ };
  await page.getByLabel(l.description).fill('The street light outside number 4 has been off for a week <b>really</b>.');
  await page.getByLabel(l.address).fill('4 Station Road');
  await page.getByLabel(l.name, { exact: true }).fill('Rosa Parks');
  await page.getByLabel(l.email, { exact: true }).fill(email);
  await page.getByLabel(l.consent).check();
}

export async function run({ browser, baseUrl, creds }) {
  const world = await setUp(browser, creds);
  const slug = world.office.slug;
  const email = `rosa.${Date.now()}@resident.example`;

  await test('portal: report and track in English, with axe on every page and state', async () => {
    const page = await newPage(browser);
    await page.goto(`/portal/${slug}?lang=en`);
    await h1(page).filter({ hasText: 'How can we help?' }).waitFor();
    await axe(page, 'portal home (en)');
    await page.getByRole('link', { name: 'Start a request' }).click();
    // The topics can be searched without JavaScript (a GET form).
    await page.getByLabel('Search for a topic').fill(world.category.name);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: /1 topic matches/ }).waitFor();
    await chooseTopicAndPlace(page, { category: world.category, lang: 'en', label: 'en' });
    assert.equal(await page.getByLabel('Where is it? (optional)').inputValue(), '4 Station Road', 'the place described in step 2 is on the form');
    await axe(page, 'report form (en)');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    assert.match(await page.title(), /^Error: /);
    await axe(page, 'report form with errors (en)');
    // The summary's links take the resident to the field.
    await page.getByRole('link', { name: 'Enter your name' }).click();
    assert.equal((await activeInfo(page)).id, 'name');
    await fillReport(page, { email, lang: 'en' });
    await wait(FILL_WAIT_MS);
    await page.getByRole('button', { name: 'Send request' }).click();
    await h1(page).filter({ hasText: 'Thank you: we have your request' }).waitFor();
    const reference = (await page.locator('.reference').innerText()).trim();
    assert.match(reference, /^C-\d{4}-\d{5,}$/);
    await axe(page, 'confirmation (en)');
    await page.locator('.link-box a').click();
    await h1(page).filter({ hasText: `Your request ${reference}` }).waitFor();
    await axe(page, 'tracking page (en)');
    await page.getByLabel('Your comment').fill('It is still off tonight.');
    await wait(500);
    await page.getByRole('button', { name: 'Send comment' }).click();
    await page.getByRole('status').filter({ hasText: 'Your comment has been added to your request' }).waitFor();
    await page.getByText('It is still off tonight.').waitFor();
    await axe(page, 'tracking page after a comment (en)');
    // A note staff share shows in the history with its date; an internal note never does.
    const found = await apiCall(world.staff, 'GET', `/api/v1/cases?q=${reference}`);
    const caseId = found.items[0].id;
    await apiCall(world.staff, 'POST', `/api/v1/cases/${caseId}/notes`, { body: 'Internal: the contractor is slow.' });
    await apiCall(world.staff, 'POST', `/api/v1/cases/${caseId}/notes`, { body: 'An electrician is booked for Friday <i>morning</i>.', isPublic: true });
    await page.reload();
    const shared = page.locator('.history li').filter({ hasText: 'Update from the office' });
    await shared.getByText('An electrician is booked for Friday <i>morning</i>.').waitFor();
    await shared.locator('time').waitFor();
    assert.equal(await page.getByText('the contractor is slow').count(), 0, 'internal notes never show');
    await axe(page, 'tracking page with a shared note (en)');
    await page.context().close();
  });

  await test('portal: report in Spanish, then find it again by reference and email, with axe on every page', async () => {
    const page = await newPage(browser);
    await page.goto(`/portal/${slug}`);
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Español' }).click();
    await h1(page).filter({ hasText: '¿En qué podemos ayudarle?' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    await axe(page, 'portal home (es)');
    await page.getByRole('link', { name: 'Empezar una solicitud' }).click();
    await chooseTopicAndPlace(page, { category: world.category, lang: 'es', label: 'es' });
    await axe(page, 'report form (es)');
    await page.getByLabel('Correo electrónico', { exact: true }).fill('no-es-un-correo');
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await page.getByRole('alert').filter({ hasText: 'Hay un problema' }).waitFor();
    await page.getByRole('link', { name: /Escriba un correo electrónico con el formato correcto/ }).waitFor();
    await axe(page, 'report form with errors (es)');
    const esEmail = `es.${email}`;
    await fillReport(page, { email: esEmail, lang: 'es' });
    await wait(FILL_WAIT_MS);
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await h1(page).filter({ hasText: 'Gracias: hemos recibido su solicitud' }).waitFor();
    const reference = (await page.locator('.reference').innerText()).trim();
    await axe(page, 'confirmation (es)');

    await page.goto(`/portal/${slug}`); // the cookie keeps Spanish
    await h1(page).filter({ hasText: '¿En qué podemos ayudarle?' }).waitFor();
    await page.getByLabel('Referencia').fill(reference);
    await page.getByLabel('Correo electrónico o número de teléfono').fill('otra.persona@resident.example');
    await page.getByRole('button', { name: 'Buscar mi solicitud' }).click();
    await page.getByRole('alert').filter({ hasText: 'No hemos encontrado ninguna solicitud' }).waitFor();
    await axe(page, 'lookup miss (es)');
    await page.getByLabel('Correo electrónico o número de teléfono').fill(esEmail);
    await page.getByRole('button', { name: 'Buscar mi solicitud' }).click();
    await h1(page).filter({ hasText: `Su solicitud ${reference}` }).waitFor();
    await page.getByText('Recibida', { exact: true }).first().waitFor();
    await axe(page, 'tracking page (es)');
    await page.goto(`/portal/${slug}/track/${'x'.repeat(51)}`);
    await h1(page).filter({ hasText: 'Página no encontrada' }).waitFor();
    await axe(page, 'unknown tracking link (es)');
    await page.context().close();
  });

  await test('portal: the whole journey works with JavaScript disabled', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/portal/${slug}/report?lang=en`);
    await h1(page).filter({ hasText: 'What is it about?' }).waitFor();
    assert.equal(await page.locator('script').count(), 0, 'the topic list sends no scripts');
    await page.getByRole('link', { name: world.category.name }).click();
    await h1(page).filter({ hasText: 'Where is it?' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Use my current location' }).isVisible(), false, 'without JavaScript the location button stays hidden');
    await page.getByLabel('Address, street or postcode').fill('Outside the station');
    await page.getByRole('button', { name: 'Find the address' }).click();
    await page.getByRole('link', { name: /^Go on with “/ }).click();
    await h1(page).filter({ hasText: 'Report a problem or ask for help' }).waitFor();
    assert.equal(await page.locator('script').count(), 0, 'the details form sends no scripts');
    await fillReport(page, { email: `nojs.${email}`, lang: 'en' });
    await wait(FILL_WAIT_MS);
    await page.getByRole('button', { name: 'Send request' }).click();
    await h1(page).filter({ hasText: 'Thank you: we have your request' }).waitFor();
    await page.locator('.link-box a').click();
    await page.getByRole('heading', { level: 1, name: /^Your request C-/ }).waitFor();
    await page.getByLabel('Your comment').fill('Sent without JavaScript.');
    await page.getByRole('button', { name: 'Send comment' }).click();
    await page.getByText('Your comment has been added to your request').waitFor();
    await screenshot(page, 'tracking page after a comment without JavaScript (en)');
    await context.close();
  });

  await test('portal: photos on a report and a comment, a disguised file refused, axe on every state', async () => {
    const page = await newPage(browser);
    const photo = async (colour) => sharp({ create: { width: 120, height: 90, channels: 3, background: colour } }).jpeg().withExif({ IFD0: { Make: 'E2EPhone' } }).toBuffer();
    await page.goto(detailsUrl(slug, world.category, 'en'));
    await h1(page).filter({ hasText: 'Report a problem or ask for help' }).waitFor();
    await fillReport(page, { email: `photo.${email}`, lang: 'en' });
    // An executable named like a photo is refused, on the field, and what was typed is kept.
    await page.getByLabel('Photos (optional)').setInputFiles([{ name: 'light.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(200)]) }]);
    await wait(FILL_WAIT_MS);
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('alert').filter({ hasText: '“light.jpg” is not a JPEG, PNG or WebP photo' }).waitFor();
    assert.equal(await page.getByLabel('Describe the problem or what you need').inputValue(), 'The street light outside number 4 has been off for a week <b>really</b>.');
    await axe(page, 'report form with a refused photo (en)');
    await page.getByLabel('Photos (optional)').setInputFiles([{ name: 'light.jpg', mimeType: 'image/jpeg', buffer: await photo('#f1c40f') }, { name: 'pole.jpg', mimeType: 'image/jpeg', buffer: await photo('#7f8c8d') }]);
    await page.getByLabel(/I agree that/).check();
    await wait(FILL_WAIT_MS); // the form shown again carries a fresh form token
    await page.getByRole('button', { name: 'Send request' }).click();
    await h1(page).filter({ hasText: 'Thank you: we have your request' }).waitFor();
    await page.locator('.link-box a').click();
    await page.getByRole('heading', { level: 1, name: /^Your request C-/ }).waitFor();
    await page.getByRole('heading', { name: 'Your photos' }).waitFor();
    assert.equal(await page.getByRole('img', { name: /that you sent/ }).count(), 2);
    await axe(page, 'tracking page with photos (en)');
    await page.getByLabel('Add photos (optional)').setInputFiles([{ name: 'tonight.jpg', mimeType: 'image/jpeg', buffer: await photo('#2c3e50') }]);
    await page.getByRole('button', { name: 'Send comment' }).click();
    await page.getByText('Your comment has been added to your request').waitFor();
    assert.equal(await page.getByRole('img', { name: /that you sent/ }).count(), 3);
    // The thumbnails are served (the image loaded) through the tracking link: once each has
    // finished loading (or failed, which leaves it 0 wide), every one is 120 pixels wide.
    await page.locator('ul.photos').scrollIntoViewIfNeeded(); // they load lazily
    await page.waitForFunction(() => [...document.querySelectorAll('ul.photos img')].every((i) => i.complete), null, { timeout: 30_000 });
    const sizes = await page.locator('ul.photos img').evaluateAll((imgs) => imgs.map((i) => i.naturalWidth));
    assert.deepEqual(sizes, [120, 120, 120]);
    await axe(page, 'tracking page after a comment with a photo (en)');
    await page.context().close();
  });

  await test('portal: the report form can be completed with the keyboard alone', async () => {
    const page = await newPage(browser);
    await page.goto(`/portal/${slug}/report?lang=en`);
    await h1(page).filter({ hasText: 'What is it about?' }).waitFor();
    // The skip link comes first and moves focus to the main content.
    await page.keyboard.press('Tab');
    assert.equal((await activeInfo(page)).text, 'Skip to main content');
    await page.keyboard.press('Enter');
    const tabTo = async (id) => {
      for (let i = 0; i < 40 && (await activeInfo(page)).id !== id; i++) await page.keyboard.press('Tab');
      assert.equal((await activeInfo(page)).id, id, `Tab reaches #${id}`);
    };
    const tabToText = async (text) => {
      for (let i = 0; i < 40 && !text.test((await activeInfo(page)).text); i++) await page.keyboard.press('Tab');
      assert.match((await activeInfo(page)).text, text);
    };
    // Step 1: the topic's link; step 2: the address search, then going on with the words typed.
    await tabToText(new RegExp(`^${world.category.name}$`));
    await page.keyboard.press('Enter');
    await h1(page).filter({ hasText: 'Where is it?' }).waitFor();
    await tabTo('where');
    await page.keyboard.type('By the fallen tree');
    await page.keyboard.press('Enter');
    await h1(page).filter({ hasText: 'Where is it?' }).waitFor();
    await tabToText(/^Go on with “By the fallen tree”/);
    await page.keyboard.press('Enter');
    await h1(page).filter({ hasText: 'Report a problem or ask for help' }).waitFor();
    await tabTo('description');
    await page.keyboard.type('A fallen tree blocks the footpath.');
    await tabTo('name');
    await page.keyboard.type('Kim Keyboard');
    await tabTo('email');
    await page.keyboard.type(`kim.${email}`);
    await tabTo('preferredChannel');
    await page.keyboard.press('Space');
    await tabTo('consent');
    await page.keyboard.press('Space');
    await wait(FILL_WAIT_MS);
    for (let i = 0; i < 10 && (await activeInfo(page)).text !== 'Send request'; i++) await page.keyboard.press('Tab');
    assert.equal((await activeInfo(page)).text, 'Send request', 'Tab reaches the button (the honeypot is skipped)');
    await page.keyboard.press('Enter');
    await h1(page).filter({ hasText: 'Thank you: we have your request' }).waitFor();
    await page.context().close();
  });

  await test('portal: pages fit a 320 px wide screen without sideways scrolling', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(`/portal/${slug}?lang=es`);
    await h1(page).waitFor();
    await noHorizontalScroll(page, 'home');
    await page.goto(`/portal/${slug}/report?lang=es`);
    await h1(page).waitFor();
    await noHorizontalScroll(page, 'topics');
    await page.goto(`/portal/${slug}/report?lang=es&category=${world.category.id}&where=4%20Station%20Road`);
    await h1(page).waitFor();
    await noHorizontalScroll(page, 'place');
    await page.goto(detailsUrl(slug, world.category, 'es'));
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await page.getByRole('alert').waitFor();
    await noHorizontalScroll(page, 'report form with errors');
    await axe(page, 'report form with errors at 320 px');
    await fillReport(page, { email: `narrow.${email}`, lang: 'es' });
    await wait(FILL_WAIT_MS);
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await h1(page).filter({ hasText: 'Gracias' }).waitFor();
    await noHorizontalScroll(page, 'confirmation');
    await page.locator('.link-box a').click();
    await h1(page).waitFor();
    await noHorizontalScroll(page, 'tracking page');
    await context.close();
  });

  await world.staff.context().close();
}
