// What triage found and did with one message or case, in words: the language, urgent
// content, the classifier's suggestion, how the category was set, each rule that acted, and
// the automatic reply. Also the "Urgent" notice shown above an urgent message.
import type { TriageDecision } from '../../../contract/triage.js';
import { Fact } from '../components/Fact.js';
import { languageName, percent, suggestionText, urgencyKinds } from './TriageQueries.js';
import './Triage.css';

function categoryText(c: NonNullable<TriageDecision['category']>): string {
  if (c.source === 'rule') return `${c.applied.name}, set by a rule`;
  return `${c.applied.name}, set by the classifier${c.threshold !== null ? ` (confident beyond the office's threshold of ${percent(c.threshold)})` : ''}`;
}

function replyText(r: NonNullable<TriageDecision['autoReply']>): string {
  const version = r.version !== null ? `, version ${r.version}` : '';
  const language = r.language ? `, in ${languageName(r.language)}` : '';
  // The reason may say "Not sent" itself.
  return r.sent ? `Sent: the category's approved reply${version}${language}` : `Not sent: ${r.reason.replace(/^not sent:\s*/i, '')}`;
}

function urgentText(d: TriageDecision): string {
  if (!d.urgent) return 'No';
  const kinds = urgencyKinds(d);
  const terms = [...new Set(d.urgency.map((u) => `“${u.term}”`))];
  return `Yes${kinds ? `: ${kinds}` : ''}${terms.length ? ` (found ${terms.join(', ')})` : ''}`;
}

export function TriageDecisionFacts({ decision: d }: { decision: TriageDecision }) {
  return (
    <dl className="facts">
      <Fact label="Language">{languageName(d.language)}</Fact>
      <Fact label="Urgent">{urgentText(d)}</Fact>
      <Fact label="Classifier's suggestion">{d.model ? suggestionText(d.model) : 'None: no model yet'}</Fact>
      <Fact label="Category">{d.category ? categoryText(d.category) : 'Not set automatically'}</Fact>
      <Fact label="Rules that acted">
        {d.rules.length ? (
          <ul className="triage-list">
            {d.rules.map((r) => <li key={r.id}><strong>{r.name}</strong>: {r.did.join('; ')}</li>)}
          </ul>
        ) : 'None'}
      </Fact>
      {d.spam ? <Fact label="Spam">Marked spam</Fact> : null}
      <Fact label="Automatic reply">{d.autoReply ? replyText(d.autoReply) : 'None'}</Fact>
    </dl>
  );
}

/** A prominent notice (not an alert: the page refreshes, and an alert would be read out each time). */
export function TriageUrgentNotice({ decision }: { decision: TriageDecision }) {
  const kinds = urgencyKinds(decision);
  return (
    <p className="triage-urgent">
      <span className="triage-urgent-icon" aria-hidden="true">⚠</span> <strong>Urgent</strong>
      {kinds ? <>: {kinds}</> : null}
    </p>
  );
}
