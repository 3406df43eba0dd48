// Settings: the office's agency directory (add, edit, retire, restore; whether referrals to
// an agency need the constituent's privacy release) and the privacy-release settings (the
// consent text residents sign, and how long a signing link lives).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Agency, AgencyKind } from '../../../contract/referrals.js';
import { AGENCY_KINDS } from '../../../contract/referrals.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextAreaField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';

const KIND_LABELS: Record<AgencyKind, string> = { federal: 'Federal agency', state: 'State agency', local: 'Local agency', internal: 'Internal department' };
const KEY = ['agencies', 'admin'] as const;

export function AgenciesPage() {
  const queryClient = useQueryClient();
  const agencies = useQuery({ queryKey: KEY, queryFn: () => api.get<{ items: Agency[] }>('/api/v1/agencies', { includeRetired: true }) });
  const [editing, setEditing] = useState<Agency | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const items = agencies.data?.items ?? [];
  const done = async (msg: string) => {
    setEditing(null);
    setNotice(msg);
    await queryClient.invalidateQueries({ queryKey: ['agencies'] });
  };
  return (
    <Page title="Agencies" lead="The agencies and departments cases are referred to. Referrals to an agency that requires a privacy release can be sent only once the requester has signed one.">
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      <OpenFormButton onClick={() => setEditing('new')}>Add an agency</OpenFormButton>
      <QueryStatus query={agencies} loading="Loading agencies…" isEmpty={agencies.isSuccess && items.length === 0} empty="No agencies yet." />
      {items.length ? (
        <DataTable id="agencies" caption="Agencies" columns={['Agency', 'Kind', 'Contact', 'Privacy release', 'State', 'Actions']}>
          {items.map((a) => (
            <tr key={a.id}>
              <th scope="row">{a.name}</th>
              <td>{KIND_LABELS[a.kind]}</td>
              <td>{[a.contactName, a.email, a.phone].filter(Boolean).join(' · ') || '—'}</td>
              <td>{a.requiresPrivacyRelease ? 'Required' : 'Not required'}</td>
              <td>{a.retired ? <span className="badge badge-disabled">Retired</span> : <span className="badge badge-active">Active</span>}</td>
              <td><button type="button" className="button button-small" onClick={() => setEditing(a)}>Edit<span className="visually-hidden"> {a.name}</span></button></td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {editing ? <AgencyDialog agency={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={done} /> : null}
      <ReleaseSettingsForm />
    </Page>
  );
}

function AgencyDialog({ agency, onClose, onDone }: { agency: Agency | null; onClose: () => void; onDone: (msg: string) => Promise<void> }) {
  const [v, setV] = useState({
    name: agency?.name ?? '', kind: agency?.kind ?? 'federal', contactName: agency?.contactName ?? '', email: agency?.email ?? '', phone: agency?.phone ?? '',
    notes: agency?.notes ?? '', requiresPrivacyRelease: agency?.requiresPrivacyRelease ?? true, retired: agency?.retired ?? false,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = { ...v, email: v.email.trim() || null };
      if (!agency) {
        const { retired: _retired, ...create } = body;
        return api.post<Agency>('/api/v1/agencies', create);
      }
      return api.patch<Agency>(`/api/v1/agencies/${agency.id}`, body);
    },
    onSuccess: (a) => onDone(agency ? `${a.name} saved.` : `${a.name} added.`),
  });
  const errors = fieldErrorsOf(save.error);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const submit = (e: FormEvent) => { e.preventDefault(); save.mutate(); };
  return (
    <Modal title={agency ? `Edit ${agency.name}` : 'Add an agency'} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} />
        <TextField id="agency-name" label="Name" value={v.name} onChange={set('name')} error={errors.name} />
        <SelectField id="agency-kind" label="Kind" value={v.kind}
          onChange={(e) => setV({ ...v, kind: e.target.value as AgencyKind, ...(agency ? {} : { requiresPrivacyRelease: e.target.value === 'federal' }) })} error={errors.kind}>
          {AGENCY_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
        </SelectField>
        <TextField id="agency-contact" label="Contact name" value={v.contactName} onChange={set('contactName')} error={errors.contactName} />
        <TextField id="agency-email" label="Email" type="email" value={v.email} onChange={set('email')} error={errors.email} />
        <TextField id="agency-phone" label="Phone" type="tel" value={v.phone} onChange={set('phone')} error={errors.phone} />
        <TextAreaField id="agency-notes" label="Notes" rows={3} value={v.notes} onChange={set('notes')} error={errors.notes} />
        <p><label className="check"><input type="checkbox" checked={v.requiresPrivacyRelease} onChange={(e) => setV({ ...v, requiresPrivacyRelease: e.target.checked })} /> Referrals need the constituent's privacy release</label></p>
        {agency ? <p><label className="check"><input type="checkbox" checked={v.retired} onChange={(e) => setV({ ...v, retired: e.target.checked })} /> Retired (no new referrals)</label></p> : null}
        <FormActions label={agency ? 'Save' : 'Add agency'} busyLabel="Saving…" isBusy={save.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}

type ReleaseSettings = { consentText: string | null; defaultConsentText: string; linkExpiryDays: number };

function ReleaseSettingsForm() {
  const settings = useQuery({ queryKey: ['privacy-release-settings'], queryFn: () => api.get<ReleaseSettings>('/api/v1/privacy-release-settings') });
  return (
    <section aria-labelledby="release-settings">
      <h2 id="release-settings">Privacy release form</h2>
      <QueryStatus query={settings} loading="Loading the settings…" />
      {settings.data ? <ReleaseSettingsFields initial={settings.data} /> : null}
    </section>
  );
}

function ReleaseSettingsFields({ initial }: { initial: ReleaseSettings }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(initial.consentText ?? initial.defaultConsentText);
  const [days, setDays] = useState(String(initial.linkExpiryDays));
  const [saved, setSaved] = useState('');
  const save = useMutation({
    mutationFn: () => api.put<ReleaseSettings>('/api/v1/privacy-release-settings', { consentText: text.trim() === initial.defaultConsentText ? null : text, linkExpiryDays: Number(days) }),
    onSuccess: async () => { setSaved('Release settings saved.'); await queryClient.invalidateQueries({ queryKey: ['privacy-release-settings'] }); },
  });
  const errors = fieldErrorsOf(save.error);
  const submit = (e: FormEvent) => { e.preventDefault(); setSaved(''); save.mutate(); };
  return (
    <form className="form card" onSubmit={submit} noValidate>
      {saved ? <StatusMessage>{saved}</StatusMessage> : null}
      <ErrorSummary error={save.error} />
      <TextAreaField id="release-consent" label="Consent text" rows={6} value={text} onChange={(e) => setText(e.target.value)} error={errors.consentText}
        hint="What residents read and sign. {name}, {office}, {agency} and {case} are filled in for each request." />
      <TextField id="release-days" label="Signing links expire after (days)" type="number" min={1} max={90} value={days} onChange={(e) => setDays(e.target.value)} error={errors.linkExpiryDays} />
      <FormActions label="Save release settings" busyLabel="Saving…" isBusy={save.isPending} />
    </form>
  );
}
