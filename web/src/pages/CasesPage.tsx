// The case list: "All cases" and "My work" views, filters kept in the URL, sorting, cursor
// pagination ("Load more") and, for people who may, selection with bulk actions and export.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../../../contract/cases.js';
import { ErrorSummary, fieldErrorsOf } from '../components/FormFields.js';
import { FilterForm } from '../components/FilterForm.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { formatDateTime } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useCan } from '../session.js';
import { CaseBulkActions } from './CaseBulkActions.js';
import { CaseListFilters } from './CaseListFilters.js';
import { isMyWork, MY_WORK, toUrlQuery, useCaseFilters } from './CaseFilters.js';
import { caseKeys, categoryLabel, PRIORITY_LABELS } from './CaseQueries.js';
import { CaseSavedViews } from './CaseSavedViews.js';
import './Case.css';

export function CasesPage() {
  const can = useCan();
  const f = useCaseFilters();
  const list = useCursorList<CaseSummary>(caseKeys.list(f.apiQuery), '/api/v1/cases', { ...f.apiQuery, limit: 25 });
  const errors = fieldErrorsOf(list.query.error);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const myWork = isMyWork(f.applied);
  const hasFilters = Object.keys(f.apiQuery).length > 0;
  const canBulk = can('case.write');
  const exportQuery = new URLSearchParams(f.apiQuery).toString();

  function toggle(id: string, on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }
  const allShown = list.items.length > 0 && list.items.every((c) => selected.has(c.id));

  return (
    <Page title={myWork ? 'My work' : 'Cases'} lead="Every request the office is working on. Filter, sort, open a case, or act on several at once.">
      <ul className="inline-list case-actions">
        {can('case.write') ? <li><Link className="button button-primary" to="/cases/new">New case</Link></li> : null}
        {can('insights.read') ? (
          <li>
            <Link className="button" to={`/insights/map${Object.keys(toUrlQuery(f.applied)).length ? `?${new URLSearchParams(toUrlQuery(f.applied)).toString()}` : ''}`}>
              Show on map<span className="visually-hidden">: these cases</span>
            </Link>
          </li>
        ) : null}
        {can('case.export') ? (
          <li>
            <a className="button" href={`/api/v1/cases/export.csv${exportQuery ? `?${exportQuery}` : ''}`} download>
              Export CSV<span className="visually-hidden"> of these cases</span>
            </a>
          </li>
        ) : null}
      </ul>

      <nav aria-label="Case views" className="view-tabs">
        <ul>
          <li><Link to="/cases" aria-current={!myWork && !hasFilters ? 'page' : undefined}>All cases</Link></li>
          <li><Link to={`/cases?${new URLSearchParams(MY_WORK as Record<string, string>).toString()}`} aria-current={myWork ? 'page' : undefined}>My work</Link></li>
        </ul>
      </nav>
      <CaseSavedViews filters={f.applied} onShow={f.show} />
      {f.applied.constituent ? (
        <p className="notice" role="status">
          Showing the cases of <Link to={`/constituents/${f.applied.constituent}`}>one person</Link>.{' '}
          <Link to={`/cases?${new URLSearchParams(toUrlQuery({ ...f.applied, constituent: '' })).toString()}`}>Show everyone's cases</Link>
        </p>
      ) : null}

      <FilterForm label="Filter cases" onApply={f.apply} onClear={f.clear}>
        <CaseListFilters draft={f.draft} edit={f.edit} errors={errors} />
      </FilterForm>
      <ErrorSummary error={list.query.error} />

      {canBulk ? (
        <>
          <CaseBulkActions selectedIds={[...selected]} references={Object.fromEntries(list.items.map((c) => [c.id, c.reference]))} onDone={() => setSelected(new Set())} />
          {list.items.length ? (
            <p>
              <label className="check">
                <input type="checkbox" checked={allShown} onChange={(e) => setSelected(e.target.checked ? new Set(list.items.map((c) => c.id)) : new Set())} />
                Select all {list.items.length} cases shown
              </label>
            </p>
          ) : null}
        </>
      ) : null}

      <PagedTable
        list={list}
        noun="cases"
        loading="Loading cases…"
        showError={false}
        empty={hasFilters ? 'No case matches these filters.' : 'No cases yet.'}
        id="cases"
        caption={myWork ? 'Cases assigned to you that are still open' : hasFilters ? 'Cases matching the filters' : 'Cases'}
        columns={[
          canBulk ? 'Select' : false, 'Reference', 'Subject', 'Status', 'Priority', 'Category', 'Assignee', 'Team', 'Ward', 'Requester', 'Resolution due', 'Created', 'Updated',
        ]}
        renderRow={(c) => (
          <tr key={c.id}>
            {canBulk ? (
              <td>
                <label className="check-only">
                  <input type="checkbox" checked={selected.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
                  <span className="visually-hidden">Select {c.reference}</span>
                </label>
              </td>
            ) : null}
            <th scope="row" className="nowrap">
              <Link to={`/cases/${c.id}`}>{c.reference}</Link>
            </th>
            <td>
              {c.subject}
              {c.isSensitive ? <span className="badge badge-sensitive">Sensitive</span> : null}
            </td>
            <td><span className={`badge status-${c.status.category}`}>{c.status.label}</span></td>
            <td><span className={`priority priority-${c.priority}`}>{PRIORITY_LABELS[c.priority]}</span></td>
            <td>{c.category ? categoryLabel(c.category) : '—'}</td>
            <td>{c.assignee?.name ?? 'Unassigned'}</td>
            <td>{c.team?.name ?? '—'}</td>
            <td>{c.ward?.name ?? '—'}</td>
            <td>{c.requester?.name ?? '—'}</td>
            <td className="nowrap">
              {formatDateTime(c.resolutionDueAt)}
              {c.isOverdue ? <span className="badge badge-disabled">Overdue</span> : null}
            </td>
            <td className="nowrap">{formatDateTime(c.createdAt)}</td>
            <td className="nowrap">{formatDateTime(c.updatedAt)}</td>
          </tr>
        )}
      />
    </Page>
  );
}
