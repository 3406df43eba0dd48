// Background jobs: counts per queue and the dead letters (jobs that failed after all
// retries), which people with jobs.manage can queue again.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { FailedJob, ZQueueStats } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { keys } from '../api/queries.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorText } from '../components/ErrorText.js';
import { StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime, formatJson } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useCan } from '../session.js';

type QueueStats = z.infer<typeof ZQueueStats>;

export function JobsPage() {
  const can = useCan();
  const canRetry = can('jobs.manage');
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const queues = useQuery({ queryKey: keys.queues, queryFn: () => api.get<{ items: QueueStats[] }>('/api/v1/jobs/queues') });
  const failed = useCursorList<FailedJob>(keys.failedJobs, '/api/v1/jobs/failed', { limit: 25 });
  const retry = useMutation({
    mutationFn: (job: FailedJob) => api.post<void>(`/api/v1/jobs/failed/${job.id}/retry`),
    onSuccess: (_r, job) => {
      setStatus(`Job ${job.id} (${job.queue}) queued again.`);
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    },
    onError: () => setStatus(''),
  });

  return (
    <Page title="Jobs" lead="Background work such as sending email and importing data.">
      <StatusMessage>{status}</StatusMessage>
      {retry.error ? <ErrorText error={retry.error} /> : null}
      <section aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queues</h2>
        <QueryStatus query={queues} loading="Loading queues…" isEmpty={queues.data?.items.length === 0} empty="No jobs have run for this office yet." />
        {queues.data && queues.data.items.length > 0 ? (
          <DataTable id="queues" caption="Jobs per queue" className="table table-numeric" columns={['Queue', 'Waiting', 'Running', 'Failed', 'Completed']}>
            {queues.data.items.map((q) => (
              <tr key={q.queue}>
                <th scope="row">{q.queue}</th>
                <td>{q.created}</td>
                <td>{q.active}</td>
                <td>{q.failed}</td>
                <td>{q.completed}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </section>
      <section aria-labelledby="failed-heading">
        <h2 id="failed-heading">Failed jobs</h2>
        <PagedTable
          list={failed}
          noun="failed jobs"
          loading="Loading failed jobs…"
          empty="No failed jobs. Everything that was queued has run."
          id="failed"
          caption="Jobs that failed after all retries"
          columns={['Queue', 'Created', 'Failed', 'Retries', 'Error', canRetry && 'Actions']}
          renderRow={(job) => (
            <tr key={job.id}>
              <th scope="row">
                {job.queue}
                <span className="hint block mono">{job.id}</span>
              </th>
              <td>{formatDateTime(job.createdAt)}</td>
              <td>{formatDateTime(job.completedAt)}</td>
              <td>{job.retryCount}</td>
              <td>
                <p className="error-cell">{job.error ?? 'No error recorded'}</p>
                <details>
                  <summary>Job data<span className="visually-hidden"> of {job.id}</span></summary>
                  <pre>{formatJson(job.data)}</pre>
                </details>
              </td>
              {canRetry ? (
                <td className="actions">
                  <button type="button" className="button button-small" onClick={() => retry.mutate(job)} disabled={retry.isPending}>
                    Retry<span className="visually-hidden"> job {job.id}</span>
                  </button>
                </td>
              ) : null}
            </tr>
          )}
        />
      </section>
    </Page>
  );
}
