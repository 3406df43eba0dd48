// The public signing page, server-rendered: plain HTML that works without JavaScript, one
// form with labelled fields, errors listed at the top (focusable, linked to their fields)
// and repeated beside each field, large touch targets and the office's consent text verbatim.
import { escapeHtml as esc, htmlPage } from '../../platform/http/html.js';
import type { SigningView } from './referrals.signing.js';


const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4;line-height:1.5;font-size:1.0625rem}
  main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
  header{background:#1d3557;color:#fff;padding:.75rem 1rem}
  header p{margin:0;max-width:40rem;margin:0 auto;font-weight:600}
  h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
  .consent{background:#fff;border:1px solid #8a8a8a;border-left:6px solid #1d3557;padding:1rem;margin:0 0 1.5rem;white-space:pre-wrap}
  label{display:block;font-weight:600;margin:1rem 0 .25rem}
  .hint{color:#4a4a4a;margin:0 0 .25rem;font-size:.95rem}
  input[type=text],input[type=date]{font:inherit;padding:.5rem;border:2px solid #1b1b1b;border-radius:2px;width:100%;max-width:24rem;box-sizing:border-box}
  .check{display:flex;gap:.75rem;align-items:flex-start;margin:1.5rem 0}
  .check input{width:1.5rem;height:1.5rem;margin:.15rem 0 0;flex:none}
  .check label{margin:0;font-weight:400}
  button{font:inherit;font-weight:600;background:#1d6b3a;color:#fff;border:2px solid #1d6b3a;border-radius:3px;padding:.6rem 1.4rem;cursor:pointer}
  button:focus,input:focus,a:focus{outline:3px solid #f9b700;outline-offset:2px}
  .error-summary{border:4px solid #b00020;padding:1rem;margin:0 0 1.5rem;background:#fff}
  .error-summary h2{margin:0 0 .5rem;font-size:1.2rem}
  .field-error{color:#b00020;font-weight:600;margin:.25rem 0}
  .done{border:4px solid #1d6b3a;background:#fff;padding:1rem}
  code{word-break:break-all}
  .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

function layout(title: string, officeName: string | null, body: string): string {
  return htmlPage({ title, style: STYLE, header: officeName ?? 'Civitas', body });
}

export type FormState = { typedName?: string; signedDate?: string; error?: { field: 'typedName' | 'signedDate' | 'consent'; message: string } };

export function signingForm(v: SigningView, csrf: string, action: string, state: FormState = {}): string {
  const err = state.error;
  const fieldError = (f: string) => (err?.field === f ? `<p class="field-error" id="${f}-error"><span class="visually-hidden">Error: </span>${esc(err.message)}</p>` : '');
  const describedBy = (f: string, hint?: string) => {
    const ids = [hint, err?.field === f ? `${f}-error` : undefined].filter(Boolean).join(' ');
    return ids ? ` aria-describedby="${ids}"` : '';
  };
  const invalid = (f: string) => (err?.field === f ? ' aria-invalid="true"' : '');
  const summary = err
    ? `<div class="error-summary" role="alert" aria-labelledby="error-title" tabindex="-1"><h2 id="error-title">There is a problem</h2><p><a href="#${err.field}">${esc(err.message)}</a></p></div>`
    : '';
  const expires = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: v.timeZone }).format(v.expiresAt);
  return layout(`${err ? 'Error: ' : ''}Give your consent for case ${v.caseReference}`, v.officeName, `
${summary}<h1>Give your consent for case ${esc(v.caseReference)}</h1>
<p>${esc(v.officeName)} is asking for your permission to share your case. Please read the statement below. This link works once, until ${esc(expires)}.</p>
<h2>The statement you are signing</h2>
<div class="consent" id="consent-text">${esc(v.consentText)}</div>
<form method="post" action="${esc(action)}" novalidate>
  <input type="hidden" name="csrf" value="${esc(csrf)}">
  <label for="typedName">Your full name</label>
  <p class="hint" id="typedName-hint">Type your name as ${esc(v.officeName)} knows it. This is your signature.</p>
  ${fieldError('typedName')}
  <input type="text" id="typedName" name="typedName" autocomplete="name" required maxlength="200" value="${esc(state.typedName ?? '')}"${describedBy('typedName', 'typedName-hint')}${invalid('typedName')}>
  <label for="signedDate">Today's date</label>
  <p class="hint" id="signedDate-hint">For example 2026-12-06 (year, month, day).</p>
  ${fieldError('signedDate')}
  <input type="date" id="signedDate" name="signedDate" required value="${esc(state.signedDate ?? '')}"${describedBy('signedDate', 'signedDate-hint')}${invalid('signedDate')}>
  ${fieldError('consent')}
  <div class="check">
    <input type="checkbox" id="consent" name="consent" value="yes" required${describedBy('consent', 'consent-text')}${invalid('consent')}>
    <label for="consent">I have read the statement above and I give my consent.</label>
  </div>
  <button type="submit">Sign and give consent</button>
</form>`);
}

export function signedPage(r: { officeName: string; caseReference: string; hash: string }): string {
  return layout(`Consent given for case ${r.caseReference}`, r.officeName, `
<div class="done"><h1>Thank you: your consent is recorded</h1>
<p>${esc(r.officeName)} has your signed consent for case ${esc(r.caseReference)} and can now share it as the statement said. You can close this page.</p>
<p>Your signature's reference: <code>${esc(r.hash)}</code></p></div>`);
}

export function unusablePage(title: string, message: string): string {
  return layout(title, null, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`);
}
