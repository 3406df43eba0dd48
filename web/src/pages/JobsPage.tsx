// Background jobs: counts per queue and the dead letters (jobs that failed after all
// retries), which people with jobs.manage can queue again.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { Page as ApiPage, FailedJob, ZQueueStats } from '../../../contract/index.js';
import { api, errorMessage } from '../api/client.js';
import { keys } from '../api/queries.js';
import { LoadMore } from '../components/LoadMore.js';
import { Page } from '../components/Page.js';
import { formatDateTime, formatJson } from '../format.js';
import { useCan } from '../session.js';

type QueueStats = z.infer<typeof ZQueueStats>;

export function JobsPage() {
  const can = useCan();
  const canRetry = can('jobs.manage');
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const queues = useQuery({ queryKey: keys.queues, queryFn: () => api.get<{ items: QueueStats[] }>('/api/v1/jobs/queues') });
  const failed = useInfiniteQuery({
    queryKey: keys.failedJobs,
    queryFn: ({ pageParam }) => api.get<ApiPage<FailedJob>>('/api/v1/jobs/failed', { limit: 25, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const jobs = failed.data?.pages.flatMap((p) => p.items) ?? [];
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
      <p className="status-message" role="status">
        {status}
      </p>
      {retry.error ? <p role="alert" className="error-text">{errorMessage(retry.error)}</p> : null}
      <section aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queues</h2>
        {queues.isPending ? <p role="status">Loading queues…</p> : null}
        {queues.isError ? <p role="alert" className="error-text">{errorMessage(queues.error)}</p> : null}
        {queues.data && queues.data.items.length === 0 ? <p>No jobs have run for this office yet.</p> : null}
        {queues.data && queues.data.items.length > 0 ? (
          <div className="table-wrap" role="region" aria-labelledby="queues-caption" tabIndex={0}>
            <table className="table table-numeric">
              <caption id="queues-caption">Jobs per queue</caption>
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Running</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Completed</th>
                </tr>
              </thead>
              <tbody>
                {queues.data.items.map((q) => (
                  <tr key={q.queue}>
                    <th scope="row">{q.queue}</th>
                    <td>{q.created}</td>
                    <td>{q.active}</td>
                    <td>{q.failed}</td>
                    <td>{q.completed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <section aria-labelledby="failed-heading">
        <h2 id="failed-heading">Failed jobs</h2>
        {failed.isPending ? <p role="status">Loading failed jobs…</p> : null}
        {failed.isError ? <p role="alert" className="error-text">{errorMessage(failed.error)}</p> : null}
        {failed.isSuccess && jobs.length === 0 ? <p>No failed jobs. Everything that was queued has run.</p> : null}
        {jobs.length ? (
          <div className="table-wrap" role="region" aria-labelledby="failed-caption" tabIndex={0}>
            <table className="table">
              <caption id="failed-caption">Jobs that failed after all retries</caption>
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  <th scope="col">Created</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Retries</th>
                  <th scope="col">Error</th>
                  {canRetry ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
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
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <LoadMore shown={jobs.length} noun="failed jobs" hasMore={failed.hasNextPage} isLoading={failed.isFetchingNextPage} onLoadMore={() => void failed.fetchNextPage()} />
      </section>
    </Page>
  );
}
