// Possible duplicates: the review queue of scored pairs (best first), "Scan now" with the
// scan's progress, and per pair "Review and merge" or "Not a duplicate" (remembered).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { DEDUP_RULE_LABELS, type CandidateRecord, type DedupScan, type DuplicateCandidate } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { SelectField, StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { formatDateTime } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useCan } from '../session.js';

type Status = 'open' | 'dismissed' | 'merged';
const LIST = { margin: 0, paddingLeft: '1.1rem' } as const;
const STATUS_LABELS: Record<Status, string> = { open: 'To review', dismissed: 'Not duplicates', merged: 'Merged' };
export const dedupKeys = { candidates: (status: string) => ['dedup', 'candidates', status] as const, scans: ['dedup', 'scans'] as const };

export function DuplicatesPage() {
  const can = useCan();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('open');
  const [message, setMessage] = useState('');
  const list = useCursorList<DuplicateCandidate>(dedupKeys.candidates(status), '/api/v1/dedup/candidates', { status, limit: 25 });
  const decide = useMutation({
    mutationFn: ({ c, to }: { c: DuplicateCandidate; to: 'dismiss' | 'reopen' }) => api.post<DuplicateCandidate>(`/api/v1/dedup/candidates/${c.lowId}/${c.highId}/${to}`),
    onSuccess: (_r, { c, to }) => {
      setMessage(to === 'dismiss' ? `${names(c)} marked as not duplicates. Later scans will leave them alone.` : `${names(c)} are back in the queue.`);
      void queryClient.invalidateQueries({ queryKey: ['dedup', 'candidates'] });
    },
    onError: () => setMessage(''),
  });

  return (
    <Page title="Duplicates" lead="Pairs of records that may be the same person or organisation, best match first. Merge them, or mark them as not duplicates.">
      <ScanPanel onFinished={() => void queryClient.invalidateQueries({ queryKey: ['dedup', 'candidates'] })} />
      {can('registry.configure') ? <p><Link to="/constituents/duplicates/rules">Match rules: what counts as a possible duplicate</Link></p> : null}
      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">Pairs</h2>
        <div className="filters">
          <SelectField id="dedup-status" label="Show" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            {(Object.keys(STATUS_LABELS) as Status[]).map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
          </SelectField>
        </div>
        <StatusMessage>{message}</StatusMessage>
        {decide.error ? <ErrorText error={decide.error} /> : null}
        <PagedTable
          list={list}
          noun="pairs"
          loading="Loading pairs…"
          empty={status === 'open' ? 'No pairs to review. Run a scan to look for duplicates.' : `No pairs ${STATUS_LABELS[status].toLowerCase()}.`}
          id="candidates"
          caption={`Possible duplicates: ${STATUS_LABELS[status].toLowerCase()}, best score first`}
          columns={['Score', 'Why', 'Record', 'Possible duplicate', 'Actions']}
          renderRow={(c) => (
            <tr key={`${c.lowId}-${c.highId}`}>
              <td className="table-numeric">{c.score}</td>
              <td>
                <ul style={LIST}>{c.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
              </td>
              <th scope="row"><RecordCell r={c.low} /></th>
              <td><RecordCell r={c.high} /></td>
              <td className="actions">
                {c.status === 'open' ? (
                  <>
                    <Link className="button button-small button-primary" to={`/constituents/duplicates/merge?survivor=${c.lowId}&other=${c.highId}`}>
                      Review and merge<span className="visually-hidden"> {names(c)}</span>
                    </Link>
                    <button type="button" className="button button-small" disabled={decide.isPending} onClick={() => decide.mutate({ c, to: 'dismiss' })}>
                      Not a duplicate<span className="visually-hidden">: {names(c)}</span>
                    </button>
                  </>
                ) : c.status === 'dismissed' ? (
                  <button type="button" className="button button-small" disabled={decide.isPending} onClick={() => decide.mutate({ c, to: 'reopen' })}>
                    Review again<span className="visually-hidden">: {names(c)}</span>
                  </button>
                ) : (
                  <span className="hint">Merged {formatDateTime(c.decidedAt)}</span>
                )}
              </td>
            </tr>
          )}
        />
      </section>
    </Page>
  );
}

const names = (c: DuplicateCandidate) => `${c.low.displayName || 'Unnamed'} and ${c.high.displayName || 'Unnamed'}`;

function RecordCell({ r }: { r: CandidateRecord }) {
  const details = [r.dateOfBirth && `born ${r.dateOfBirth}`, r.email, r.phone, r.address].filter(Boolean) as string[];
  return (
    <>
      <Link to={`/constituents/${r.id}`}>{r.displayName || 'Unnamed'}</Link>
      {r.status === 'merged' ? <span className="badge badge-disabled">Merged</span> : null}
      {details.map((d) => <span key={d} className="hint block">{d}</span>)}
    </>
  );
}

/** "Scan now", then the scan's progress rule by rule until it finishes. */
function ScanPanel({ onFinished }: { onFinished: () => void }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const latest = useQuery({
    queryKey: dedupKeys.scans,
    queryFn: () => api.get<{ items: DedupScan[] }>('/api/v1/dedup/scans', { limit: 1 }),
    refetchInterval: (q) => (isActive(q.state.data?.items[0]) ? 1000 : false),
  });
  const scan = latest.data?.items[0];
  const active = isActive(scan);
  const [watching, setWatching] = useState<string | null>(null);
  useEffect(() => {
    if (scan && watching === scan.id && !active) {
      setWatching(null);
      onFinished();
    }
  }, [scan, watching, active, onFinished]);
  const start = useMutation({
    mutationFn: () => api.post<DedupScan>('/api/v1/dedup/scan'),
    onSuccess: (s) => {
      setWatching(s.id);
      queryClient.setQueryData(dedupKeys.scans, { items: [s] });
    },
  });
  return (
    <section aria-labelledby="scan-heading" className="card">
      <h2 id="scan-heading">Scan for duplicates</h2>
      <p className="hint">Compares every active record using the office’s match rules. Decisions already made are kept.</p>
      {can('constituent.merge') ? (
        <button type="button" className="button button-primary" onClick={() => start.mutate()} disabled={start.isPending || active}>
          {active ? 'Scanning…' : 'Scan now'}
        </button>
      ) : null}
      {start.error ? <ErrorText error={start.error} /> : null}
      <div role="status" aria-live="polite">{scan ? <ScanSummary scan={scan} /> : <p>No scan has run yet.</p>}</div>
    </section>
  );
}

const isActive = (s: DedupScan | undefined) => s?.status === 'queued' || s?.status === 'running';

function ScanSummary({ scan }: { scan: DedupScan }) {
  if (scan.status === 'failed') return <p className="error-text">The scan of {formatDateTime(scan.createdAt)} failed: {scan.error}</p>;
  if (scan.status === 'completed' && scan.result) {
    const r = scan.result;
    return (
      <p>
        Scan finished {formatDateTime(scan.finishedAt)}: {r.open} pairs to review ({r.created} new, {r.removed} no longer matching removed),
        {' '}{r.decided} already decided; {r.records} records in {r.seconds} s.
        {r.skippedBlocks ? ` ${r.skippedBlocks} groups too large to compare were left out.` : ''}
      </p>
    );
  }
  const done = scan.steps.filter((s) => s.status === 'done').length;
  const total = scan.steps.filter((s) => s.status !== 'disabled').length;
  return (
    <>
      <p>{scan.status === 'queued' ? 'Scan queued…' : `Scanning… ${done} of ${total} rules done.`}</p>
      <ul style={LIST}>
        {scan.steps.filter((s) => s.status === 'done').map((s) => <li key={s.rule}>{DEDUP_RULE_LABELS[s.rule]}: {s.pairs} matching pairs</li>)}
      </ul>
    </>
  );
}
