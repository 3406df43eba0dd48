// The embeddable public request form, server-rendered: plain HTML that works with JavaScript
// off, labelled fields, errors listed at the top (linked to their fields) and beside each
// field, the honeypot off-screen with a label telling people to leave it empty.
import { escapeHtml as esc, htmlPage } from '../../platform/http/html.js';

const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4;line-height:1.5;font-size:1.0625rem}
  main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
  header{background:#1d3557;color:#fff;padding:.75rem 1rem}
  header p{margin:0 auto;max-width:40rem;font-weight:600}
  h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
  label{display:block;font-weight:600;margin:1rem 0 .25rem}
  .hint{color:#4a4a4a;margin:0 0 .25rem;font-size:.95rem}
  input,select,textarea{font:inherit;padding:.5rem;border:2px solid #1b1b1b;border-radius:2px;width:100%;box-sizing:border-box;background:#fff;color:#1b1b1b}
  fieldset{border:1px solid #8a8a8a;margin:1.5rem 0 0;padding:0 1rem 1rem}
  legend{font-weight:600;padding:0 .25rem}
  button{font:inherit;font-weight:600;background:#1d6b3a;color:#fff;border:2px solid #1d6b3a;border-radius:3px;padding:.6rem 1.4rem;cursor:pointer;margin-top:1.5rem}
  button:focus,input:focus,select:focus,textarea:focus,a:focus{outline:3px solid #f9b700;outline-offset:2px}
  .error-summary{border:4px solid #b00020;padding:1rem;margin:0 0 1.5rem;background:#fff}
  .error-summary h2{margin:0 0 .5rem;font-size:1.2rem}
  .field-error{color:#b00020;font-weight:600;margin:.25rem 0}
  .done{border:4px solid #1d6b3a;background:#fff;padding:1rem}
  .reference{font-size:1.4rem;font-weight:700}
  .hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
  .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

export type FormPage = {
  office: { slug: string; name: string };
  categories: { id: string; path: string[] }[];
  formToken: string;
  clientToken: string;
  values?: Record<string, string | undefined>;
  errors?: { field: string; message: string }[];
};

const FIELDS = ['name', 'email', 'phone', 'address', 'categoryId', 'description'] as const;
// Problems about fields the page does not show (the form token, lat/lng) link to the first field.
const anchorOf = (field: string) => ((FIELDS as readonly string[]).includes(field) ? field : 'name');

export function requestForm(p: FormPage): string {
  const errors = p.errors ?? [];
  const v = (f: string) => esc(p.values?.[f] ?? '');
  // Beside a field only its own problems; the rest are in the summary alone.
  const errorOf = (f: string) => errors.find((e) => e.field === f);
  const fieldError = (f: string) => {
    const e = errorOf(f);
    return e ? `<p class="field-error" id="${f}-error"><span class="visually-hidden">Error: </span>${esc(e.message)}</p>` : '';
  };
  const attrs = (f: string, hint?: string) => {
    const ids = [hint, errorOf(f) ? `${f}-error` : undefined].filter(Boolean).join(' ');
    return `${ids ? ` aria-describedby="${ids}"` : ''}${errorOf(f) ? ' aria-invalid="true"' : ''}`;
  };
  const summary = errors.length
    ? `<div class="error-summary" role="alert" aria-labelledby="error-title" tabindex="-1"><h2 id="error-title">There is a problem</h2><ul>${errors.map((e) => `<li><a href="#${anchorOf(e.field)}">${esc(e.message)}</a></li>`).join('')}</ul></div>\n`
    : '';
  const options = p.categories.map((c) => `<option value="${esc(c.id)}"${p.values?.categoryId === c.id ? ' selected' : ''}>${esc(c.path.join(' › '))}</option>`).join('');
  return htmlPage({
    title: `${errors.length ? 'Error: ' : ''}Make a request to ${p.office.name}`, style: STYLE, header: p.office.name, body: `
${summary}<h1>Make a request</h1>
<p>Tell ${esc(p.office.name)} about a problem or ask for help. We will give you a reference number when you send it.</p>
<form method="post" action="/api/v1/public/${esc(p.office.slug)}/requests" novalidate>
  <input type="hidden" name="formToken" value="${esc(p.formToken)}">
  <input type="hidden" name="clientToken" value="${esc(p.clientToken)}">
  <label for="name">Your name</label>
  ${fieldError('name')}<input type="text" id="name" name="name" autocomplete="name" required maxlength="200" value="${v('name')}"${attrs('name')}>
  <fieldset>
    <legend>How can we contact you?</legend>
    <p class="hint" id="contact-hint">Give an email address, a phone number or both.</p>
    <label for="email">Email address</label>
    ${fieldError('email')}<input type="email" id="email" name="email" autocomplete="email" maxlength="320" value="${v('email')}"${attrs('email', 'contact-hint')}>
    <label for="phone">Phone number</label>
    ${fieldError('phone')}<input type="tel" id="phone" name="phone" autocomplete="tel" maxlength="40" value="${v('phone')}"${attrs('phone', 'contact-hint')}>
  </fieldset>
  <label for="categoryId">What is it about? (optional)</label>
  ${fieldError('categoryId')}<select id="categoryId" name="categoryId"${attrs('categoryId')}><option value="">Choose a topic</option>${options}</select>
  <label for="address">Where is it? (optional)</label>
  <p class="hint" id="address-hint">A street address or a description of the place.</p>
  ${fieldError('address')}<input type="text" id="address" name="address" autocomplete="street-address" maxlength="500" value="${v('address')}"${attrs('address', 'address-hint')}>
  <label for="description">Your request</label>
  ${fieldError('description')}<textarea id="description" name="description" rows="6" required maxlength="5000"${attrs('description')}>${v('description')}</textarea>
  <div class="hp"><label for="website">Leave this field empty</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
  <button type="submit">Send request</button>
</form>` });
}

export function receivedPage(office: { name: string }, reference: string | null): string {
  return htmlPage({
    title: reference ? `Request received: ${reference}` : 'Request received', style: STYLE, header: office.name, body: `
<div class="done" role="status"><h1>Thank you: we have your request</h1>
${reference
    ? `<p>Your reference is</p><p class="reference">${esc(reference)}</p><p>Please keep it: quote it whenever you contact ${esc(office.name)} about this request.</p>`
    : `<p>${esc(office.name)} will look at it shortly and contact you with a reference.</p>`}
</div>` });
}

export function notFoundPage(): string {
  return htmlPage({ title: 'Page not found', style: STYLE, body: '<h1>Page not found</h1><p>There is no request form at this address. Check the link you followed.</p>' });
}

export function refusedPage(office: { name: string }, title: string, message: string): string {
  return htmlPage({ title, style: STYLE, header: office.name, body: `<h1>${esc(title)}</h1><p>${esc(message)}</p>` });
}
