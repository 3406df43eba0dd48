// Merging two records: which one stays, then field by field whose value it keeps (radio
// groups, one per field that differs), what moves across, confirm; afterwards the result
// with "Undo" (possible for 30 days).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { MERGE_FIELD_LABELS, MERGE_FIELDS, type MergeField, type MergePreview, type MergeRecord } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { ErrorSummary } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { formatDateTime } from '../format.js';

type Side = 'survivor' | 'other';
/** The two values of a field in two columns, the record that stays on the left. */
const SIDE_BY_SIDE = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(14rem, 1fr))', gap: '0 1.5rem' } as const;
type Choices = Partial<Record<MergeField, Side>>;

const show = (p: MergePreview['survivor'], f: MergeField): string => {
  const v = p.fields[f];
  if (v === null) return '(empty)';
  if (f === 'kind') return v === 'organisation' ? 'Organisation' : 'Person';
  return p.display[f] ?? v;
};

function defaults(p: MergePreview): Choices {
  return Object.fromEntries(MERGE_FIELDS.map((f) => [f, p.survivor.fields[f] === null && p.other.fields[f] !== null ? 'other' : 'survivor'])) as Choices;
}

export function MergePage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const survivorId = params.get('survivor') ?? '';
  const otherId = params.get('other') ?? '';
  const [done, setDone] = useState<MergeRecord | null>(null);
  const preview = useQuery({
    queryKey: ['dedup', 'merge-preview', survivorId, otherId],
    queryFn: () => api.get<MergePreview>(`/api/v1/constituents/${survivorId}/merge-preview`, { otherId }),
    enabled: !!survivorId && !!otherId && !done,
    retry: false,
  });

  return (
    <Page title="Merge records" lead="Keep one record with the best of both. Everything linked to the other record moves to it. You can undo a merge for 30 days.">
      {!survivorId || !otherId ? <p>Choose a pair on the <Link to="/constituents/duplicates">Duplicates</Link> page first.</p> : null}
      {done ? <MergeResult merge={done} onUndone={setDone} /> : null}
      {!done && preview.isPending && survivorId ? <p role="status">Loading both records…</p> : null}
      {!done && preview.isError ? (
        <>
          <ErrorText error={preview.error} />
          <p><Link to="/constituents/duplicates">Back to duplicates</Link></p>
        </>
      ) : null}
      {!done && preview.data ? (
        <MergeForm
          key={`${survivorId}-${otherId}`}
          preview={preview.data}
          onSwap={() => navigate(`/constituents/duplicates/merge?survivor=${otherId}&other=${survivorId}`, { replace: true })}
          onMerged={setDone}
        />
      ) : null}
    </Page>
  );
}

function MergeForm({ preview, onSwap, onMerged }: { preview: MergePreview; onSwap: () => void; onMerged: (m: MergeRecord) => void }) {
  const { survivor, other } = preview;
  const queryClient = useQueryClient();
  const [choices, setChoices] = useState<Choices>(() => defaults(preview));
  const merge = useMutation({
    mutationFn: () => api.post<MergeRecord>(`/api/v1/constituents/${survivor.id}/merge`, { otherId: other.id, fields: choices }),
    onSuccess: (m) => {
      void queryClient.invalidateQueries({ queryKey: ['dedup'] });
      void queryClient.invalidateQueries({ queryKey: ['constituents'] });
      onMerged(m);
    },
  });
  const differing = MERGE_FIELDS.filter((f) => survivor.fields[f] !== other.fields[f]);
  const same = MERGE_FIELDS.filter((f) => survivor.fields[f] === other.fields[f] && survivor.fields[f] !== null);
  const moves = preview.moves.filter((m) => m.count > 0);
  const tags = [...new Set([...survivor.tags, ...other.tags])];
  const flags = (['doNotContact', 'bulkOptOut', 'unsubscribed'] as const).filter((k) => survivor.flags[k] || other.flags[k]);
  const flagLabel = { doNotContact: 'do not contact', bulkOptOut: 'no bulk contact', unsubscribed: 'unsubscribed' };

  return (
    <form onSubmit={(e) => { e.preventDefault(); merge.mutate(); }} className="form" noValidate>
      <ErrorSummary error={merge.error} />
      <fieldset>
        <legend>Which record stays?</legend>
        <p className="hint">The other one is marked as merged and points to it.</p>
        {[survivor, other].map((r) => (
          <div key={r.id}>
            <label className="check">
              <input type="radio" name="survivor" checked={r.id === survivor.id} onChange={() => r.id !== survivor.id && onSwap()} />
              {r.displayName || 'Unnamed'}
            </label>{' '}
            <Link to={`/constituents/${r.id}`}>Open<span className="visually-hidden"> {r.displayName || 'this record'}</span></Link>
          </div>
        ))}
      </fieldset>

      <h2>Values to keep</h2>
      {differing.length === 0 ? <p>Both records have the same values.</p> : (
        <p className="hint">For each field, the value of the record that stays is on the left, the other record’s on the right.</p>
      )}
      {differing.map((f) => (
        <fieldset key={f} id={`merge-${f}`}>
          <legend>{MERGE_FIELD_LABELS[f]}</legend>
          <div style={SIDE_BY_SIDE}>
            {(['survivor', 'other'] as const).map((side) => {
              const r = side === 'survivor' ? survivor : other;
              return (
                <label key={side} className="check">
                  <input type="radio" name={`field-${f}`} value={side} checked={choices[f] === side} onChange={() => setChoices({ ...choices, [f]: side })} />
                  <span>{show(r, f)} <span className="hint">(from {r.displayName || 'Unnamed'})</span></span>
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}
      {same.length ? (
        <p>Same on both: {same.map((f) => `${MERGE_FIELD_LABELS[f]} ${show(survivor, f)}`).join('; ')}.</p>
      ) : null}

      <h2>What else happens</h2>
      <ul>
        {moves.map((m) => (
          <li key={`${m.table}-${m.label}`}>
            {m.label}: {m.count - m.duplicates} move to {survivor.displayName || 'the record that stays'}
            {m.duplicates ? `; ${m.duplicates} already on it ${m.duplicates === 1 ? 'is' : 'are'} removed (kept for undo)` : ''}
          </li>
        ))}
        {moves.length === 0 ? <li>Nothing else is linked to {other.displayName || 'the other record'}.</li> : null}
        <li>Tags of both are kept{tags.length ? `: ${tags.join(', ')}` : ''}; custom fields of both are kept (where both have one, the value of the record that stays).</li>
        <li>{flags.length ? `Contact preferences: the stricter wins (${flags.map((k) => flagLabel[k]).join(', ')}).` : 'Neither record has contact restrictions.'}</li>
      </ul>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={merge.isPending}>
          {merge.isPending ? 'Merging…' : `Merge into ${survivor.displayName || 'this record'}`}
        </button>
        <Link className="button" to="/constituents/duplicates">Cancel</Link>
      </div>
    </form>
  );
}

function MergeResult({ merge, onUndone }: { merge: MergeRecord; onUndone: (m: MergeRecord) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  useEffect(() => ref.current?.focus(), [merge.undoneAt]);
  const undo = useMutation({
    mutationFn: () => api.post<MergeRecord>(`/api/v1/merges/${merge.id}/undo`),
    onSuccess: (m) => {
      void queryClient.invalidateQueries({ queryKey: ['dedup'] });
      void queryClient.invalidateQueries({ queryKey: ['constituents'] });
      onUndone(m);
    },
  });
  const moved = Object.values(merge.moved).reduce((n, x) => n + x, 0);
  return (
    <div className="notice" role="status" tabIndex={-1} ref={ref}>
      {merge.undoneAt ? (
        <p>
          Merge undone: <Link to={`/constituents/${merge.survivor.id}`}>{merge.survivor.displayName}</Link> and{' '}
          <Link to={`/constituents/${merge.merged.id}`}>{merge.merged.displayName}</Link> are separate records again, as they were.
        </p>
      ) : (
        <>
          <p>
            Merged {merge.merged.displayName} into <Link to={`/constituents/${merge.survivor.id}`}>{merge.survivor.displayName}</Link>: {moved} linked
            {moved === 1 ? ' row' : ' rows'} moved. You can undo this until {formatDateTime(merge.undoUntil)}.
          </p>
          {undo.error ? <ErrorText error={undo.error} /> : null}
          <div className="button-row">
            <button type="button" className="button" onClick={() => undo.mutate()} disabled={undo.isPending || !merge.canUndo}>
              {undo.isPending ? 'Undoing…' : 'Undo'}<span className="visually-hidden"> the merge</span>
            </button>
            <Link className="button" to="/constituents/duplicates">Back to duplicates</Link>
          </div>
        </>
      )}
    </div>
  );
}
