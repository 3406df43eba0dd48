// The audit log: newest first, filtered by entity type, action and dates, with each
// event's before/after values expandable.
import type { AuditEvent } from '../../../contract/index.js';
import { keys } from '../api/queries.js';
import { FilterForm } from '../components/FilterForm.js';
import { ErrorSummary, fieldErrorsOf, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { formatDateTime, formatJson, startOfLocalDay } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useFilters } from '../hooks/useFilters.js';

type Filters = { entityType: string; action: string; from: string; to: string };
const EMPTY: Filters = { entityType: '', action: '', from: '', to: '' };
const ENTITY_TYPES = ['user', 'team', 'api_token', 'office', 'job'];

function toQuery(f: Filters) {
  return {
    entityType: f.entityType.trim() || undefined,
    action: f.action.trim() || undefined,
    from: f.from ? startOfLocalDay(f.from) : undefined,
    // "To" is inclusive of the whole day; the API's bound is exclusive.
    to: f.to ? startOfLocalDay(f.to, 1) : undefined,
  };
}

function Changes({ event }: { event: AuditEvent }) {
  if (event.before == null && event.after == null) return <span className="hint">No details</span>;
  return (
    <details className="changes">
      <summary>
        Show changes<span className="visually-hidden"> for event {event.id}</span>
      </summary>
      <div className="changes-grid">
        <div>
          <p className="changes-label">Before</p>
          <pre>{formatJson(event.before)}</pre>
        </div>
        <div>
          <p className="changes-label">After</p>
          <pre>{formatJson(event.after)}</pre>
        </div>
      </div>
    </details>
  );
}

export function AuditPage() {
  const f = useFilters(EMPTY);
  const list = useCursorList<AuditEvent>(keys.audit(f.filters), '/api/v1/audit', { ...toQuery(f.filters), limit: 50 });
  const errors = fieldErrorsOf(list.query.error);

  return (
    <Page title="Audit log" lead="Every change to users, teams, tokens and settings, newest first. Events are never edited or deleted.">
      <FilterForm label="Filter audit events" onApply={f.apply} onClear={f.clear}>
        <TextField id="audit-entity" label="Entity type" list="audit-entity-types" value={f.draft.entityType} onChange={(e) => f.edit({ entityType: e.target.value })} error={errors.entityType} />
        <datalist id="audit-entity-types">
          {ENTITY_TYPES.map((t) => <option key={t} value={t} />)}
        </datalist>
        <TextField id="audit-action" label="Action" hint="Such as created, updated, revoked" value={f.draft.action} onChange={(e) => f.edit({ action: e.target.value })} error={errors.action} />
        <TextField id="audit-from" label="From date" type="date" value={f.draft.from} onChange={(e) => f.edit({ from: e.target.value })} error={errors.from} />
        <TextField id="audit-to" label="To date" type="date" value={f.draft.to} onChange={(e) => f.edit({ to: e.target.value })} error={errors.to} />
      </FilterForm>
      <ErrorSummary error={list.query.error} />
      <PagedTable
        list={list}
        noun="events"
        loading="Loading events…"
        showError={false}
        empty="No events match these filters."
        id="audit"
        caption="Audit events"
        columns={['When', 'Who', 'Entity', 'Action', 'Details']}
        renderRow={(ev) => (
          <tr key={ev.id}>
            <td>{formatDateTime(ev.occurredAt)}</td>
            <td>
              {ev.actorLabel}
              <span className="hint block">{ev.actorType}</span>
            </td>
            <td>
              {ev.entityType}
              <span className="hint block mono">{ev.entityId}</span>
            </td>
            <td>{ev.action}</td>
            <td><Changes event={ev} /></td>
          </tr>
        )}
      />
    </Page>
  );
}
