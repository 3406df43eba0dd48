// Log a contact: a call, voicemail, walk-in, event conversation or social-media message, in
// one form: who (someone on record, someone new — matched by email or phone first — or
// nobody), what they said, which case (a new one or an existing one by reference) and
// whether someone must follow up (a task on the case). It goes through intake, so it shows
// in the inbox's history and on the case timeline. A resend after a network failure carries
// the same client token, so it is never logged twice.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { CASE_PRIORITIES, type CasePriority } from '../../../contract/cases.js';
import type { ConstituentSummary } from '../../../contract/constituents.js';
import { CAPTURE_CHANNELS, type Capture, type CaptureResult } from '../../../contract/web-intake.js';
import { api, ApiError } from '../api/client.js';
import { keys } from '../api/queries.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextAreaField, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { ConstituentPicker } from './ConstituentPicker.js';
import { caseKeys, categoryLabel, PRIORITY_LABELS, useCategories } from './CaseQueries.js';
import { findCase, INBOUND_CHANNEL_LABELS } from './InboxQueries.js';

type Channel = (typeof CAPTURE_CHANNELS)[number];
type Who = 'existing' | 'new' | 'none';

const FIELDS = {
  channel: { id: 'contact-channel', label: 'How they got in touch' },
  constituentId: { id: 'contact-person-q', label: 'Person on record' },
  'person.name': { id: 'contact-name', label: 'Name' },
  'person.email': { id: 'contact-email', label: 'Email' },
  'person.phone': { id: 'contact-phone', label: 'Phone' },
  text: { id: 'contact-text', label: 'What they said' },
  postUrl: { id: 'contact-post', label: 'Link to the post' },
  caseId: { id: 'contact-case', label: 'Case reference' },
  'newCase.subject': { id: 'contact-subject', label: 'Subject' },
  'newCase.categoryId': { id: 'contact-category', label: 'Category' },
  'newCase.priority': { id: 'contact-priority', label: 'Priority' },
  'followUp.title': { id: 'contact-follow-title', label: 'Follow-up' },
  'followUp.dueOn': { id: 'contact-follow-due', label: 'Follow up by' },
};

const EMPTY = { name: '', email: '', phone: '', text: '', postUrl: '', reference: '', subject: '', categoryId: '', priority: 'normal' as CasePriority, followTitle: '', dueOn: '' };
const newToken = () => crypto.randomUUID();

export function LogContactPage() {
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [channel, setChannel] = useState<Channel>('phone');
  const [who, setWho] = useState<Who>('existing');
  const [picked, setPicked] = useState<ConstituentSummary | null>(null);
  const [onCase, setOnCase] = useState<'new' | 'existing'>('new');
  const [needsFollowUp, setNeedsFollowUp] = useState(false);
  const [v, setV] = useState(EMPTY);
  const [token, setToken] = useState(newToken);
  const [done, setDone] = useState<CaptureResult | null>(null);
  const edit = (change: Partial<typeof EMPTY>) => setV({ ...v, ...change });

  const save = useMutation({
    mutationFn: async (): Promise<CaptureResult> => {
      if (who === 'existing' && !picked) {
        throw new ApiError({ type: 'about:blank', title: 'Choose the person', status: 400, code: 'validation_failed', detail: 'Find and choose the person, or choose “Someone new” or “Nobody”', field: 'constituentId' });
      }
      const target = onCase === 'existing' ? await findCase(v.reference) : null;
      const opt = (s: string) => (s.trim() ? s.trim() : undefined);
      const body: Capture = {
        clientToken: token, channel, text: v.text,
        ...(who === 'existing' && picked ? { constituentId: picked.id } : {}),
        ...(who === 'new' ? { person: { name: v.name, email: opt(v.email), phone: opt(v.phone) } } : {}),
        ...(channel === 'social' && opt(v.postUrl) ? { postUrl: opt(v.postUrl) } : {}),
        ...(target ? { caseId: target.id } : { newCase: { subject: opt(v.subject), categoryId: v.categoryId || null, priority: v.priority } }),
        ...(needsFollowUp ? { followUp: { title: v.followTitle || 'Follow up', dueOn: opt(v.dueOn) } } : {}),
      };
      return api.post<CaptureResult>('/api/v1/intake/capture', body);
    },
    onSuccess: async (r) => {
      setDone(r);
      setV(EMPTY);
      setPicked(null);
      setNeedsFollowUp(false);
      setToken(newToken());
      await Promise.all([queryClient.invalidateQueries({ queryKey: keys.inbox }), queryClient.invalidateQueries({ queryKey: caseKeys.all })]);
    },
  });
  const errors = fieldErrorsOf(save.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    save.mutate();
  }

  return (
    <Page title="Log a contact" lead="A call, voicemail, walk-in, event conversation or social-media message, recorded on a case in one step.">
      {done ? (
        <StatusMessage>
          Logged on case <Link to={`/cases/${done.caseId}`}>{done.reference}</Link>
          {done.taskId ? ', with a follow-up task' : ''}.
        </StatusMessage>
      ) : null}
      <form className="form" onSubmit={submit} noValidate aria-label="Log a contact">
        <ErrorSummary error={save.error} fields={FIELDS} />
        <SelectField id={FIELDS.channel.id} label={FIELDS.channel.label} value={channel} onChange={(e) => setChannel(e.target.value as Channel)} error={errors.channel}>
          {CAPTURE_CHANNELS.map((c) => <option key={c} value={c}>{INBOUND_CHANNEL_LABELS[c]}</option>)}
        </SelectField>

        <fieldset>
          <legend>Who</legend>
          <div className="radio-row">
            <label className="check"><input type="radio" name="contact-who" checked={who === 'existing'} onChange={() => setWho('existing')} /> Someone on record</label>
            <label className="check"><input type="radio" name="contact-who" checked={who === 'new'} onChange={() => setWho('new')} /> Someone new</label>
            <label className="check"><input type="radio" name="contact-who" checked={who === 'none'} onChange={() => setWho('none')} /> Nobody (anonymous)</label>
          </div>
          {who === 'existing' ? <ConstituentPicker id="contact-person" legend="Find the person" excludeIds={[]} value={picked} onChange={setPicked} error={errors.constituentId} /> : null}
          {who === 'existing' && picked ? <p className="hint" role="status">Chosen: {picked.displayName || 'Unnamed'}</p> : null}
          {who === 'new' ? (
            <div className="form-grid">
              <TextField id={FIELDS['person.name'].id} label="Name" autoComplete="off" value={v.name} onChange={(e) => edit({ name: e.target.value })} error={errors['person.name']} />
              <TextField id={FIELDS['person.email'].id} label="Email (optional)" type="email" autoComplete="off" value={v.email} onChange={(e) => edit({ email: e.target.value })} error={errors['person.email']} />
              <TextField id={FIELDS['person.phone'].id} label="Phone (optional)" type="tel" autoComplete="off" value={v.phone} onChange={(e) => edit({ phone: e.target.value })} error={errors['person.phone']} />
              <p className="hint">Someone already on record with this email or phone is used instead of a new record.</p>
            </div>
          ) : null}
        </fieldset>

        <TextAreaField id={FIELDS.text.id} label={FIELDS.text.label} rows={5} value={v.text} onChange={(e) => edit({ text: e.target.value })} error={errors.text} />
        {channel === 'social' ? (
          <TextField id={FIELDS.postUrl.id} label="Link to the post (optional)" type="url" value={v.postUrl} onChange={(e) => edit({ postUrl: e.target.value })} error={errors.postUrl} />
        ) : null}

        <fieldset>
          <legend>Case</legend>
          <div className="radio-row">
            <label className="check"><input type="radio" name="contact-case-mode" checked={onCase === 'new'} onChange={() => setOnCase('new')} /> Open a new case</label>
            <label className="check"><input type="radio" name="contact-case-mode" checked={onCase === 'existing'} onChange={() => setOnCase('existing')} /> Add to an existing case</label>
          </div>
          {onCase === 'existing' ? (
            <TextField id={FIELDS.caseId.id} label={FIELDS.caseId.label} hint="Such as C-2026-00042." autoComplete="off" value={v.reference} onChange={(e) => edit({ reference: e.target.value })} error={errors.caseId} />
          ) : (
            <>
              <TextField id={FIELDS['newCase.subject'].id} label="Subject (optional)" hint="Left empty, the case takes the first line of what they said." value={v.subject} maxLength={300} onChange={(e) => edit({ subject: e.target.value })} error={errors['newCase.subject']} />
              <SelectField id={FIELDS['newCase.categoryId'].id} label="Category (optional)" value={v.categoryId} onChange={(e) => edit({ categoryId: e.target.value })} error={errors['newCase.categoryId']}>
                <option value="">Not categorised yet</option>
                {(categories.data ?? []).filter((c) => !c.retired).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}</option>)}
              </SelectField>
              <SelectField id={FIELDS['newCase.priority'].id} label="Priority" value={v.priority} onChange={(e) => edit({ priority: e.target.value as CasePriority })} error={errors['newCase.priority']}>
                {CASE_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
              </SelectField>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Follow-up</legend>
          <label className="check"><input type="checkbox" checked={needsFollowUp} onChange={(e) => setNeedsFollowUp(e.target.checked)} /> Someone needs to follow up (adds a task to the case)</label>
          {needsFollowUp ? (
            <div className="form-grid">
              <TextField id={FIELDS['followUp.title'].id} label="What to do" placeholder="Follow up" value={v.followTitle} maxLength={300} onChange={(e) => edit({ followTitle: e.target.value })} error={errors['followUp.title']} />
              <TextField id={FIELDS['followUp.dueOn'].id} label="By (optional)" type="date" value={v.dueOn} onChange={(e) => edit({ dueOn: e.target.value })} error={errors['followUp.dueOn']} />
            </div>
          ) : null}
        </fieldset>
        <FormActions label="Log contact" busyLabel="Logging…" isBusy={save.isPending} />
      </form>
    </Page>
  );
}
