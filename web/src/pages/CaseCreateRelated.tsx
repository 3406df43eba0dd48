// On the create form: open cases that may be the same problem (same category near the
// address, recent) or the same person's, so staff can add to one instead of opening another.
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue } from 'react';
import { Link } from 'react-router-dom';
import type { RelatedCases } from '../../../contract/case-links.js';
import { api } from '../api/client.js';

export function CaseCreateRelated({ categoryId, address, constituentId }: { categoryId: string; address: string; constituentId: string | null }) {
  const q = useDeferredValue({ categoryId, address: address.trim(), constituentId });
  const isAsking = Boolean((q.categoryId && q.address) || q.constituentId);
  const related = useQuery({
    queryKey: ['cases', 'related', q],
    enabled: isAsking,
    queryFn: () => api.get<RelatedCases>('/api/v1/cases/related', { categoryId: q.categoryId || undefined, address: q.address || undefined, constituentId: q.constituentId ?? undefined }),
    staleTime: 30_000,
  });
  const nearby = related.data?.nearby ?? [];
  const samePeople = related.data?.samePeople ?? [];
  const count = isAsking ? new Set([...nearby, ...samePeople].map((c) => c.id)).size : 0;
  // The live region stays in the page (one added together with its text is often not read
  // out) and says briefly what appeared; the list itself is an ordinary region.
  return (
    <>
      <p role="status" className="visually-hidden">
        {count ? `${count === 1 ? 'One open case' : `${count} open cases`} may be about the same problem: see “Already open”.` : ''}
      </p>
      {count ? <RelatedList related={related.data!} /> : null}
    </>
  );
}

function RelatedList({ related }: { related: RelatedCases }) {
  const { nearby, samePeople } = related;
  return (
    <section aria-labelledby="create-related" className="card">
      <h2 id="create-related">Already open</h2>
      {nearby.length ? (
        <>
          <p>Open cases of this category within {related.radiusM} m, opened in the last {related.windowDays} days:</p>
          <ul>{nearby.map((c) => <li key={c.id}><Link to={`/cases/${c.id}`}>{c.reference}</Link> {c.subject} ({Math.round(c.distanceM)} m away)</li>)}</ul>
        </>
      ) : null}
      {samePeople.length ? (
        <>
          <p>Other open cases of this person:</p>
          <ul>{samePeople.map((c) => <li key={c.id}><Link to={`/cases/${c.id}`}>{c.reference}</Link> {c.subject}</li>)}</ul>
        </>
      ) : null}
    </section>
  );
}
