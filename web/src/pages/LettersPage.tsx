// Letters: replies that go by post. The print queue (oldest first) and the posted letters
// (newest first), a page at a time; choose letters, download them as one PDF (each letter on
// its own pages), then mark them posted. Marking can be undone at once from the message it
// leaves, or later from the posted list.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Letter } from '../../../contract/messages.js';
import { api } from '../api/client.js';
import { ErrorSummary, StatusMessage } from '../components/FormFields.js';
import { LoadMore } from '../components/LoadMore.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useCan } from '../session.js';
import { caseKeys } from './CaseQueries.js';
import { letterPdfUrl } from './ReplyQueries.js';

type Status = 'waiting' | 'posted';
const lettersKey = ['letters'] as const;
const plural = (n: number) => `${n} letter${n === 1 ? '' : 's'}`;

export function LettersPage() {
  const can = useCan();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const status: Status = params.get('status') === 'posted' ? 'posted' : 'waiting';
  const [shown, setShown] = useState(status);
  useEffect(() => setShown(status), [status]);
  const { query, items, loadMore } = useCursorList<Letter>([...lettersKey, status], '/api/v1/letters', { status, limit: 50 });
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<{ text: string; undo: { ids: string[]; posted: boolean } | null } | null>(null);
  useEffect(() => setChosen(new Set()), [status]);

  const marking = useMutation({
    mutationFn: (v: { ids: string[]; posted: boolean; undoing?: boolean }) => api.post<{ changed: number }>(`/api/v1/letters/${v.posted ? 'posted' : 'unposted'}`, { ids: v.ids }),
    onSuccess: (r, v) => {
      setChosen(new Set());
      setDone({
        text: v.posted ? `${plural(r.changed)} marked posted.` : `${plural(r.changed)} put back in the print queue.`,
        // The undo of an undo is not offered: the lists show where every letter is.
        undo: v.undoing ? null : { ids: v.ids, posted: !v.posted },
      });
      void queryClient.invalidateQueries({ queryKey: lettersKey });
      for (const l of items.filter((x) => v.ids.includes(x.id) && x.caseId)) void queryClient.invalidateQueries({ queryKey: caseKeys.one(l.caseId!) });
    },
  });

  const ids = [...chosen];
  const allChosen = items.length > 0 && items.every((l) => chosen.has(l.id));
  const toggle = (id: string) => setChosen((c) => {
    const next = new Set(c);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  return (
    <Page title="Letters">
      <p>Replies sent by post wait here until they are printed and posted.</p>
      <fieldset className="segmented">
        <legend>Show</legend>
        {(['waiting', 'posted'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name="letter-status" value={s} checked={shown === s} onChange={() => { setShown(s); setDone(null); setParams(s === 'waiting' ? {} : { status: s }); }} />
            {s === 'waiting' ? 'To print' : 'Posted'}
          </label>
        ))}
      </fieldset>
      <ErrorSummary error={marking.error} fields={{}} />
      <StatusMessage>
        {done ? (
          <>
            {done.text}{' '}
            {done.undo ? (
              <button type="button" className="button button-small" onClick={() => marking.mutate({ ...done.undo!, undoing: true })} disabled={marking.isPending}>Undo</button>
            ) : null}
          </>
        ) : null}
      </StatusMessage>
      <QueryStatus query={query} loading="Loading letters…" isEmpty={query.isSuccess && items.length === 0} empty={status === 'waiting' ? 'No letters are waiting to be printed.' : 'No letters have been posted yet.'} />
      {items.length ? (
        <>
          <div className="button-row" aria-label="With the chosen letters" role="group">
            {ids.length ? (
              <a className="button" href={letterPdfUrl(ids)} download>Download {plural(ids.length)} (PDF)</a>
            ) : (
              <span className="hint">Choose letters to download or mark them.</span>
            )}
            {can('case.write') ? (
              <button type="button" className="button button-primary" disabled={!ids.length || marking.isPending} onClick={() => marking.mutate({ ids, posted: status === 'waiting' })}>
                {status === 'waiting' ? 'Mark as posted' : 'Put back in the print queue'}
              </button>
            ) : null}
          </div>
          <table className="data-table">
            <caption className="visually-hidden">{status === 'waiting' ? 'Letters to print, oldest first' : 'Posted letters, newest first'}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <input type="checkbox" aria-label="Choose all letters shown" checked={allChosen} onChange={() => setChosen(allChosen ? new Set() : new Set(items.map((l) => l.id)))} />
                </th>
                <th scope="col">To</th><th scope="col">Subject</th><th scope="col">Case</th><th scope="col">{status === 'waiting' ? 'Written' : 'Posted'}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((l) => {
                const [name, ...address] = l.to.split('\n');
                const when = status === 'waiting' ? l.createdAt : l.postedAt!;
                return (
                  <tr key={l.id}>
                    <td><input type="checkbox" aria-label={`Choose the letter to ${name}: ${l.subject}`} checked={chosen.has(l.id)} onChange={() => toggle(l.id)} /></td>
                    <td><strong>{name}</strong><br /><span className="hint">{address.join(', ')}</span></td>
                    <td><a href={letterPdfUrl([l.id])} download>{l.subject}<span className="visually-hidden"> (PDF)</span></a></td>
                    <td>{l.caseId ? <Link to={`/cases/${l.caseId}`}>{l.caseReference}</Link> : '—'}</td>
                    <td><time dateTime={when}>{formatDateTime(when)}</time>{status === 'waiting' ? <span className="hint"> by {l.createdBy}</span> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
      <LoadMore noun="letters" {...loadMore} />
    </Page>
  );
}
