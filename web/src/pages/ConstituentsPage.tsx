// The constituent list: one search box (names with typos, email, phone, address, postcode,
// external id) and structured filters, all kept in the URL, with cursor pagination.
import { Link } from 'react-router-dom';
import type { ConstituentSummary } from '../../../contract/constituents.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextField } from '../components/FormFields.js';
import { FilterForm } from '../components/FilterForm.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useCan } from '../session.js';
import { useConstituentFilters, type ConstituentFilters } from './ConstituentFilters.js';
import { constituentKeys, useCustomFields, useWards } from './ConstituentQueries.js';
import './Constituent.css';

export function ConstituentsPage() {
  const can = useCan();
  const f = useConstituentFilters();
  const list = useCursorList<ConstituentSummary>(constituentKeys.list(f.apiQuery), '/api/v1/constituents', { ...f.apiQuery, limit: 25 });
  const errors = fieldErrorsOf(list.query.error);
  const exportQuery = new URLSearchParams(f.apiQuery).toString();

  return (
    <Page title="Constituents" lead="People and organisations the office knows. Search by name (typos are fine), email, phone, address, postcode or external id.">
      <ul className="inline-list constituent-actions">
        {can('constituent.write') ? (
          <li><Link className="button button-primary" to="/constituents/new">Add a constituent</Link></li>
        ) : null}
        {can('constituent.import') ? <li><Link className="button" to="/constituents/import">Import from CSV</Link></li> : null}
        {can('constituent.merge') ? <li><Link className="button" to="/constituents/duplicates">Review duplicates</Link></li> : null}
        {can('constituent.export') ? (
          <li>
            <a className="button" href={`/api/v1/constituents/export.csv${exportQuery ? `?${exportQuery}` : ''}`} download>
              Export CSV<span className="visually-hidden"> of these results</span>
            </a>
          </li>
        ) : null}
      </ul>

      <FilterForm label="Search constituents" onApply={f.apply} onClear={f.clear}>
        <TextField id="constituents-q" label="Search" type="search" className="constituent-search" value={f.draft.q} onChange={(e) => f.edit({ q: e.target.value })} error={errors.q} />
        <Filters draft={f.draft} edit={f.edit} errors={errors} />
      </FilterForm>
      <ErrorSummary error={list.query.error} />

      <PagedTable
        list={list}
        noun="constituents"
        loading="Loading constituents…"
        showError={false}
        empty={Object.keys(f.apiQuery).length ? 'Nobody matches this search.' : 'No constituents yet.'}
        id="constituents"
        caption={f.apiQuery.q ? `Constituents matching “${f.apiQuery.q}”, best match first` : 'Constituents'}
        columns={['Name', 'Email', 'Phone', 'Address', 'Ward', 'Tags', 'Open cases']}
        renderRow={(c) => (
          <tr key={c.id}>
            <th scope="row" className="name-cell">
              <Link to={`/constituents/${c.id}`}>{c.displayName || 'Unnamed'}</Link>
              {c.kind === 'organisation' ? <span className="hint block">Organisation</span> : null}
            </th>
            <td className="nowrap">{c.primaryEmail ?? '—'}</td>
            <td className="nowrap">{c.primaryPhone ?? '—'}</td>
            <td>{[c.primaryAddress, c.postcode].filter(Boolean).join(', ') || '—'}</td>
            <td>{c.ward ?? '—'}</td>
            <td>{c.tags.length ? <ul className="inline-list tag-list">{c.tags.map((t) => <li key={t} className="tag">{t}</li>)}</ul> : '—'}</td>
            <td>{c.openCases}</td>
          </tr>
        )}
      />
    </Page>
  );
}

function Filters({ draft, edit, errors }: { draft: ConstituentFilters; edit: (change: Partial<ConstituentFilters>) => void; errors: Record<string, string> }) {
  const wards = useWards();
  const fields = useCustomFields();
  const chosenField = fields.data?.find((d) => d.key === draft.fieldKey);
  const hasOptions = chosenField && (chosenField.type === 'choice' || chosenField.type === 'multi_choice');
  return (
    <>
      <SelectField id="constituents-ward" label="Ward" value={draft.ward} onChange={(e) => edit({ ward: e.target.value })} error={errors.ward}>
        <option value="">Any ward</option>
        {(wards.data ?? []).map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
      </SelectField>
      <TextField id="constituents-tag" label="Tag" value={draft.tag} onChange={(e) => edit({ tag: e.target.value })} error={errors.tag} />
      <SelectField id="constituents-kind" label="Kind" value={draft.kind} onChange={(e) => edit({ kind: e.target.value })} error={errors.kind}>
        <option value="">People and organisations</option>
        <option value="person">People</option>
        <option value="organisation">Organisations</option>
      </SelectField>
      <SelectField id="constituents-open" label="Open cases" value={draft.hasOpenCase} onChange={(e) => edit({ hasOpenCase: e.target.value })} error={errors.hasOpenCase}>
        <option value="">With or without</option>
        <option value="true">Has an open case</option>
        <option value="false">No open case</option>
      </SelectField>
      {fields.data?.length ? (
        <>
          <SelectField id="constituents-field-key" label="Custom field" value={draft.fieldKey} onChange={(e) => edit({ fieldKey: e.target.value, fieldValue: '' })} error={errors.field}>
            <option value="">No custom field filter</option>
            {fields.data.map((d) => <option key={d.id} value={d.key}>{d.label}</option>)}
          </SelectField>
          {hasOptions ? (
            <SelectField id="constituents-field-value" label={`${chosenField.label} is`} value={draft.fieldValue} onChange={(e) => edit({ fieldValue: e.target.value })}>
              <option value="">Choose a value</option>
              {chosenField.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </SelectField>
          ) : (
            <TextField
              id="constituents-field-value"
              label={chosenField ? `${chosenField.label} is` : 'Custom field value'}
              type={chosenField?.type === 'number' ? 'number' : chosenField?.type === 'date' ? 'date' : 'text'}
              disabled={!chosenField}
              value={draft.fieldValue}
              onChange={(e) => edit({ fieldValue: e.target.value })}
            />
          )}
        </>
      ) : null}
    </>
  );
}
