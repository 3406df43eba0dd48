// The create-case form for phone calls and walk-ins: find or create the constituent and
// open the case in one flow. A new person is created first (with the duplicate check); if
// the case then fails, the person is kept and picked, so a retry does not create them twice.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { CASE_CHANNELS, CASE_PRIORITIES, CASE_ROLES, type Case, type CaseChannel, type CasePriority, type CaseRole, type CreateCase } from '../../../contract/cases.js';
import type { Constituent, ConstituentSummary, CreateConstituent } from '../../../contract/constituents.js';
import { api, ApiError } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextAreaField, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { useCan, useSession } from '../session.js';
import { caseKeys, categoryLabel, CHANNEL_LABELS, PRIORITY_LABELS, ROLE_LABELS, useCategories } from './CaseQueries.js';
import { CaseCreateRelated } from './CaseCreateRelated.js';
import { CaseRequesterFields, EMPTY_PERSON, type NewPerson, type RequesterMode } from './CaseRequesterFields.js';
import type { PossibleDuplicate } from './ConstituentQueries.js';
import './Case.css';

const FIELDS = {
  subject: { id: 'case-subject', label: 'Subject' },
  description: { id: 'case-description', label: 'Description' },
  categoryId: { id: 'case-category', label: 'Category' },
  priority: { id: 'case-priority', label: 'Priority' },
  channel: { id: 'case-channel', label: 'Channel' },
  'location.address': { id: 'case-address', label: 'Location' },
  givenName: { id: 'new-given', label: 'Given name' },
  familyName: { id: 'new-family', label: 'Family name' },
  'emails.0.email': { id: 'new-email', label: 'Email' },
  'phones.0.number': { id: 'new-phone', label: 'Phone' },
  'constituents.0.constituentId': { id: 'case-requester-q', label: 'Person' },
};

function newConstituentBody(p: NewPerson, ignoreDuplicates: boolean): CreateConstituent {
  return {
    kind: 'person',
    givenName: p.givenName.trim() || null,
    familyName: p.familyName.trim() || null,
    emails: p.email.trim() ? [{ email: p.email.trim(), isPrimary: true }] : [],
    phones: p.phone.trim() ? [{ number: p.phone.trim(), isPrimary: true }] : [],
    addresses: p.line1.trim() ? [{ line1: p.line1.trim(), postcode: p.postcode.trim() || null, isPrimary: true }] : [],
    ignoreDuplicates,
  };
}

const asSummary = (c: { id: string; displayName: string }): ConstituentSummary => ({
  id: c.id, displayName: c.displayName, kind: 'person', primaryEmail: null, primaryPhone: null, primaryAddress: null, postcode: null, ward: null, tags: [], openCases: 0, score: null,
});

export function CaseCreatePage() {
  const can = useCan();
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [mode, setMode] = useState<RequesterMode>('existing');
  const [picked, setPicked] = useState<ConstituentSummary | null>(null);
  const [person, setPerson] = useState<NewPerson>(EMPTY_PERSON);
  const [matches, setMatches] = useState<PossibleDuplicate[] | null>(null);
  const [role, setRole] = useState<CaseRole>('requester');
  const [v, setV] = useState({ subject: '', description: '', categoryId: '', priority: 'normal' as CasePriority, channel: 'phone' as CaseChannel, address: '', isSensitive: false, assignToMe: false });
  const edit = (change: Partial<typeof v>) => setV({ ...v, ...change });

  const create = useMutation({
    mutationFn: async () => {
      let constituentId: string | null = mode === 'existing' ? picked?.id ?? null : null;
      if (mode === 'existing' && !constituentId) {
        throw new ApiError({ type: 'about:blank', title: 'Choose a person', status: 400, code: 'validation_failed', detail: 'Find and choose the person, or pick “Someone new” or “Nobody”.', field: 'constituents.0.constituentId' });
      }
      if (mode === 'new') {
        try {
          const created = await api.post<Constituent>('/api/v1/constituents', newConstituentBody(person, matches !== null));
          constituentId = created.id;
          // Keep the new record: a retry after a case error must not create it again.
          setPicked(asSummary(created));
          setMode('existing');
          setMatches(null);
        } catch (err) {
          if (err instanceof ApiError && err.problem.code === 'possible_duplicate') setMatches(err.extensions.matches as PossibleDuplicate[]);
          throw err;
        }
      }
      const body: CreateCase = {
        subject: v.subject,
        description: v.description,
        channel: v.channel,
        priority: v.priority,
        categoryId: v.categoryId || null,
        constituents: constituentId ? [{ constituentId, role }] : [],
        location: v.address.trim() ? { address: v.address.trim() } : null,
        isSensitive: v.isSensitive,
        ...(v.assignToMe ? { assigneeId: session.user.id } : {}),
      };
      return api.post<Case>('/api/v1/cases', body);
    },
    onSuccess: (created) => {
      queryClient.setQueryData(caseKeys.one(created.id), created);
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      void navigate(`/cases/${created.id}`, { state: { notice: `Case ${created.reference} created.` } });
    },
  });
  const errors = fieldErrorsOf(create.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  return (
    <Page title="New case" lead="For phone calls and walk-ins: find the person or add them, then describe the request.">
      <form className="form case-form" onSubmit={submit} noValidate>
        <ErrorSummary error={create.error} fields={FIELDS} />
        <CaseRequesterFields
          mode={mode}
          setMode={(m) => { setMode(m); setMatches(null); }}
          picked={picked}
          setPicked={setPicked}
          person={person}
          setPerson={setPerson}
          errors={errors}
          matches={matches}
          onUseMatch={(m) => { setPicked(asSummary(m)); setMode('existing'); setMatches(null); }}
        />
        {mode === 'existing' && picked ? <p className="hint" role="status">Chosen: {picked.displayName || 'Unnamed'}</p> : null}
        {mode !== 'none' ? (
          <SelectField id="case-role" label="Their role on the case" value={role} onChange={(e) => setRole(e.target.value as CaseRole)}>
            {CASE_ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </SelectField>
        ) : null}

        <fieldset>
          <legend>The request</legend>
          <TextField id={FIELDS.subject.id} label="Subject" value={v.subject} onChange={(e) => edit({ subject: e.target.value })} error={errors.subject} />
          <TextAreaField id={FIELDS.description.id} label="Description (optional)" rows={4} value={v.description} onChange={(e) => edit({ description: e.target.value })} error={errors.description} />
          <SelectField id={FIELDS.categoryId.id} label="Category" value={v.categoryId} onChange={(e) => edit({ categoryId: e.target.value })} error={errors.categoryId}>
            <option value="">Not categorised yet</option>
            {(categories.data ?? []).filter((c) => !c.retired).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}</option>)}
          </SelectField>
          <SelectField id={FIELDS.priority.id} label="Priority" value={v.priority} onChange={(e) => edit({ priority: e.target.value as CasePriority })} error={errors.priority}>
            {CASE_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
          </SelectField>
          <SelectField id={FIELDS.channel.id} label="How did it reach us?" value={v.channel} onChange={(e) => edit({ channel: e.target.value as CaseChannel })} error={errors.channel}>
            {CASE_CHANNELS.map((c) => <option key={c} value={c}>{CHANNEL_LABELS[c]}</option>)}
          </SelectField>
          <TextField id={FIELDS['location.address'].id} label="Location (optional)" hint="The address or place the request is about." value={v.address} onChange={(e) => edit({ address: e.target.value })} error={errors['location.address']} />
          {can('case.sensitive') ? (
            <label className="check"><input type="checkbox" checked={v.isSensitive} onChange={(e) => edit({ isSensitive: e.target.checked })} /> Sensitive (only staff allowed to see sensitive cases)</label>
          ) : null}
          {can('case.assign') ? (
            <label className="check"><input type="checkbox" checked={v.assignToMe} onChange={(e) => edit({ assignToMe: e.target.checked })} /> Assign to me</label>
          ) : null}
        </fieldset>
        <CaseCreateRelated categoryId={v.categoryId} address={v.address} constituentId={mode === 'existing' ? picked?.id ?? null : null} />
        <FormActions label="Create case" busyLabel="Creating…" isBusy={create.isPending} onCancel={() => void navigate('/cases')} />
      </form>
    </Page>
  );
}
