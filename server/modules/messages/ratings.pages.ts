// The resident-facing rating pages: small, server-rendered, accessible HTML that works with
// JavaScript off. Every value is escaped; nothing here reads the request.
import { escapeHtml as escape, htmlPage } from '../../platform/http/html.js';

const LABELS = ['Very poor', 'Poor', 'Fair', 'Good', 'Excellent'];

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f7f7f5; line-height: 1.5; }
main { max-width: 36rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border: 1px solid #d0d0cc; border-radius: 6px; }
h1 { font-size: 1.5rem; margin-top: 0; }
fieldset { border: 1px solid #d0d0cc; border-radius: 4px; margin: 1rem 0; }
label { display: block; margin: 0.25rem 0; }
textarea { width: 100%; box-sizing: border-box; font: inherit; }
button { font: inherit; padding: 0.5rem 1rem; background: #1d4f91; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
`;

/** The shell of every resident page reached from an email (rating, unsubscribe). */
export const residentPage = (title: string, body: string) => htmlPage({ title, style: STYLE, body });
const page = residentPage;

export type FormState = { token: string; reference: string; officeName: string; score: number | null; comment: string | null };

function form(s: FormState, submitLabel: string, focusSubmit = false): string {
  const radios = LABELS.map((label, i) => {
    const n = i + 1;
    return `<label><input type="radio" name="score" value="${n}"${s.score === n ? ' checked' : ''} required> ${n} – ${label}</label>`;
  }).join('\n');
  return `<form method="post" action="/rate/${escape(s.token)}">
<fieldset>
<legend>Your score</legend>
${radios}
</fieldset>
<label for="comment">Anything you would like to tell us? (optional)</label>
<textarea id="comment" name="comment" rows="4" maxlength="2000">${escape(s.comment ?? '')}</textarea>
<p><button type="submit"${focusSubmit ? ' autofocus' : ''}>${escape(submitLabel)}</button></p>
</form>`;
}

/**
 * Asks for a score. Opened from a score's link, that score is chosen and the send button has
 * the focus: one more press records it.
 */
export function askPage(s: FormState, problem?: string): string {
  const chosen = s.score !== null && !problem;
  return page(`Rate case ${s.reference}`, `<h1>How did ${escape(s.officeName)} do?</h1>
<p>Please rate how your case ${escape(s.reference)} was handled.</p>
${chosen ? `<p>You chose <strong>${s.score} out of 5 (${escape(LABELS[s.score! - 1]!)})</strong>. Press “Send rating” to record it, or choose another score first.</p>` : ''}
${problem ? `<p role="alert"><strong>${escape(problem)}</strong></p>` : ''}
${form(s, 'Send rating', chosen)}`);
}

/** Thanks, with the form to change the score or add a comment while that is still allowed. */
export function thanksPage(s: FormState & { score: number }, changeDays: number): string {
  return page(`Thank you – case ${s.reference}`, `<h1>Thank you</h1>
<p role="status">We recorded your rating of <strong>${s.score} out of 5 (${escape(LABELS[s.score - 1]!)})</strong> for case ${escape(s.reference)}.</p>
<p>You can add a comment or change your score for ${changeDays} days.</p>
${form(s, 'Update rating')}`);
}

/** A link that is unknown, expired or already used up. */
export function problemPage(title: string, message: string): string {
  return page(title, `<h1>${escape(title)}</h1>\n<p>${escape(message)}</p>\n<p>If you need help, reply to the email you received or contact the office.</p>`);
}
