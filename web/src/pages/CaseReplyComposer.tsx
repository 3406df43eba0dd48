// Writing to the resident from the case page: choose a person on the case, the channel (their
// usual one unless chosen: a letter if they prefer post, a text if they prefer SMS or wrote by
// text, else email) and a template, whose approved text (in their language when approved) fills
// the fields to be adjusted, or write freely; preview it as they will get it
// (merge fields filled in, and whether they can be reached at all that way), then send. A
// letter goes to the print queue (the Letters page) instead of being sent.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Case } from '../../../contract/cases.js';
import type { MessageChannel, OutboundMessage, ReplyPreview, ReplyRequest } from '../../../contract/messages.js';
import type { ApprovedTemplateText } from '../../../contract/templates.js';
import { api } from '../api/client.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextAreaField, TextField } from '../components/FormFields.js';
import { caseKeys } from './CaseQueries.js';
import { languageName, replyKeys, useReplyTemplates } from './ReplyQueries.js';
import { ReplyTemplateOptions } from './ReplyTemplateOptions.js';

const FIELDS = {
  constituentId: { id: 'reply-to', label: 'To' },
  channel: { id: 'reply-channel', label: 'Send as' },
  templateId: { id: 'reply-template', label: 'Template' },
  templateLanguage: { id: 'reply-template', label: 'Template' },
  subject: { id: 'reply-subject', label: 'Subject' },
  body: { id: 'reply-body', label: 'Message' },
};

const SEND_LABEL: Record<MessageChannel, string> = { email: 'Send email', sms: 'Send text message', letter: 'Add letter to print queue' };

export function CaseReplyComposer({ kase, onSent }: { kase: Case; onSent: (m: OutboundMessage) => void }) {
  const queryClient = useQueryClient();
  const templates = useReplyTemplates();
  const people = kase.constituents;
  const [constituentId, setConstituentId] = useState(kase.requester?.id ?? people[0]?.id ?? '');
  const [channel, setChannel] = useState<MessageChannel | ''>('');
  const [templateId, setTemplateId] = useState('');
  // The approved text the fields were filled with (its language and version go with the reply).
  const [filled, setFilled] = useState<ApprovedTemplateText | null>(null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<ReplyPreview | null>(null);
  // Unless chosen, the server picks the channel; the preview says which.
  const shown: MessageChannel = preview?.channel ?? (channel || (kase.channel === 'sms' ? 'sms' : 'email'));

  const request = (): ReplyRequest => ({
    ...(constituentId ? { constituentId } : {}),
    ...(channel ? { channel } : {}),
    ...(templateId ? { templateId } : {}),
    ...(templateId && filled ? { templateLanguage: filled.language } : {}),
    ...(subject.trim() ? { subject: subject.trim() } : {}),
    ...(body.trim() ? { body } : {}),
  });
  const previewing = useMutation({
    mutationFn: () => api.post<ReplyPreview>(`/api/v1/cases/${kase.id}/replies/preview`, request()),
    onSuccess: setPreview,
  });
  const filling = useMutation({
    mutationFn: (v: { templateId: string; constituentId: string }) =>
      api.get<ApprovedTemplateText>(`/api/v1/cases/${kase.id}/replies/template-text`, { templateId: v.templateId, constituentId: v.constituentId || undefined }),
    onSuccess: (t) => {
      // The template's text goes into the fields so it can be adjusted before sending.
      setFilled(t);
      setSubject(t.subject);
      setBody(t.body);
    },
  });
  const sending = useMutation({
    mutationFn: () => api.post<OutboundMessage>(`/api/v1/cases/${kase.id}/replies`, request()),
    onSuccess: (m) => {
      setPreview(null);
      setChannel('');
      setTemplateId('');
      setFilled(null);
      setSubject('');
      setBody('');
      // The messages, the timeline, and the case itself (not its other panels): a reply can
      // record the first response, which the SLA clock in the header shows.
      void queryClient.invalidateQueries({ queryKey: replyKeys.messages(kase.id) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.timelines(kase.id) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.one(kase.id), exact: true });
      onSent(m);
    },
  });
  const error = sending.error ?? previewing.error ?? filling.error;
  const errors = fieldErrorsOf(error);

  function chooseTemplate(id: string, personId = constituentId) {
    setTemplateId(id);
    setPreview(null);
    setFilled(null);
    setSubject('');
    setBody('');
    if (id) filling.mutate({ templateId: id, constituentId: personId });
  }
  function chooseRecipient(personId: string) {
    setConstituentId(personId);
    setPreview(null);
    // Text not yet adjusted follows the new recipient's language.
    if (templateId && filled && subject === filled.subject && body === filled.body) chooseTemplate(templateId, personId);
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    sending.mutate();
  }

  if (people.length === 0) return <p>Add the person who asked to the case to write to them.</p>;
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="reply-heading">
      <h3 id="reply-heading">Write to the resident</h3>
      <ErrorSummary error={error} fields={FIELDS} />
      <SelectField id={FIELDS.constituentId.id} label="To" value={constituentId} onChange={(e) => chooseRecipient(e.target.value)} error={errors.constituentId}>
        {people.map((p) => <option key={p.id} value={p.id}>{p.displayName} ({p.role})</option>)}
      </SelectField>
      <SelectField id={FIELDS.channel.id} label="Send as" value={channel} onChange={(e) => { setChannel(e.target.value as MessageChannel | ''); setPreview(null); }} error={errors.channel}>
        <option value="">Their usual channel</option>
        <option value="email">Email</option>
        <option value="sms">Text message</option>
        <option value="letter">Letter (print and post)</option>
      </SelectField>
      <SelectField
        id={FIELDS.templateId.id}
        label="Template"
        hint={filled ? `Approved ${languageName(filled.language)} text, version ${filled.version}; you can edit it below.` : 'Its approved text, in the resident\'s language when there is one; you can edit it below.'}
        value={templateId}
        onChange={(e) => chooseTemplate(e.target.value)}
        error={errors.templateId ?? errors.templateLanguage}
      >
        <option value="">No template (write your own)</option>
        <ReplyTemplateOptions templates={templates.data} />
      </SelectField>
      <TextField id={FIELDS.subject.id} label="Subject" hint="Leave empty for “Your case (reference): (subject)”." value={subject} maxLength={300} onChange={(e) => { setSubject(e.target.value); setPreview(null); }} error={errors.subject} />
      <TextAreaField
        id={FIELDS.body.id}
        label="Message"
        hint="Merge fields such as {{constituent.given_name}} and {{case.reference}} are filled in for the recipient."
        rows={8}
        value={body}
        onChange={(e) => { setBody(e.target.value); setPreview(null); }}
        error={errors.body}
      />
      <div className="button-row">
        <button type="button" className="button" onClick={() => previewing.mutate()} disabled={previewing.isPending}>
          {previewing.isPending ? 'Previewing…' : 'Preview'}
        </button>
        <button type="submit" className="button button-primary" disabled={sending.isPending || preview?.canSend === false}>
          {sending.isPending ? 'Sending…' : SEND_LABEL[shown]}
        </button>
      </div>
      {preview ? (
        <section className="reply-preview" aria-labelledby="reply-preview-heading">
          <h4 id="reply-preview-heading">Preview</h4>
          {preview.canSend ? null : <StatusMessage>{`Cannot send: ${preview.reason ?? 'no address'}`}</StatusMessage>}
          <dl className="facts">
            {preview.channel === 'letter' ? (
              <div><dt>To</dt><dd>{preview.to ? <span className="pre-wrap">{preview.to}</span> : `${preview.recipient.displayName} (no postal address)`}</dd></div>
            ) : (
              <div><dt>To</dt><dd>{preview.recipient.displayName}{preview.to ? ` <${preview.to}>` : preview.channel === 'sms' ? ' (no mobile number)' : ' (no email address)'}</dd></div>
            )}
            {preview.sms ? (
              <div><dt>By</dt><dd>{`Text message, ${preview.sms.segments} SMS segment${preview.sms.segments === 1 ? '' : 's'} (${preview.sms.encoding})`}</dd></div>
            ) : <div><dt>{preview.channel === 'letter' ? 'Letter' : 'Subject'}</dt><dd>{preview.subject}</dd></div>}
          </dl>
          <pre className="pre-wrap reply-preview-body">{preview.body}</pre>
        </section>
      ) : null}
    </form>
  );
}
