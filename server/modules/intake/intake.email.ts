// Reading an inbound email: mailparser for the MIME (all charsets, broken structure), what
// kind of mail it is (a person's message, an auto-reply, a bounce, a complaint report), the
// threading headers, the new text without the quoted history, HTML made safe to display,
// and the delivery-status or feedback report inside a bounce or complaint.
import EmailReplyParser from 'email-reply-parser';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

export type InboundKind = 'message' | 'auto_reply' | 'bounce' | 'complaint';

export type BounceRecipient = { address: string; action: string; status: string; isHard: boolean };

export type ParsedEmail = {
  kind: InboundKind;
  /** Why the kind was chosen (for the record), e.g. 'Auto-Submitted: auto-replied'. */
  kindReason: string | null;
  senderName: string | null;
  senderAddress: string | null;
  recipients: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  replyText: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  date: string | null;
  attachments: { index: number; fileName: string; contentType: string; size: number }[];
  bounce: { recipients: BounceRecipient[]; originalMessageId: string | null } | null;
  complaint: { originalMessageId: string | null; feedbackType: string | null; recipient: string | null } | null;
};

// Postgres text cannot hold NUL; header values are kept to one bounded line.
const clean = (s: unknown, max: number): string | null => {
  if (typeof s !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const v = s.replace(/\u0000/g, '').slice(0, max);
  return v.length ? v : null;
};
const oneLine = (s: unknown, max: number) => clean(typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : null, max);

const MESSAGE_ID = /<[^<>\s]{1,900}>/g;
const ids = (v: string | string[] | undefined): string[] => {
  const all = (Array.isArray(v) ? v.join(' ') : (v ?? '')).match(MESSAGE_ID) ?? [];
  return [...new Set(all)];
};
// mailparser strips the brackets from in-reply-to/references in some versions: put them back.
const bracket = (v: string | string[] | undefined): string[] => {
  const list = Array.isArray(v) ? v : v ? v.split(/\s+/) : [];
  return ids(list.map((x) => (x.startsWith('<') ? x : `<${x}>`)).join(' '));
};

const firstAddress = (a: AddressObject | AddressObject[] | undefined): { name: string | null; address: string | null } => {
  for (const obj of Array.isArray(a) ? a : a ? [a] : []) {
    for (const entry of obj.value) {
      const candidates = entry.group?.length ? entry.group : [entry];
      for (const c of candidates) if (c.address && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.address)) return { name: c.name || null, address: c.address.toLowerCase() };
    }
  }
  return { name: null, address: null };
};

const allAddresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.flatMap((e) => (e.group?.length ? e.group : [e]))).flatMap((e) => (e.address ? [e.address.toLowerCase()] : []));

const header = (m: ParsedMail, name: string): string => {
  const v = m.headers.get(name);
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value);
  return String(v);
};

/** RFC 3834 and the headers mail systems use for automatic replies. */
function autoReplyReason(m: ParsedMail, subject: string): string | null {
  const auto = header(m, 'auto-submitted').trim().toLowerCase();
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponse']) if (m.headers.has(h)) return `${h} present`;
  const precedence = header(m, 'precedence').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  const suppress = header(m, 'x-auto-response-suppress').toLowerCase();
  if (/\b(all|oof|autoreply)\b/.test(suppress) && /^(auto(matic)? ?reply|out of (the )?office|auto:)/i.test(subject)) return 'Out-of-office reply';
  if (/^(auto(matic)?[ -]?reply|out of (the )?office|auto:|autoreply:|abwesenheitsnotiz|r[ée]ponse automatique)/i.test(subject)) return 'Out-of-office subject';
  if (m.headers.has('list-id') || m.headers.has('list-unsubscribe')) return 'Mailing-list mail';
  return null;
}

/** The fields of a delivery-status or feedback report part: "Name: value" lines in blocks. */
function reportFields(text: string): Record<string, string>[] {
  return text.replace(/\r/g, '').split(/\n\s*\n/).map((block) => {
    const out: Record<string, string> = {};
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    return out;
  }).filter((b) => Object.keys(b).length > 0);
}

const partText = (a: Attachment) => a.content.toString('utf8');
const typeOf = (a: Attachment) => (typeof a.contentType === 'string' ? a.contentType : '');

/** The report-type of a multipart/report (RFC 6522), lower case, or ''. */
function reportType(m: ParsedMail): string {
  const ct = m.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  return ct && /multipart\/report/i.test(ct.value ?? '') ? String(ct.params?.['report-type'] ?? '').toLowerCase() : '';
}

/** A report part's fields: mailparser keeps some report parts as attachments and folds others into the text. */
function reportPart(m: ParsedMail, raw: string, type: RegExp, marker: string): Record<string, string>[] {
  const part = m.attachments.find((a) => type.test(typeOf(a)));
  if (part) return reportFields(partText(part));
  const at = raw.search(type);
  return at < 0 ? [] : reportFields(raw.slice(at, at + 20_000).split(/\n--/)[0]!).filter((b) => marker in b);
}
const addressOf = (v: string | undefined) => (v ? (v.split(';').pop() ?? '').trim().replace(/^<|>$/g, '').toLowerCase() : '');

function originalMessageId(m: ParsedMail): string | null {
  const original = m.attachments.find((a) => /^(message\/rfc822|text\/rfc822-headers|message\/global|message\/global-headers)$/i.test(typeOf(a)));
  const src = original ? partText(original) : '';
  const found = /^message-id:\s*(<[^<>\s]+>)/im.exec(src);
  return found ? found[1]! : null;
}

function bounceOf(m: ParsedMail, raw: string): ParsedEmail['bounce'] {
  const type = /message\/(global-)?delivery-status/i;
  if (reportType(m) !== 'delivery-status' && !m.attachments.some((a) => type.test(typeOf(a)))) return null;
  const recipients: BounceRecipient[] = [];
  for (const block of reportPart(m, raw, type, 'final-recipient')) {
    const address = addressOf(block['final-recipient'] ?? block['original-recipient']);
    if (!address || !address.includes('@')) continue;
    const action = (block['action'] ?? '').toLowerCase();
    const code = /\d\.\d{1,3}\.\d{1,3}/.exec(block['status'] ?? '')?.[0] ?? '';
    recipients.push({ address, action, status: code, isHard: action === 'failed' && code.startsWith('5') });
  }
  return { recipients, originalMessageId: originalMessageId(m) };
}

function complaintOf(m: ParsedMail, raw: string): ParsedEmail['complaint'] {
  const type = /message\/feedback-report/i;
  if (reportType(m) !== 'feedback-report' && !m.attachments.some((a) => type.test(typeOf(a)))) return null;
  const fields = Object.assign({}, ...reportPart(m, raw, type, 'feedback-type')) as Record<string, string>;
  return { originalMessageId: originalMessageId(m), feedbackType: oneLine(fields['feedback-type'], 100), recipient: oneLine(addressOf(fields['original-rcpt-to']) || null, 320) };
}

/** Bounces sent without a DSN: from the mailer daemon, or from postmaster with the usual subjects. */
const BOUNCE_SUBJECT = /^(undeliver(ed|able)|delivery (status notification|failure|has failed)|returned mail|failure notice|mail delivery (failed|system)|warning: could not send)/i;
const looksLikeBounce = (sender: string | null, subject: string) =>
  /^mailer-daemon@/i.test(sender ?? '') || (/^postmaster@/i.test(sender ?? '') && BOUNCE_SUBJECT.test(subject));

const SAFE_HTML: sanitizeHtml.IOptions = {
  allowedTags: sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'img'),
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan', 'scope'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  // Links open outside the app and cannot reach back into it.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
  disallowedTagsMode: 'discard',
};

export const safeHtml = (html: string): string => sanitizeHtml(html, SAFE_HTML);

/** The new part of a reply: without "On … wrote:" and quoted lines, or the whole text when nothing is left. */
export function replyPart(text: string): string {
  try {
    const reply = new EmailReplyParser().parseReply(text).trim();
    return reply.length ? reply : text.trim();
  } catch {
    return text.trim();
  }
}

export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const m = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 2_000_000 });
  const rawText = raw.toString('latin1');
  const subject = oneLine(m.subject, 1000);
  const from = firstAddress(m.from);
  const replyTo = firstAddress(m.replyTo);
  // Some senders put the person's address only in Reply-To (web forms relayed by a service).
  const sender = from.address ? from : replyTo;
  const text = clean(m.text ?? null, 1_000_000);
  const html = typeof m.html === 'string' ? clean(safeHtml(m.html), 2_000_000) : null;
  const bounce = bounceOf(m, rawText);
  const complaint = bounce ? null : complaintOf(m, rawText);
  let kind: InboundKind = 'message';
  let kindReason: string | null = null;
  if (bounce) [kind, kindReason] = ['bounce', 'Delivery status report'];
  else if (complaint) [kind, kindReason] = ['complaint', `Feedback report${complaint.feedbackType ? `: ${complaint.feedbackType}` : ''}`];
  else if (looksLikeBounce(sender.address, subject ?? '')) [kind, kindReason] = ['bounce', 'From the mailer daemon'];
  else {
    const reason = autoReplyReason(m, subject ?? '');
    if (reason) [kind, kindReason] = ['auto_reply', reason];
  }
  const reportParts = /^(message\/(rfc822|global|delivery-status|global-delivery-status|feedback-report|global-headers)|text\/rfc822-headers)$/i;
  // Numbered as mailparser lists them, so emailAttachment() finds the same part; a report's own parts are not attachments.
  const attachments = m.attachments
    .map((a, index) => ({ a, index }))
    .filter(({ a }) => kind === 'message' || kind === 'auto_reply' || !reportParts.test(typeOf(a)))
    .map(({ a, index }) => ({ index, fileName: oneLine(a.filename, 200) ?? `attachment-${index + 1}`, contentType: oneLine(typeOf(a), 200) ?? 'application/octet-stream', size: a.size ?? a.content.length }));
  return {
    kind,
    kindReason,
    senderName: oneLine(sender.name, 300),
    senderAddress: oneLine(sender.address, 320),
    recipients: [...allAddresses(m.to), ...allAddresses(m.cc)].slice(0, 100),
    subject,
    text,
    html,
    replyText: text ? clean(replyPart(text), 1_000_000) : null,
    messageId: oneLine(ids(m.messageId)[0] ?? null, 1000),
    inReplyTo: oneLine(bracket(m.inReplyTo)[0] ?? null, 1000),
    references: bracket(m.references).slice(-50).map((r) => r.slice(0, 1000)),
    date: m.date && !Number.isNaN(m.date.getTime()) ? m.date.toISOString() : null,
    attachments,
    bounce,
    complaint,
  };
}

/** The raw bytes of attachment `index` as parseEmail numbered them. */
export async function emailAttachment(raw: Buffer, index: number): Promise<{ content: Buffer } | null> {
  const m = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const a = m.attachments[index];
  return a ? { content: a.content } : null;
}
