// The resident-facing unsubscribe pages: a confirmation with one button (opening the link
// never unsubscribes by itself, since mail scanners open links), and the result. Every value is escaped.
import { escapeHtml as escape } from '../../platform/http/html.js';
import { residentPage } from './ratings.pages.js';
import { PURPOSE_LABEL, type UnsubscribeTarget } from './unsubscribe.service.js';

export function confirmPage(token: string, t: UnsubscribeTarget): string {
  const what = PURPOSE_LABEL[t.purpose];
  return residentPage(`Unsubscribe from ${t.officeName}`, `<h1>Unsubscribe</h1>
<p>Stop receiving ${escape(what)} from ${escape(t.officeName)}?</p>
<p>Replies about your own requests and cases will still reach you.</p>
<form method="post" action="/unsubscribe/${escape(token)}">
<p><button type="submit" name="confirm" value="yes">Unsubscribe</button></p>
</form>`);
}

export function donePage(t: UnsubscribeTarget): string {
  return residentPage(`Unsubscribed from ${t.officeName}`, `<h1>You are unsubscribed</h1>
<p role="status">${escape(t.officeName)} will not send you ${escape(PURPOSE_LABEL[t.purpose])} any more.</p>
<p>Replies about your own requests and cases will still reach you. If you change your mind, contact the office.</p>`);
}
