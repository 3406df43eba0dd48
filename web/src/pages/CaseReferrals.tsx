// The "Referrals" section of the case page: the case's referrals to agencies (draft, mark
// sent, edit, log a chase or the agency's reply, close) and its privacy releases. Marking sent is
// disabled, with the reason beside it, while a required release is missing.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Case } from '../../../contract/cases.js';
import type { Agency, PrivacyRelease, Referral } from '../../../contract/referrals.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextAreaField, TextField } from '../components/FormFields.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime, todayIn } from '../format.js';
import { useCan, useSession } from '../session.js';
import { caseKeys } from './CaseQueries.js';
import { CaseReferralEditDialog } from './CaseReferralEditDialog.js';
import { CaseReleases, referralKeys } from './CaseReleases.js';

type CaseReferralsData = { referrals: Referral[]; releases: PrivacyRelease[]; requester: { id: string; name: string } | null; categoryRequiresRelease: boolean };

const STATUS_LABELS: Record<Referral['status'], string> = { draft: 'Draft', sent: 'Sent', responded: 'Agency replied', closed: 'Closed' };
const KIND_LABELS = { chased: 'Chased', agency_replied: 'Agency replied', note: 'Note' } as const;

/** Why the referral cannot be marked sent yet, or null. */
function blockedReason(r: Referral, data: CaseReferralsData): string | null {
  if (!r.agency.requiresPrivacyRelease && !data.categoryRequiresRelease) return null;
  const why = r.agency.requiresPrivacyRelease ? `${r.agency.name} requires a privacy release` : "The case's category requires a privacy release";
  if (!data.requester) return `${why}, and the case has no requester.`;
  const ok = data.releases.some((x) => x.status === 'signed' && x.constituent.id === data.requester!.id && (!x.agency || x.agency.id === r.agency.id));
  return ok ? null : `${why}: ${data.requester.name} has not signed one yet.`;
}

export function CaseReferrals({ kase }: { kase: Case }) {
  const can = useCan();
  const canWrite = can('case.write');
  const data = useQuery({ queryKey: referralKeys.ofCase(kase.id), queryFn: () => api.get<CaseReferralsData>(`/api/v1/cases/${kase.id}/referrals`) });
  const agencies = useQuery({ queryKey: referralKeys.agencies, queryFn: () => api.get<{ items: Agency[] }>('/api/v1/agencies') });
  const [isAdding, setIsAdding] = useState(false);
  const [notice, setNotice] = useState('');
  return (
    <section aria-labelledby="case-referrals" className="case-panel">
      <h2 id="case-referrals">Referrals</h2>
      {notice ? <p role="status">{notice}</p> : null}
      <QueryStatus query={data} loading="Loading referrals…" />
      {data.data ? (
        <>
          {data.data.referrals.length === 0 ? <p>No referrals to agencies yet.</p> : (
            <ul className="card-list">
              {data.data.referrals.map((r) => <ReferralCard key={r.id} referral={r} data={data.data} canWrite={canWrite} onNotice={setNotice} />)}
            </ul>
          )}
          {canWrite && !isAdding ? <button type="button" className="button" onClick={() => setIsAdding(true)}>Refer to an agency</button> : null}
          {isAdding ? <NewReferralForm caseId={kase.id} agencies={agencies.data?.items ?? []} onDone={(msg) => { setIsAdding(false); setNotice(msg); }} /> : null}
          <CaseReleases kase={kase} releases={data.data.releases} agencies={agencies.data?.items ?? []} canWrite={canWrite} />
        </>
      ) : null}
    </section>
  );
}

function useRefresh(caseId: string) {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: referralKeys.ofCase(caseId) }), queryClient.invalidateQueries({ queryKey: caseKeys.timelines(caseId) })]);
}

function NewReferralForm({ caseId, agencies, onDone }: { caseId: string; agencies: Agency[]; onDone: (msg: string) => void }) {
  const refresh = useRefresh(caseId);
  const [agencyId, setAgencyId] = useState('');
  const [summary, setSummary] = useState('');
  const [expected, setExpected] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Referral>(`/api/v1/cases/${caseId}/referrals`, { agencyId, summary, expectedResponseOn: expected || null }),
    onSuccess: async (r) => { await refresh(); onDone(`Referral to ${r.agency.name} drafted.`); },
  });
  const errors = fieldErrorsOf(create.error);
  const submit = (e: FormEvent) => { e.preventDefault(); create.mutate(); };
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="new-referral">
      <h3 id="new-referral">Refer to an agency</h3>
      <ErrorSummary error={create.error} fields={{ agencyId: { id: 'referral-agency', label: 'Agency' }, summary: { id: 'referral-summary', label: 'What was sent' } }} />
      <SelectField id="referral-agency" label="Agency" value={agencyId} onChange={(e) => setAgencyId(e.target.value)} error={errors.agencyId}>
        <option value="">Choose an agency</option>
        {agencies.map((a) => <option key={a.id} value={a.id}>{a.name}{a.requiresPrivacyRelease ? ' (needs privacy release)' : ''}</option>)}
      </SelectField>
      <TextAreaField id="referral-summary" label="What was sent" rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} error={errors.summary} />
      <TextField id="referral-expected" label="Reply expected by" type="date" value={expected} onChange={(e) => setExpected(e.target.value)} error={errors.expectedResponseOn} />
      <FormActions label="Save draft" busyLabel="Saving…" isBusy={create.isPending} onCancel={() => onDone('')} />
    </form>
  );
}

function ReferralCard({ referral: r, data, canWrite, onNotice }: { referral: Referral; data: CaseReferralsData; canWrite: boolean; onNotice: (msg: string) => void }) {
  const refresh = useRefresh(r.caseId);
  const [isLogging, setIsLogging] = useState(false);
  const [isEditing, setIsEditing] = useState(false);
  const blocked = r.status === 'draft' ? blockedReason(r, data) : null;
  const act = useMutation({
    mutationFn: (what: 'send' | 'close') => api.post<Referral>(`/api/v1/referrals/${r.id}/${what}`, {}),
    onSuccess: async (x) => { await refresh(); onNotice(`Referral to ${x.agency.name}: ${STATUS_LABELS[x.status].toLowerCase()}.`); },
    onError: (err) => onNotice(err.message),
  });
  const reasonId = `referral-${r.id}-blocked`;
  return (
    <li className="card">
      <h3>{r.agency.name} <span className="badge">{STATUS_LABELS[r.status]}</span>{r.isOverdue ? <span className="badge badge-disabled">Overdue</span> : null}</h3>
      <p className="pre-wrap">{r.summary}</p>
      <p>
        {r.contact ? `Contact: ${r.contact}. ` : ''}{r.sentAt ? `Sent ${formatDateTime(r.sentAt)}. ` : ''}
        {r.theirReference ? `Their reference: ${r.theirReference}. ` : ''}{r.expectedResponseOn ? `Reply expected by ${r.expectedResponseOn}.` : ''}
      </p>
      {r.followUps.length ? (
        <ul>{r.followUps.map((f) => <li key={f.id}>{f.occurredOn}: {KIND_LABELS[f.kind]}{f.body ? `: ${f.body}` : ''}</li>)}</ul>
      ) : null}
      {canWrite && r.status !== 'closed' ? (
        <div className="button-row">
          {r.status === 'draft' ? (
            <button type="button" className="button button-primary" disabled={!!blocked || act.isPending} aria-describedby={blocked ? reasonId : undefined} onClick={() => act.mutate('send')}>
              Mark sent<span className="visually-hidden"> to {r.agency.name}</span>
            </button>
          ) : null}
          <button type="button" className="button" onClick={() => setIsEditing(true)}>Edit<span className="visually-hidden"> the referral to {r.agency.name}</span></button>
          {!isLogging ? <button type="button" className="button" onClick={() => setIsLogging(true)}>Log follow-up<span className="visually-hidden"> for {r.agency.name}</span></button> : null}
          <button type="button" className="button" disabled={act.isPending} onClick={() => act.mutate('close')}>Close<span className="visually-hidden"> the referral to {r.agency.name}</span></button>
        </div>
      ) : null}
      {blocked ? <p id={reasonId} className="hint">{blocked}</p> : null}
      {isEditing ? (
        <CaseReferralEditDialog
          referral={r}
          onClose={() => setIsEditing(false)}
          onSaved={async (x) => { await refresh(); setIsEditing(false); onNotice(`Referral to ${x.agency.name} updated.`); }}
        />
      ) : null}
      {isLogging ? <FollowUpForm referral={r} onDone={(msg) => { setIsLogging(false); onNotice(msg); }} /> : null}
    </li>
  );
}

function FollowUpForm({ referral: r, onDone }: { referral: Referral; onDone: (msg: string) => void }) {
  const refresh = useRefresh(r.caseId);
  const [kind, setKind] = useState<keyof typeof KIND_LABELS>(r.status === 'draft' ? 'note' : 'chased');
  const { timeZone } = useSession().office;
  const [occurredOn, setOccurredOn] = useState(() => todayIn(timeZone));
  const [body, setBody] = useState('');
  const log = useMutation({
    mutationFn: () => api.post<Referral>(`/api/v1/referrals/${r.id}/follow-ups`, { kind, occurredOn, body }),
    onSuccess: async () => { await refresh(); onDone(`${KIND_LABELS[kind]} logged for ${r.agency.name}.`); },
  });
  const errors = fieldErrorsOf(log.error);
  const id = `follow-up-${r.id}`;
  const submit = (e: FormEvent) => { e.preventDefault(); log.mutate(); };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`Log a follow-up for ${r.agency.name}`}>
      <ErrorSummary error={log.error} />
      <SelectField id={`${id}-kind`} label="What happened" value={kind} onChange={(e) => setKind(e.target.value as keyof typeof KIND_LABELS)} error={errors.kind}>
        {r.status !== 'draft' ? <option value="chased">Chased the agency</option> : null}
        {r.status !== 'draft' ? <option value="agency_replied">The agency replied</option> : null}
        <option value="note">Note</option>
      </SelectField>
      <TextField id={`${id}-date`} label="Date" type="date" value={occurredOn} onChange={(e) => setOccurredOn(e.target.value)} error={errors.occurredOn} />
      <TextAreaField id={`${id}-body`} label={kind === 'agency_replied' ? "The agency's reply" : 'Details'} rows={3} value={body} onChange={(e) => setBody(e.target.value)} error={errors.body} />
      <FormActions label="Log it" busyLabel="Saving…" isBusy={log.isPending} onCancel={() => onDone('')} />
    </form>
  );
}
