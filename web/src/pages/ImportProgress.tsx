// Steps 3 and 4 of the import wizard: the running import (polled every second, with a
// progress bar and a cancel button), then its summary and the report of rejected rows.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import type { Import } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';

const n = (v: number) => v.toLocaleString('en-GB');
export const isActive = (i: Import | undefined) => i?.status === 'queued' || i?.status === 'running';

const STATUS_TEXT: Record<Import['status'], string> = {
  uploading: 'Waiting for the file',
  queued: 'Waiting to start…',
  running: 'Importing…',
  completed: 'Import finished',
  failed: 'Import failed',
  cancelled: 'Import cancelled',
};

export function useImport(id: string) {
  return useQuery({
    queryKey: ['imports', id],
    queryFn: () => api.get<Import>(`/api/v1/imports/${id}`),
    refetchInterval: (q) => (isActive(q.state.data) ? 1000 : false),
  });
}

export function ImportSummary({ imp }: { imp: Import }) {
  return (
    <dl className="facts import-facts">
      <div><dt>Rows read</dt><dd>{n(imp.rowsProcessed)}</dd></div>
      <div><dt>Created</dt><dd>{n(imp.created)}</dd></div>
      <div><dt>Updated</dt><dd>{n(imp.updated)}</dd></div>
      <div><dt>Unchanged</dt><dd>{n(imp.unchanged)}</dd></div>
      <div><dt>Rejected</dt><dd>{n(imp.rejected)}</dd></div>
    </dl>
  );
}

export function ErrorsLink({ imp, isCompact = false }: { imp: Import; isCompact?: boolean }) {
  if (imp.rejected === 0) return null;
  const file = <span className="visually-hidden"> of {imp.fileName}{isCompact ? ` (started ${imp.startedAt ?? imp.createdAt})` : ''}</span>;
  return (
    <a href={`/api/v1/imports/${imp.id}/errors.csv`} download>
      {isCompact ? <>Rejected rows{file} (CSV)</> : <>Download the {n(imp.rejected)} rejected {imp.rejected === 1 ? 'row' : 'rows'}{file} (CSV: row, column, reason)</>}
    </a>
  );
}

export function ImportProgress({ id, onAnother }: { id: string; onAnother: () => void }) {
  const queryClient = useQueryClient();
  const query = useImport(id);
  const cancel = useMutation({
    mutationFn: () => api.post<Import>(`/api/v1/imports/${id}/cancel`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['imports'] }),
  });
  const imp = query.data;
  const status = imp?.status;
  // The recent imports list shows the new state once the import stops.
  useEffect(() => {
    if (status && status !== 'queued' && status !== 'running') void queryClient.invalidateQueries({ queryKey: ['imports', 'list'] });
  }, [status, queryClient]);
  if (!imp) return query.isError ? <ErrorText error={query.error} /> : <p role="status">Loading the import…</p>;
  const share = imp.totalBytes > 0 ? imp.processedBytes / imp.totalBytes : 0;
  return (
    <>
      {/* Only the state is announced; the figures below change every second. */}
      <p role="status" className="import-state">{STATUS_TEXT[imp.status]}</p>
      {isActive(imp) ? (
        <div className="import-progress">
          <label htmlFor="import-run-progress">Progress through {imp.fileName}</label>
          <progress id="import-run-progress" max={1000} value={Math.round(share * 1000)} aria-valuetext={`${Math.round(share * 100)}%, ${n(imp.rowsProcessed)} rows read`} />
          <p>{Math.round(share * 100)}% of the file, {n(imp.rowsProcessed)} rows read</p>
        </div>
      ) : null}
      <ImportSummary imp={imp} />
      {imp.error ? <p className="error-text">{imp.error}</p> : null}
      {cancel.error ? <ErrorText error={cancel.error} /> : null}
      <div className="button-row">
        {isActive(imp) ? (
          <button type="button" className="button button-danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>Cancel the import</button>
        ) : (
          <>
            <ErrorsLink imp={imp} />
            <Link to="/constituents" className="button">See constituents</Link>
            <button type="button" className="button" onClick={onAnother}>Import another file</button>
          </>
        )}
      </div>
    </>
  );
}
