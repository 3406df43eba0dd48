// The case page's "Triage" section: why the case (and each message filed on it) was
// categorised, prioritised, assigned or answered automatically. Collapsed until asked for;
// absent when triage never looked at the case.
import { formatDateTime } from '../format.js';
import { TriageDecisionFacts } from './TriageDecisionFacts.js';
import { useCaseTriage } from './TriageQueries.js';

export function CaseTriage({ caseId }: { caseId: string }) {
  const triage = useCaseTriage(caseId);
  const decisions = triage.data ?? [];
  if (!decisions.length) return null;
  return (
    <section aria-labelledby="case-triage" className="case-panel">
      <h2 id="case-triage">Triage</h2>
      <details>
        <summary>Why it was categorised, prioritised or answered automatically</summary>
        {decisions.map((d) => (
          <div key={d.id}>
            <h3>Triaged on <time dateTime={d.createdAt}>{formatDateTime(d.createdAt)}</time></h3>
            <TriageDecisionFacts decision={d} />
          </div>
        ))}
      </details>
    </section>
  );
}
