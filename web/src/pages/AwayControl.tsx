// "Away": the first and last day someone is away (leave, training); automatic assignment
// skips them meanwhile. On My account for yourself, and on the user admin page for managers.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Away } from '../../../contract/assignment.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, StatusMessage, TextField } from '../components/FormFields.js';

/** `userId` null: the signed-in user's own. `inDialog`: the dialog's title heads it, so no heading of its own. */
export function AwayControl({ userId, name, canEdit = true, inDialog = false }: { userId: string | null; name?: string; canEdit?: boolean; inDialog?: boolean }) {
  const url = userId ? `/api/v1/users/${userId}/away` : '/api/v1/account/away';
  const key = ['away', userId ?? 'me'];
  const queryClient = useQueryClient();
  const current = useQuery({ queryKey: key, queryFn: () => api.get<{ away: Away | null }>(url) });
  const [v, setV] = useState({ from: '', until: '', note: '' });
  const [status, setStatus] = useState('');
  const done = (r: { away: Away | null }, message: string) => {
    queryClient.setQueryData(key, r);
    setStatus(message);
  };
  const save = useMutation({
    mutationFn: () => api.put<{ away: Away | null }>(url, { from: v.from, until: v.until || null, note: v.note }),
    onSuccess: (r) => done(r, 'Away period saved.'),
  });
  const clear = useMutation({ mutationFn: () => api.delete<{ away: Away | null }>(url), onSuccess: (r) => done(r, 'Away period cleared.') });
  const errors = fieldErrorsOf(save.error);
  const away = current.data?.away ?? null;
  const who = name ?? 'You';
  const idp = `away-${userId ?? 'me'}`;
  function submit(e: FormEvent) {
    e.preventDefault();
    setStatus('');
    save.mutate();
  }
  const body = (
    <>
      <p>
        {away
          ? `${who} ${userId ? 'is' : 'are'} away from ${away.from}${away.until ? ` to ${away.until}` : ' until further notice'}${away.note ? ` (${away.note})` : ''}${away.isAwayNow ? ': away now, so new cases go to others.' : '.'}`
          : `${who} ${userId ? 'is' : 'are'} not marked away. While away, new cases are not assigned automatically to ${userId ? 'them' : 'you'}.`}
      </p>
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {canEdit ? (
        <form className="form" onSubmit={submit} noValidate aria-label={`Set ${userId ? `${who}’s` : 'your'} away period`}>
          <ErrorSummary error={save.error ?? clear.error} fields={{ from: { id: `${idp}-from`, label: 'First day away' }, until: { id: `${idp}-until`, label: 'Last day away' }, note: { id: `${idp}-note`, label: 'Note' } }} />
          <TextField id={`${idp}-from`} label="First day away" type="date" value={v.from} onChange={(e) => setV({ ...v, from: e.target.value })} error={errors.from} />
          <TextField id={`${idp}-until`} label="Last day away (optional)" hint="Leave empty for until further notice." type="date" value={v.until} onChange={(e) => setV({ ...v, until: e.target.value })} error={errors.until} />
          <TextField id={`${idp}-note`} label="Note (optional)" value={v.note} maxLength={200} onChange={(e) => setV({ ...v, note: e.target.value })} error={errors.note} />
          <FormActions label="Save away period" busyLabel="Saving…" isBusy={save.isPending} />
          {away ? (
            <p><button type="button" className="button" onClick={() => { setStatus(''); clear.mutate(); }} disabled={clear.isPending}>I’m back: clear the away period</button></p>
          ) : null}
        </form>
      ) : null}
    </>
  );
  if (inDialog) return body;
  return (
    <section className="card" aria-labelledby={`${idp}-heading`}>
      <h2 id={`${idp}-heading`}>Away</h2>
      {body}
    </section>
  );
}
