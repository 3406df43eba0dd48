// The privacy releases of a case: their state, and (for staff who work cases) asking a
// person on the case to sign electronically (the link is shown once, like a password),
// uploading a scanned paper form, downloading the signed document and revoking.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Case } from '../../../contract/cases.js';
import type { Agency, PrivacyRelease } from '../../../contract/referrals.js';
import { api, ApiError, upload } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField } from '../components/FormFields.js';
import { SecretNotice } from '../components/SecretNotice.js';
import { formatDateTime } from '../format.js';

export const referralKeys = { ofCase: (caseId: string) => ['case-referrals', caseId] as const, agencies: ['agencies'] as const };

const STATUS_LABELS: Record<PrivacyRelease['status'], string> = { pending: 'Waiting for signature', signed: 'Signed', revoked: 'Revoked', expired: 'Link expired' };

export function CaseReleases({ kase, releases, agencies, canWrite }: { kase: Case; releases: PrivacyRelease[]; agencies: Agency[]; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: referralKeys.ofCase(kase.id) });
  const [mode, setMode] = useState<'esign' | 'paper' | null>(null);
  const [constituentId, setConstituentId] = useState(kase.requester?.id ?? kase.constituents[0]?.id ?? '');
  const [agencyId, setAgencyId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [link, setLink] = useState<{ url: string; emailed: boolean } | null>(null);
  const [notice, setNotice] = useState('');
  const request = useMutation({
    mutationFn: async () => {
      if (mode === 'paper') {
        if (!file) throw new ApiError({ type: 'about:blank', title: 'No file', status: 400, code: 'validation_failed', detail: 'Choose the scanned form (PDF, PNG or JPEG)', field: 'file' });
        await upload<PrivacyRelease>(`/api/v1/cases/${kase.id}/privacy-releases/paper`, file, { query: { constituentId, fileName: file.name.slice(0, 200), agencyId } });
        return null;
      }
      return api.post<{ signingUrl: string; emailed: boolean }>(`/api/v1/cases/${kase.id}/privacy-releases`, { constituentId, agencyId: agencyId || null });
    },
    onSuccess: async (r) => {
      await refresh();
      setMode(null);
      if (r) setLink({ url: r.signingUrl, emailed: r.emailed });
      else setNotice('Paper release uploaded.');
    },
  });
  const revoke = useMutation({
    mutationFn: (r: PrivacyRelease) => api.post<PrivacyRelease>(`/api/v1/cases/${kase.id}/privacy-releases/${r.id}/revoke`),
    onSuccess: async (r) => { await refresh(); setNotice(`Release of ${r.constituent.name} revoked.`); },
    onError: (err) => setNotice(err.message),
  });
  const errors = fieldErrorsOf(request.error);
  const submit = (e: FormEvent) => { e.preventDefault(); request.mutate(); };

  return (
    <section aria-labelledby="case-releases">
      <h3 id="case-releases">Privacy releases</h3>
      {notice ? <p role="status">{notice}</p> : null}
      {link ? (
        <SecretNotice title="Signing link created" label="Signing link" secret={link.url} onDismiss={() => setLink(null)}>
          <p>{link.emailed ? 'The link was also emailed to the person.' : 'Nobody was emailed: give this link to the person (it works once).'}</p>
        </SecretNotice>
      ) : null}
      {releases.length === 0 ? <p>No privacy release on this case yet.</p> : (
        <ul className="plain-list">
          {releases.map((r) => (
            <li key={r.id}>
              <strong>{r.constituent.name}</strong>{r.agency ? ` for ${r.agency.name}` : ' for any agency'}: {STATUS_LABELS[r.status]}
              {' '}({r.method === 'paper' ? 'paper form' : 'e-signature'}{r.signedAt ? `, signed ${formatDateTime(r.signedAt)}` : r.expiresAt && r.status === 'pending' ? `, link valid until ${formatDateTime(r.expiresAt)}` : ''})
              <span className="button-row">
                {r.document ? <a className="button button-small" href={`/api/v1/cases/${kase.id}/privacy-releases/${r.id}/document`}>Download<span className="visually-hidden"> the release of {r.constituent.name}</span></a> : null}
                {canWrite && (r.status === 'pending' || r.status === 'signed') ? (
                  <button type="button" className="button button-small" disabled={revoke.isPending} onClick={() => revoke.mutate(r)}>Revoke<span className="visually-hidden"> the release of {r.constituent.name}</span></button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      {canWrite && kase.constituents.length && !mode ? (
        <div className="button-row">
          <button type="button" className="button" onClick={() => setMode('esign')}>Request e-signature</button>
          <button type="button" className="button" onClick={() => setMode('paper')}>Upload paper release</button>
        </div>
      ) : null}
      {mode ? (
        <form className="form card" onSubmit={submit} noValidate aria-labelledby="release-form">
          <h4 id="release-form">{mode === 'esign' ? 'Request an e-signature' : 'Upload a signed paper release'}</h4>
          <ErrorSummary error={request.error} />
          <SelectField id="release-person" label="Person" value={constituentId} onChange={(e) => setConstituentId(e.target.value)} error={errors.constituentId}>
            {kase.constituents.map((p) => <option key={p.id} value={p.id}>{p.displayName} ({p.role})</option>)}
          </SelectField>
          <SelectField id="release-agency" label="Agency" hint="Leave as any agency unless the release is for one agency only." value={agencyId} onChange={(e) => setAgencyId(e.target.value)} error={errors.agencyId}>
            <option value="">Any agency</option>
            {agencies.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </SelectField>
          {mode === 'paper' ? (
            <div className={errors.file ? 'field field-invalid' : 'field'}>
              <label htmlFor="release-file">Scanned form (PDF, PNG or JPEG, up to 10 MiB)</label>
              <input id="release-file" type="file" accept="application/pdf,image/png,image/jpeg" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </div>
          ) : null}
          <FormActions label={mode === 'esign' ? 'Create signing link' : 'Upload'} busyLabel="Saving…" isBusy={request.isPending} onCancel={() => { request.reset(); setMode(null); }} />
        </form>
      ) : null}
    </section>
  );
}
