// Browser tests of resident accounts in the portal: signing in by keyboard with the link read
// from the sent mail, the requests list and a request's page, contact preferences (a withdrawal
// lands in the consent ledger), the data download, signing out, a used and a made-up link —
// in English and in Spanish, with axe on every page and state.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { activeInfo, apiCall, axe, h1, newPage, seeHeading, sentMail, staffWithPortal, test } from '../harness.js';

/** A person the office knows by this email, with a case staff opened for them and a sensitive one. */
async function resident(world, email, givenName) {
  const person = await apiCall(world.staff, 'POST', '/api/v1/constituents', { givenName, familyName: 'Resident', emails: [{ email }], ignoreDuplicates: true });
  const kase = await apiCall(world.staff, 'POST', '/api/v1/cases', { subject: 'Overgrown hedge <b>blocking</b> the path', channel: 'phone', constituents: [{ constituentId: person.id }] });
  await apiCall(world.staff, 'POST', `/api/v1/cases/${kase.id}/notes`, { body: 'A crew is booked for Monday.', isPublic: true });
  const secret = await apiCall(world.staff, 'POST', '/api/v1/cases', { subject: 'Private matter', channel: 'phone', isSensitive: true, constituents: [{ constituentId: person.id }] });
  return { person, reference: kase.reference, secret: secret.reference };
}

const linkIn = (text, slug) => new RegExp(`https?://[^\\s]+(/portal/${slug}/account/sign-in/[\\w-]{43}\\?lang=\\w+)`).exec(text)?.[1];

/** Asks for a link with the keyboard alone on the sign-in page; returns the link's path from the email. */
async function askByKeyboard(page, email, l) {
  await page.getByLabel(l.email, { exact: true }).focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await h1(page).filter({ hasText: l.check }).waitFor();
  const link = linkIn(await sentMail(email, l.subject), page.url().split('/')[4]);
  assert.ok(link, 'the email holds the sign-in link');
  return link;
}

export async function run({ browser, creds }) {
  const world = await staffWithPortal(browser, creds);
  const slug = world.office.slug;
  const stamp = Date.now();

  await test('portal accounts: sign in by keyboard, requests, preferences, download, sign out (en), axe on every page', async () => {
    const email = `ana.${stamp}@resident.example`;
    const r = await resident(world, email, 'Ana');
    const page = await newPage(browser);
    await page.goto(`/portal/${slug}?lang=en`);
    await page.getByRole('link', { name: 'Your requests and settings' }).click();
    await seeHeading(page, 'Sign in to see your requests', 'account sign-in (en)');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('alert').filter({ hasText: 'Enter your email address' }).waitFor();
    await axe(page, 'account sign-in with an error (en)');
    const l = { email: 'Email address', check: 'Check your email', subject: 'Your link to sign in to' };
    const link = await askByKeyboard(page, email, l);
    await axe(page, 'check your email (en)');

    await page.goto(link);
    await seeHeading(page, 'Sign in', 'sign-in link page (en)');
    for (let i = 0; i < 30 && (await activeInfo(page)).text !== 'Sign in'; i++) await page.keyboard.press('Tab');
    assert.equal((await activeInfo(page)).text, 'Sign in', 'Tab reaches the sign-in button');
    await page.keyboard.press('Enter');
    await h1(page).filter({ hasText: 'Your requests' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'You are signed in.' }).waitFor();
    await page.getByText(`Signed in as ${email}`).waitFor();
    assert.equal(await page.getByRole('row', { name: new RegExp(r.secret) }).getByText('Private').count(), 1);
    await axe(page, 'your requests (en)');

    await page.getByRole('link', { name: r.reference }).click();
    await h1(page).filter({ hasText: `Your request ${r.reference}` }).waitFor();
    await page.getByText('A crew is booked for Monday.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send comment' }).count(), 0, 'a request page of the account is read-only');
    await axe(page, 'a request in the account (en)');
    await page.goBack();

    await page.getByRole('navigation', { name: 'Your account' }).getByRole('link', { name: 'Contact preferences' }).click();
    await seeHeading(page, 'Contact preferences', 'contact preferences (en)');
    const casework = page.getByRole('group', { name: 'About your requests' });
    assert.ok(await casework.getByLabel('Email').isChecked(), 'casework by email is on without a statement');
    await casework.getByLabel('Email').uncheck();
    await page.getByRole('group', { name: 'News and information' }).getByLabel('Email').check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('status').filter({ hasText: 'Your preferences have been saved.' }).waitFor();
    assert.equal(await page.getByRole('group', { name: 'About your requests' }).getByLabel('Email').isChecked(), false);
    await page.getByText('Withdrawn: About your requests by Email').waitFor();
    await axe(page, 'contact preferences saved (en)');
    const consents = await apiCall(world.staff, 'GET', `/api/v1/constituents/${r.person.id}/consents`);
    const decision = consents.current.find((c) => c.channel === 'email' && c.purpose === 'casework').decision;
    assert.deepEqual([decision.allowed, decision.reason], [false, 'consent_withdrawn']);
    assert.equal(consents.history.find((h) => h.purpose === 'casework').source, 'portal');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download your data (JSON)' }).click()]);
    assert.equal(download.suggestedFilename(), `${slug}-my-data.json`);
    const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(data.signedInAs, email);
    assert.deepEqual(data.requests.map((x) => x.reference).sort(), [r.reference, r.secret].sort());

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await seeHeading(page, 'Sign in to see your requests', 'signed out (en)');
    await page.goto(link);
    await seeHeading(page, 'This sign-in link has already been used', 'used sign-in link (en)');
    await page.getByRole('link', { name: 'Ask for a new sign-in link' }).click();
    await h1(page).filter({ hasText: 'Sign in to see your requests' }).waitFor();
    await page.context().close();
  });

  await test('portal accounts: the same journey in Spanish, and a made-up link, with axe on every page', async () => {
    const email = `eva.${stamp}@resident.example`;
    const r = await resident(world, email, 'Eva');
    const page = await newPage(browser);
    await page.goto(`/portal/${slug}/account?lang=es`);
    await h1(page).filter({ hasText: 'Inicie sesión para ver sus solicitudes' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    await axe(page, 'account sign-in (es)');
    await page.getByLabel('Correo electrónico', { exact: true }).fill('no-es-un-correo');
    await page.getByRole('button', { name: 'Enviarme un enlace para iniciar sesión' }).click();
    await page.getByRole('alert').filter({ hasText: 'Hay un problema' }).waitFor();
    await axe(page, 'account sign-in with an error (es)');
    await page.getByLabel('Correo electrónico', { exact: true }).fill('');
    const link = await askByKeyboard(page, email, { email: 'Correo electrónico', check: 'Revise su correo electrónico', subject: 'Su enlace para iniciar sesión en' });
    await axe(page, 'check your email (es)');
    await page.goto(link);
    await seeHeading(page, 'Iniciar sesión', 'sign-in link page (es)');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await h1(page).filter({ hasText: 'Sus solicitudes' }).waitFor();
    await page.getByRole('link', { name: r.reference }).waitFor();
    await axe(page, 'your requests (es)');
    await page.getByRole('link', { name: 'Preferencias de contacto' }).click();
    await h1(page).filter({ hasText: 'Preferencias de contacto' }).waitFor();
    await page.getByRole('group', { name: '¿Qué idioma prefiere?' }).getByLabel('Español').check();
    await page.getByRole('button', { name: 'Guardar preferencias' }).click();
    await page.getByRole('status').filter({ hasText: 'Se han guardado sus preferencias.' }).waitFor();
    await axe(page, 'contact preferences saved (es)');
    assert.equal((await apiCall(world.staff, 'GET', `/api/v1/constituents/${r.person.id}`)).preferredLanguage, 'es');
    await page.goto(`/portal/${slug}/account/sign-in/${'x'.repeat(43)}?lang=es`);
    await seeHeading(page, 'Este enlace para iniciar sesión no es válido', 'made-up sign-in link (es)');
    await page.context().close();
  });
}
