// Browser tests of area alerts in the portal, in English and in Spanish, by keyboard alone, with
// axe on every page and state: the link from the home page, the form with its problems (and an
// address the register does not have), "check your email", the confirmation page opened from
// the emailed link (read from the .eml the server wrote), the resident's alerts after
// confirming, the unsubscribe page with its one button, and unsubscribed.
import assert from 'node:assert/strict';
import { activeInfo, apiCall, axe, h1, newPage, sentMail, staffWithPortal, test } from '../harness.js';

const square = (x) => [[x, 10], [x + 1, 10], [x + 1, 11], [x, 11], [x, 10]];

async function setUp(browser, creds) {
  const { staff, office } = await staffWithPortal(browser, creds);
  const features = [['AL1', 'Alder ward', 10], ['AL2', 'Birch ward', 11]].map(([code, name, x]) => ({ type: 'Feature', properties: { code, name }, geometry: { type: 'Polygon', coordinates: [square(x)] } }));
  await apiCall(staff, 'POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features } });
  return { office };
}

/** Presses Enter on a control reached by focusing it (no mouse). */
async function pressOn(locator) {
  await locator.focus();
  await locator.page().keyboard.press('Enter');
}

const WORDS = {
  en: {
    homeLink: 'Set up alerts', title: 'Alerts about new reports', submit: 'Set up alerts', problem: 'There is a problem', emailError: 'Enter an email address, like name@example.com',
    byAddress: 'Around an address', address: 'Address', notFound: 'We could not find this address', byWard: 'A whole ward', ward: 'Ward', email: 'Email address',
    immediate: 'As soon as there are new reports', consent: /^I agree that/, sent: 'Check your email', subject: 'Confirm your alerts', confirmTitle: 'Confirm your alerts',
    confirmButton: 'Confirm my alerts', manage: 'Your alerts', on: 'Your alerts are on', unsubscribeTitle: 'Unsubscribe', unsubscribeButton: 'Unsubscribe', unsubscribed: 'You are unsubscribed',
  },
  es: {
    homeLink: 'Configurar avisos', title: 'Avisos de nuevos problemas', submit: 'Configurar avisos', problem: 'Hay un problema', emailError: 'Escriba un correo electrónico, como nombre@ejemplo.com',
    byAddress: 'Alrededor de una dirección', address: 'Dirección', notFound: 'No hemos encontrado esta dirección', byWard: 'Un distrito entero', ward: 'Distrito', email: 'Correo electrónico',
    immediate: 'En cuanto haya problemas nuevos', consent: /^Acepto que/, sent: 'Revise su correo', subject: 'Confirme sus avisos', confirmTitle: 'Confirme sus avisos',
    confirmButton: 'Confirmar mis avisos', manage: 'Sus avisos', on: 'Sus avisos están activados', unsubscribeTitle: 'Darse de baja', unsubscribeButton: 'Darme de baja', unsubscribed: 'Se ha dado de baja',
  },
};

async function journey(browser, slug, lang) {
  const w = WORDS[lang];
  const email = `alerts.${lang}.${Date.now()}@resident.example`;
  const page = await newPage(browser);
  await page.goto(`/portal/${slug}?lang=${lang}`);
  await pressOn(page.getByRole('link', { name: w.homeLink }));
  await h1(page).filter({ hasText: w.title }).waitFor();
  await axe(page, `alerts form (${lang})`);

  // Sent empty: the problems are listed and linked to their fields.
  await pressOn(page.getByRole('button', { name: w.submit }));
  await page.getByRole('alert').filter({ hasText: w.problem }).waitFor();
  assert.match(await page.title(), /^Error: /);
  await axe(page, `alerts form with errors (${lang})`);
  await pressOn(page.getByRole('link', { name: w.emailError }));
  assert.equal((await activeInfo(page)).id, 'email', 'the summary link moves focus to the field');
  await page.keyboard.type(email);

  // An address the register does not have: what to do instead; what was typed stays.
  await page.getByLabel(w.byAddress).focus();
  await page.keyboard.press('Space');
  await page.getByLabel(w.address, { exact: true }).focus();
  await page.keyboard.type('99 <b>Nowhere</b> Street');
  await page.getByLabel(w.consent).focus();
  await page.keyboard.press('Space');
  await page.getByLabel(w.immediate).focus();
  await page.keyboard.press('Space');
  await pressOn(page.getByRole('button', { name: w.submit }));
  await page.getByRole('alert').filter({ hasText: w.notFound }).waitFor();
  assert.equal(await page.getByLabel(w.email, { exact: true }).inputValue(), email);
  assert.equal(await page.getByLabel(w.address, { exact: true }).inputValue(), '99 <b>Nowhere</b> Street');
  await axe(page, `alerts form, address not found (${lang})`);

  // A ward instead.
  await page.getByLabel(w.byWard).focus();
  await page.keyboard.press('Space');
  await page.getByLabel(w.ward, { exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByLabel(w.consent).focus();
  if (!(await page.getByLabel(w.consent).isChecked())) await page.keyboard.press('Space');
  await pressOn(page.getByRole('button', { name: w.submit }));
  await h1(page).filter({ hasText: w.sent }).waitFor();
  await axe(page, `alerts: check your email (${lang})`);

  // The emailed link opens a page with one button; the button confirms.
  const text = await sentMail(email, w.subject);
  const link = /https?:\/\/\S+\/alerts\/confirm\/\S+/.exec(text)[0];
  await page.goto(new URL(link).pathname + new URL(link).search);
  await h1(page).filter({ hasText: w.confirmTitle }).waitFor();
  await axe(page, `alerts: confirm (${lang})`);
  await pressOn(page.getByRole('button', { name: w.confirmButton }));
  await h1(page).filter({ hasText: w.manage }).waitFor();
  await page.getByRole('status').filter({ hasText: w.on }).waitFor();
  await page.getByRole('heading', { level: 2, name: /Alder ward|Birch ward/ }).waitFor();
  await axe(page, `alerts: your alerts, confirmed (${lang})`);

  // The unsubscribe link (as in every alert) asks first; the button unsubscribes.
  const action = await page.locator('form[action*="/alerts/unsubscribe/"]').first().getAttribute('action');
  await page.goto(action);
  await h1(page).filter({ hasText: w.unsubscribeTitle }).waitFor();
  await axe(page, `alerts: unsubscribe (${lang})`);
  await page.keyboard.press('Tab');
  await pressOn(page.getByRole('button', { name: w.unsubscribeButton }));
  await h1(page).filter({ hasText: w.unsubscribed }).waitFor();
  await axe(page, `alerts: unsubscribed (${lang})`);
}

export async function run({ browser, creds }) {
  const { office } = await setUp(browser, creds);
  await test('portal alerts: subscribe, confirm and unsubscribe in English by keyboard, with axe on every page and state', () => journey(browser, office.slug, 'en'));
  await test('portal alerts: the same in Spanish', () => journey(browser, office.slug, 'es'));
}
