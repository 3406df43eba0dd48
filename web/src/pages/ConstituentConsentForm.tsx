// Recording a consent statement: what the person agreed to (or withdrew), how they told us,
// and the evidence. Statements are never edited; a new one supersedes the last.
import { useState } from 'react';
import {
  CHANNELS, CONSENT_SOURCES, PURPOSES, ZRecordConsent, type Consent, type ContactChannel, type ContactPurpose,
} from '../../../contract/constituents.js';
import { api, validate } from '../api/client.js';
import { FieldError, ErrorSummary, SelectField, TextAreaField } from '../components/FormFields.js';
import { FormActions } from '../components/FormActions.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { CHANNEL_LABELS, formProblem, PURPOSE_LABELS, SOURCE_LABELS } from './ConstituentQueries.js';

type Source = (typeof CONSENT_SOURCES)[number];

export function ConstituentConsentForm({ constituentId, onRecorded }: { constituentId: string; onRecorded: (message: string) => void }) {
  const [channel, setChannel] = useState<ContactChannel>('email');
  const [purpose, setPurpose] = useState<ContactPurpose>('casework');
  const [status, setStatus] = useState<'granted' | 'withdrawn' | ''>('');
  const [source, setSource] = useState<Source>('phone');
  const [evidence, setEvidence] = useState('');
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () => {
      if (!status) throw formProblem([{ field: 'status', message: 'Choose whether consent was granted or withdrawn' }]);
      return api.post<Consent>(`/api/v1/constituents/${constituentId}/consents`, validate(ZRecordConsent, { channel, purpose, status, source, evidence }));
    },
    onSuccess: (c) => {
      setEvidence('');
      setStatus('');
      onRecorded(`Recorded: ${CHANNEL_LABELS[c.channel]} for ${PURPOSE_LABELS[c.purpose].toLowerCase()} ${c.status}.`);
    },
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="consent-form-heading">
      <h3 id="consent-form-heading">Record a consent statement</h3>
      <ErrorSummary
        error={mutation.error}
        fields={{
          channel: { id: 'consent-channel', label: 'Channel' },
          purpose: { id: 'consent-purpose', label: 'Purpose' },
          status: { id: 'consent-status-granted', label: 'Statement' },
          source: { id: 'consent-source', label: 'How they told us' },
          evidence: { id: 'consent-evidence', label: 'Evidence' },
        }}
      />
      <SelectField id="consent-channel" label="Channel" value={channel} onChange={(e) => setChannel(e.target.value as ContactChannel)} error={errors.channel}>
        {CHANNELS.map((ch) => <option key={ch} value={ch}>{CHANNEL_LABELS[ch]}</option>)}
      </SelectField>
      <SelectField id="consent-purpose" label="Purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as ContactPurpose)} error={errors.purpose}>
        {PURPOSES.map((p) => <option key={p} value={p}>{PURPOSE_LABELS[p]}</option>)}
      </SelectField>
      <fieldset className={errors.status ? 'field-invalid' : undefined} aria-describedby={errors.status ? 'consent-status-error' : undefined}>
        <legend>Statement</legend>
        {errors.status ? <FieldError id="consent-status-error">{errors.status}</FieldError> : null}
        <label className="check">
          <input type="radio" id="consent-status-granted" name="consent-status" checked={status === 'granted'} onChange={() => setStatus('granted')} />
          Granted: they agree to be contacted
        </label>
        <label className="check">
          <input type="radio" id="consent-status-withdrawn" name="consent-status" checked={status === 'withdrawn'} onChange={() => setStatus('withdrawn')} />
          Withdrawn: they do not want to be contacted
        </label>
      </fieldset>
      <SelectField id="consent-source" label="How they told us" value={source} onChange={(e) => setSource(e.target.value as Source)} error={errors.source}>
        {CONSENT_SOURCES.map((s) => <option key={s} value={s}>{SOURCE_LABELS[s] ?? s}</option>)}
      </SelectField>
      <TextAreaField
        id="consent-evidence"
        label="Evidence"
        hint="What they said or signed, and where it is kept (up to 2,000 characters)."
        rows={3}
        value={evidence}
        onChange={(e) => setEvidence(e.target.value)}
        error={errors.evidence}
      />
      <FormActions label="Record consent" busyLabel="Recording…" isBusy={mutation.isPending} />
    </form>
  );
}
