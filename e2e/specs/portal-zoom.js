// Browser tests of the resident portal at 200% zoom (WCAG 2.2 1.4.4 Resize text and 1.4.10
// Reflow), on a 1280×800 screen two ways: the browser zoomed to 200% (a 640×400 CSS viewport at
// device scale factor 2), in English; and the text alone at 200% (the root font size doubled,
// the viewport left at 1280×800), in Spanish, whose words run longer. Every page and state:
// home, the report's topic and place steps, the report form, the report form with errors,
// confirmation, tracking page, lookup miss, a message page (not found) and the privacy-release
// signing page. On each: no sideways
// scrolling, no text cut off by a box that hides its overflow, and every form control visible,
// inside the page's width and reached by Tab.
import assert from 'node:assert/strict';
import { apiCall, h1, newPage, screenshot, signInViaUi, test } from '../harness.js';

// The public form refuses a form sent sooner than INTAKE_FORM_MIN_SECONDS (3 s) after it was served.
const FILL_WAIT_MS = 3300;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

const MODES = [
  { name: 'browser zoom 200%', lang: 'en', context: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }, rootFont: null },
  { name: 'text size 200%', lang: 'es', context: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }, rootFont: '200%' },
];

const WORDS = {
  en: { start: 'Start a request', topic: 'What is it about?', where: 'Where is it?', send: 'Send request', problem: 'There is a problem', thanks: 'Thank you: we have your request', reference: 'Reference', contact: 'Email address or phone number', find: 'Find my request', notFound: 'Page not found', release: 'Give your consent for case' },
  es: { start: 'Empezar una solicitud', topic: '¿De qué se trata?', where: '¿Dónde está?', send: 'Enviar solicitud', problem: 'Hay un problema', thanks: 'Gracias: hemos recibido su solicitud', reference: 'Referencia', contact: 'Correo electrónico o número de teléfono', find: 'Buscar mi solicitud', notFound: 'Página no encontrada', release: 'Dé su consentimiento para el caso' },
};

/** What is wrong with the page as laid out now: sideways scrolling, clipped text, controls out of sight. */
function layoutProblems() {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) problems.push(`the page scrolls sideways (${doc.scrollWidth} px wide in ${doc.clientWidth} px)`);
  const isVisible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none' && r.right > 0 && r.bottom + window.scrollY > 0;
  };
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
  for (const el of document.body.querySelectorAll('*')) {
    // A map is a two-dimensional picture that pans (WCAG 1.4.10's exception): its tiles and panes overflow by design.
    if (el.closest('.leaflet-container')) continue;
    if (!isVisible(el) || !el.innerText?.trim()) continue;
    const s = getComputedStyle(el);
    const hidesX = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
    const hidesY = ['hidden', 'clip'].includes(s.overflowY);
    if (hidesX && el.scrollWidth > el.clientWidth + 1) problems.push(`text cut off sideways in ${describe(el)} (${el.scrollWidth} > ${el.clientWidth} px)`);
    if (hidesY && el.scrollHeight > el.clientHeight + 1) problems.push(`text cut off at the bottom of ${describe(el)} (${el.scrollHeight} > ${el.clientHeight} px)`);
  }
  // Form controls: shown, and within the page's width (reachable without sideways scrolling).
  const controls = [...document.querySelectorAll('main input, main select, main textarea, main button')]
    .filter((el) => el.type !== 'hidden' && !el.closest('.hp'));
  for (const el of controls) {
    const r = el.getBoundingClientRect();
    if (!isVisible(el)) problems.push(`${describe(el)} is not visible`);
    else if (r.left < 0 || r.right > doc.clientWidth + 0.5) problems.push(`${describe(el)} sticks out of the page (${Math.round(r.left)}–${Math.round(r.right)} px of ${doc.clientWidth})`);
  }
  return problems;
}

/** Every form control of the page (a radio group counts once), tagged so that Tab can be followed. */
function tagControls() {
  const seen = new Set();
  return [...document.querySelectorAll('main input, main select, main textarea, main button')]
    // A disabled control is out of the tab order by design (the map's "use the marked place" until a place is marked).
    .filter((el) => el.type !== 'hidden' && !el.closest('.hp') && el.tabIndex >= 0 && !el.disabled)
    .flatMap((el, i) => {
      const id = el.type === 'radio' ? `radio:${el.name}` : `control:${i}`;
      if (seen.has(id)) return [];
      seen.add(id);
      el.dataset.zoomId = id;
      if (el.type === 'radio') for (const r of document.querySelectorAll(`input[type=radio][name="${el.name}"]`)) r.dataset.zoomId = id;
      return [{ id, name: el.id || el.name || el.textContent?.trim() || el.type }];
    });
}

/** Tabs through the page from the top: each control must be reached, and be in view when focused. */
async function tabReachesEveryControl(page, label) {
  const controls = await page.evaluate(tagControls);
  const focusables = await page.evaluate(() => document.querySelectorAll('a[href], input, select, textarea, button').length);
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const reached = new Set();
  for (let i = 0; i < focusables * 3 + 10 && reached.size < controls.length; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el?.getBoundingClientRect();
      return el?.dataset?.zoomId ? { id: el.dataset.zoomId, inView: r.left >= 0 && r.right <= window.innerWidth + 0.5 && r.bottom > 0 && r.top < window.innerHeight } : null;
    });
    if (!at) continue;
    assert.ok(at.inView, `${label}: ${at.id} is focused out of view`);
    reached.add(at.id);
  }
  const missed = controls.filter((c) => !reached.has(c.id)).map((c) => c.name);
  assert.deepEqual(missed, [], `${label}: Tab does not reach ${missed.join(', ')}`);
}

async function check(page, mode, state) {
  const label = `${state} (${mode.lang}, ${mode.name})`;
  if (mode.rootFont) await page.addStyleTag({ content: `html{font-size:${mode.rootFont}!important}` });
  await screenshot(page, label);
  const problems = await page.evaluate(layoutProblems);
  assert.deepEqual(problems, [], `${label}: ${problems.join('; ')}`);
  await tabReachesEveryControl(page, label);
}

export async function run({ browser, baseUrl, creds }) {
  const staff = await newPage(browser);
  await signInViaUi(staff, creds.email, creds.password);
  await h1(staff).filter({ hasText: 'Home' }).waitFor();
  const { slug } = await apiCall(staff, 'GET', '/api/v1/office');
  const category = await apiCall(staff, 'POST', '/api/v1/case-categories', { name: `Fly-tipping at 200% ${Date.now()}` });
  await apiCall(staff, 'PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });

  for (const mode of MODES) {
    await test(`portal at 200% zoom (${mode.name}, ${mode.lang}): every page reflows, keeps its text and reaches every control by Tab`, async () => {
      const context = await browser.newContext({ baseURL: baseUrl, ...mode.context });
      const page = await context.newPage();
      const w = WORDS[mode.lang];
      const go = async (path, heading) => {
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${mode.lang}`);
        await h1(page).filter({ hasText: heading }).waitFor();
      };
      try {
        await page.goto(`/portal/${slug}?lang=${mode.lang}`);
        await h1(page).waitFor();
        await check(page, mode, 'portal home');
        await page.getByRole('link', { name: w.start }).click();
        await h1(page).filter({ hasText: w.topic }).waitFor();
        await check(page, mode, 'report step 1, the topics');
        await page.getByRole('link', { name: category.name }).click();
        await h1(page).filter({ hasText: w.where }).waitFor();
        await check(page, mode, 'report step 2, the place');
        // Step 3, the details form, by its address (the steps' own journeys are in portal.js).
        await page.goto(`/portal/${slug}/report?lang=${mode.lang}&category=${category.id}&step=details`);
        await page.getByRole('button', { name: w.send }).waitFor();
        await check(page, mode, 'report form');
        await page.getByRole('button', { name: w.send }).click();
        await page.getByRole('alert').filter({ hasText: w.problem }).waitFor();
        await check(page, mode, 'report form with errors');
        // A complete report (the fields by id: the words are checked by the other portal specs).
        await page.locator('#description').fill('Bags of rubbish dumped behind the library car park, some of them torn open by foxes overnight.');
        await page.locator('#address').fill('Library car park, Church Street');
        await page.locator('#name').fill('Ngozi Adichie-Fernández');
        const email = `zoom.${mode.lang}.${Date.now()}@resident.example`;
        await page.locator('#email').fill(email);
        await page.locator('#consent').check();
        await wait(FILL_WAIT_MS);
        await page.getByRole('button', { name: w.send }).click();
        await h1(page).filter({ hasText: w.thanks }).waitFor();
        const reference = (await page.locator('.reference').innerText()).trim();
        await check(page, mode, 'confirmation');
        await page.locator('.link-box a').click();
        await page.locator('#text').waitFor();
        await check(page, mode, 'tracking page');
        await go(`/portal/${slug}`, '');
        await page.getByLabel(w.reference).fill(reference);
        await page.getByLabel(w.contact).fill('someone.else@resident.example');
        await page.getByRole('button', { name: w.find }).click();
        await page.getByRole('alert').waitFor();
        await check(page, mode, 'lookup miss');
        await go(`/portal/${slug}/track/${'x'.repeat(51)}`, w.notFound);
        await check(page, mode, 'message page (not found)');
        // The privacy-release signing page, for a person on a case.
        const person = await apiCall(staff, 'POST', '/api/v1/constituents', { givenName: 'Ngozi', familyName: `Zoom ${mode.lang}`, ignoreDuplicates: true });
        const kase = await apiCall(staff, 'POST', '/api/v1/cases', { subject: 'Benefit letter never arrived', channel: 'phone', constituents: [{ constituentId: person.id }] });
        const { signingUrl } = await apiCall(staff, 'POST', `/api/v1/cases/${kase.id}/privacy-releases`, { constituentId: person.id });
        await go(new URL(signingUrl).pathname, w.release);
        await check(page, mode, 'privacy-release signing page');
      } finally {
        await context.close();
      }
    });
  }
  await staff.context().close();
}
