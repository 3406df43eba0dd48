// The audit log: newest first, filtered by entity type, action and dates, with each
// event's before/after values expandable.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Page as ApiPage, AuditEvent } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { keys } from '../api/queries.js';
import { ErrorSummary, fieldErrorsOf, TextField } from '../components/FormFields.js';
import { LoadMore } from '../components/LoadMore.js';
import { Page } from '../components/Page.js';
import { formatDateTime, formatJson, startOfLocalDay } from '../format.js';

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
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const list = useInfiniteQuery({
    queryKey: keys.audit(filters),
    queryFn: ({ pageParam }) => api.get<ApiPage<AuditEvent>>('/api/v1/audit', { ...toQuery(filters), limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const events = list.data?.pages.flatMap((p) => p.items) ?? [];
  const errors = fieldErrorsOf(list.error);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }

  return (
    <Page title="Audit log" lead="Every change to users, teams, tokens and settings, newest first. Events are never edited or deleted.">
      <form className="filters" role="search" aria-label="Filter audit events" onSubmit={apply}>
        <TextField id="audit-entity" label="Entity type" list="audit-entity-types" value={draft.entityType} onChange={(e) => setDraft({ ...draft, entityType: e.target.value })} error={errors.entityType} />
        <datalist id="audit-entity-types">
          {ENTITY_TYPES.map((t) => <option key={t} value={t} />)}
        </datalist>
        <TextField id="audit-action" label="Action" hint="Such as created, updated, revoked" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} error={errors.action} />
        <TextField id="audit-from" label="From date" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} error={errors.from} />
        <TextField id="audit-to" label="To date" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} error={errors.to} />
        <div className="button-row">
          <button type="submit" className="button">Apply filters</button>
          <button type="button" className="button button-link" onClick={() => { setDraft(EMPTY); setFilters(EMPTY); }}>
            Clear
          </button>
        </div>
      </form>
      <ErrorSummary error={list.error} />
      {list.isPending ? <p role="status">Loading events…</p> : null}
      {list.isSuccess && events.length === 0 ? <p>No events match these filters.</p> : null}
      {events.length ? (
        <div className="table-wrap" role="region" aria-labelledby="audit-caption" tabIndex={0}>
          <table className="table">
            <caption id="audit-caption">Audit events</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Entity</th>
                <th scope="col">Action</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((ev) => (
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
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore shown={events.length} noun="events" hasMore={list.hasNextPage} isLoading={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} />
    </Page>
  );
}
