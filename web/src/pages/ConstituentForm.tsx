// Creating and editing a constituent: names, preferences, repeatable contact points, tags,
// the office's custom fields and external ids. Errors (from the contract checked in the
// browser, or from the API) appear beside their fields and in a summary; a new record that
// looks like an existing one shows the matches first and can be created anyway.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ZCreateConstituent, ZUpdateConstituent, type Constituent, type CustomFieldDefinition } from '../../../contract/constituents.js';
import { api, ApiError, validate } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { ErrorSummary, fieldErrorsOf } from '../components/FormFields.js';
import { FormActions } from '../components/FormActions.js';
import { Page } from '../components/Page.js';
import { ConstituentCustomFieldInputs } from './ConstituentCustomFieldInputs.js';
import { ConstituentDuplicateWarning } from './ConstituentDuplicateWarning.js';
import { ConstituentFormMain } from './ConstituentFormMain.js';
import { emptyForm, formErrors, formFromConstituent, toBody, toFormPath, type FormState, type RowMap } from './ConstituentFormModel.js';
import { AddressRows, EmailRows, ExternalIdRows, inputId, PhoneRows } from './ConstituentFormRows.js';
import { constituentKeys, humanize, useConstituent, useCustomFields, type PossibleDuplicate } from './ConstituentQueries.js';
import './Constituent.css';

export function ConstituentCreatePage() {
  const defs = useCustomFields();
  return (
    <Page title="Add a constituent" lead="Fields marked required must be filled in; everything else can be added later.">
      {defs.isPending ? <p role="status">Loading the form…</p> : null}
      {defs.isError ? <ErrorText error={defs.error} /> : null}
      {defs.isPending ? null : <ConstituentForm defs={defs.data ?? []} original={null} />}
    </Page>
  );
}

export function ConstituentEditPage() {
  const { id = '' } = useParams();
  const c = useConstituent(id);
  const defs = useCustomFields();
  const isLoading = c.isPending || defs.isPending;
  return (
    <Page title={c.data ? `Edit ${c.data.displayName || 'constituent'}` : 'Edit constituent'}>
      {isLoading ? <p role="status">Loading the form…</p> : null}
      {c.isError ? <ErrorText error={c.error} /> : null}
      {defs.isError ? <ErrorText error={defs.error} /> : null}
      {!isLoading && c.data ? <ConstituentForm key={c.data.id} defs={defs.data ?? []} original={c.data} /> : null}
    </Page>
  );
}

const LIST_LABELS: Record<string, [string, string]> = {
  emails: ['Email address', 'email'], phones: ['Phone number', 'number'], addresses: ['Postal address', 'line1'], externalIds: ['External id', 'value'],
};
const FIELD_LABELS: Record<string, string> = {
  kind: 'Kind', givenName: 'Given name', familyName: 'Family name', preferredName: 'Preferred name', organisationName: 'Organisation name',
  dateOfBirth: 'Date of birth', preferredChannel: 'Preferred channel', preferredLanguage: 'Preferred language', tags: 'Tags',
  line1: 'address line 1', line2: 'address line 2', locality: 'town or city', lat: 'latitude', lng: 'longitude', value: 'id',
};

/** Where an error path's input is, and what to call it in the summary. */
function target(formPath: string, defs: readonly CustomFieldDefinition[]): { id: string; label: string } | null {
  const parts = formPath.split('.');
  const [head = '', index, sub] = parts;
  if (LIST_LABELS[head] && index !== undefined && /^\d+$/.test(index)) {
    const [noun, first] = LIST_LABELS[head];
    const field = sub ?? first;
    return { id: inputId(`${head}.${index}.${field}`), label: `${noun} ${Number(index) + 1}, ${FIELD_LABELS[field] ?? humanize(field).toLowerCase()}` };
  }
  if (head === 'customFields' && index) {
    const def = defs.find((d) => d.key === index);
    return { id: inputId(`customFields.${index}`), label: def?.label ?? index };
  }
  if (head === 'kind') return { id: 'c-kind-person', label: 'Kind' };
  if (FIELD_LABELS[head] && head !== 'value') return { id: inputId(head), label: FIELD_LABELS[head] };
  return null;
}

function ConstituentForm({ defs, original }: { defs: readonly CustomFieldDefinition[]; original: Constituent | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [s, setS] = useState<FormState>(() => (original ? formFromConstituent(original, defs) : emptyForm()));
  const [rowMap, setRowMap] = useState<RowMap>({ emails: [], phones: [], addresses: [], externalIds: [] });
  const [matches, setMatches] = useState<PossibleDuplicate[] | null>(null);
  const save = useMutation({
    mutationFn: ({ body, ignoreDuplicates }: { body: ReturnType<typeof toBody>['body']; ignoreDuplicates: boolean }) => {
      if (original) return api.patch<Constituent>(`/api/v1/constituents/${original.id}`, validate(ZUpdateConstituent, body));
      return api.post<Constituent>('/api/v1/constituents', validate(ZCreateConstituent, { ...body, ignoreDuplicates }));
    },
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: constituentKeys.all });
      void navigate(`/constituents/${c.id}`, { state: { notice: original ? 'Changes saved.' : `${c.displayName} added.` } });
    },
    onError: (err) => {
      const found = err instanceof ApiError && err.problem.code === 'possible_duplicate' ? err.extensions.matches : null;
      setMatches(Array.isArray(found) ? (found as PossibleDuplicate[]) : null);
    },
  });
  const isDuplicate = matches !== null;
  const errors = formErrors(fieldErrorsOf(save.error), rowMap);
  const summaryFields: Record<string, { id: string; label: string }> = {};
  if (save.error instanceof ApiError) {
    for (const e of save.error.problem.errors ?? []) {
      const t = target(toFormPath(e.field, rowMap), defs);
      if (t) summaryFields[e.field] = t;
    }
  }
  const edit = (change: Partial<FormState>) => setS((prev) => ({ ...prev, ...change }));
  function send(ignoreDuplicates: boolean) {
    const prepared = toBody(s, defs, original);
    // Kept so the errors of this body (without its blank rows) find their inputs.
    setRowMap(prepared.rowMap);
    save.mutate({ body: prepared.body, ignoreDuplicates });
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    send(false);
  }

  return (
    <>
      {isDuplicate ? (
        <ConstituentDuplicateWarning
          matches={matches}
          isBusy={save.isPending}
          onCreateAnyway={() => send(true)}
          onDismiss={() => {
            setMatches(null);
            save.reset();
            document.getElementById(s.kind === 'person' ? 'c-givenName' : 'c-organisationName')?.focus();
          }}
        />
      ) : null}
      <form className="form constituent-form" onSubmit={submit} noValidate aria-label={original ? `Edit ${original.displayName}` : 'New constituent'}>
        {isDuplicate ? null : <ErrorSummary error={save.error} fields={summaryFields} />}
        <ConstituentFormMain s={s} edit={edit} errors={errors} />
        <EmailRows rows={s.emails} onChange={(emails) => edit({ emails })} errors={errors} />
        <PhoneRows rows={s.phones} onChange={(phones) => edit({ phones })} errors={errors} />
        <AddressRows rows={s.addresses} onChange={(addresses) => edit({ addresses })} errors={errors} />
        <ConstituentCustomFieldInputs defs={defs} values={s.customFields} onChange={(k, v) => edit({ customFields: { ...s.customFields, [k]: v } })} errors={errors} />
        <ExternalIdRows rows={s.externalIds} onChange={(externalIds) => edit({ externalIds })} errors={errors} />
        <FormActions
          label={original ? 'Save changes' : 'Add constituent'}
          busyLabel="Saving…"
          isBusy={save.isPending}
          onCancel={() => void navigate(original ? `/constituents/${original.id}` : '/constituents')}
        />
      </form>
    </>
  );
}
