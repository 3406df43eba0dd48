// The case page: header (reference, subject, status, priority, sensitive flag, assignee,
// team, SLA clock), the actions (change status, assign) with keyboard shortcuts, why triage
// handled it as it did, the people on the case, its watchers and its timeline.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import type { Case } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { StatusMessage } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useShortcuts, type Shortcut } from '../hooks/useShortcuts.js';
import { useCan } from '../session.js';
import { CaseAttachments } from './CaseAttachments.js';
import { CaseAssignDialog } from './CaseAssignDialog.js';
import { CaseAutoAssignButton } from './CaseAutoAssignButton.js';
import { CaseEditDialog } from './CaseEditDialog.js';
import { CaseLinksPanel } from './CaseLinksPanel.js';
import { CaseMessages } from './CaseMessages.js';
import { CaseNotes } from './CaseNotes.js';
import { CaseReferrals } from './CaseReferrals.js';
import { CaseConstituents, CaseWatchers } from './CasePeople.js';
import { caseKeys, categoryLabel, CHANNEL_LABELS, PRIORITY_LABELS } from './CaseQueries.js';
import { CaseSlaClock } from './CaseSlaClock.js';
import { CaseStatusDialog } from './CaseStatusDialog.js';
import { CaseTasks } from './CaseTasks.js';
import { CaseTimeline } from './CaseTimeline.js';
import { CaseTriage } from './CaseTriage.js';
import './Case.css';

type Dialog = 'status' | 'assign' | 'edit' | 'help' | null;

export function CasePage() {
  const { id = '' } = useParams();
  const kase = useQuery({ queryKey: caseKeys.one(id), queryFn: () => api.get<Case>(`/api/v1/cases/${id}`) });
  if (!kase.data) {
    return (
      <Page title="Case">
        <QueryStatus query={kase} loading="Loading the case…" />
        <p><Link to="/cases">Back to cases</Link></p>
      </Page>
    );
  }
  return <CaseView kase={kase.data} />;
}

function CaseView({ kase }: { kase: Case }) {
  const can = useCan();
  const [dialog, setDialog] = useState<Dialog>(null);
  const arrived = useLocation().state as { notice?: string } | null;
  const [notice, setNotice] = useState(arrived?.notice ?? '');
  const canWrite = can('case.write');
  const canAssign = can('case.assign');
  const shortcuts: Shortcut[] = [
    ...(canWrite ? [{ key: 's', label: 'Change the status', run: () => setDialog('status') }] : []),
    ...(canAssign ? [{ key: 'a', label: 'Assign or reassign', run: () => setDialog('assign') }] : []),
    ...(canWrite ? [{ key: 'e', label: 'Edit the case', run: () => setDialog('edit') }] : []),
    { key: 't', label: 'Go to the timeline', run: () => document.getElementById('case-timeline')?.focus() },
    { key: '?', label: 'Show these shortcuts', run: () => setDialog('help') },
  ];
  useShortcuts(shortcuts);
  const isResolved = kase.status.category === 'resolved' || kase.status.category === 'closed';

  return (
    <Page title={`${kase.reference}: ${kase.subject}`}>
      <p className="case-badges">
        <span className={`badge status-${kase.status.category}`}>Status: {kase.status.label}</span>
        <span className={`badge priority-${kase.priority}`}>Priority: {PRIORITY_LABELS[kase.priority]}</span>
        {kase.isSensitive ? <span className="badge badge-sensitive">Sensitive</span> : null}
        {kase.isOverdue ? <span className="badge badge-disabled">Overdue</span> : null}
      </p>
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      <div className="button-row case-toolbar">
        {canWrite ? (
          <button type="button" className="button button-primary" onClick={() => setDialog('status')} aria-keyshortcuts="s">
            Change status
          </button>
        ) : null}
        {canAssign ? (
          <button type="button" className="button" onClick={() => setDialog('assign')} aria-keyshortcuts="a">
            {kase.assignee || kase.team ? 'Reassign' : 'Assign'}
          </button>
        ) : null}
        {canWrite ? (
          <button type="button" className="button" onClick={() => setDialog('edit')} aria-keyshortcuts="e">
            Edit
          </button>
        ) : null}
        {canAssign ? <CaseAutoAssignButton caseId={kase.id} onDone={setNotice} /> : null}
        <button type="button" className="button button-link" onClick={() => setDialog('help')} aria-keyshortcuts="?">
          Keyboard shortcuts
        </button>
      </div>

      <dl className="facts case-facts">
        <div><dt>Assignee</dt><dd>{kase.assignee?.name ?? 'Unassigned'}</dd></div>
        <div><dt>Team</dt><dd>{kase.team?.name ?? '—'}</dd></div>
        <div><dt>Category</dt><dd>{kase.category ? categoryLabel(kase.category) : '—'}</dd></div>
        <div><dt>Channel</dt><dd>{CHANNEL_LABELS[kase.channel]}</dd></div>
        <div><dt>Opened</dt><dd>{formatDateTime(kase.createdAt)}</dd></div>
        <div><dt>Last updated</dt><dd>{formatDateTime(kase.updatedAt)}</dd></div>
        {kase.ward ? <div><dt>Ward</dt><dd>{kase.ward.name}</dd></div> : null}
        {kase.location.address || kase.location.lat !== null ? (
          <div>
            <dt>Location</dt>
            <dd>{[kase.location.address, kase.location.lat !== null ? `${kase.location.lat}, ${kase.location.lng}` : null].filter(Boolean).join(' · ')}</dd>
          </div>
        ) : null}
        {kase.tags.length ? <div><dt>Tags</dt><dd>{kase.tags.join(', ')}</dd></div> : null}
      </dl>
      <CaseSlaClock sla={kase.sla} isResolved={isResolved} />
      {kase.resolution ? (
        <section aria-labelledby="case-resolution" className="case-panel">
          <h2 id="case-resolution">Resolution: {kase.resolution.label}</h2>
          <p>{kase.resolution.summary}</p>
        </section>
      ) : null}
      {kase.description ? (
        <section aria-labelledby="case-description" className="case-panel">
          <h2 id="case-description">Description</h2>
          <p className="pre-wrap">{kase.description}</p>
        </section>
      ) : null}

      <CaseTriage caseId={kase.id} />
      <CaseLinksPanel kase={kase} />
      <CaseMessages kase={kase} />
      <CaseTasks caseId={kase.id} />
      <CaseNotes caseId={kase.id} isSensitive={kase.isSensitive} />
      <CaseAttachments caseId={kase.id} />
      <CaseReferrals kase={kase} />
      <div className="case-columns">
        <div>
          <CaseConstituents kase={kase} />
          <CaseWatchers kase={kase} />
        </div>
        <CaseTimeline caseId={kase.id} />
      </div>
      <p><Link to="/cases">Back to cases</Link></p>

      {dialog === 'status' ? (
        <CaseStatusDialog kase={kase} onClose={() => setDialog(null)} onDone={(c) => { setDialog(null); setNotice(`Status changed to ${c.status.label}.`); }} />
      ) : null}
      {dialog === 'assign' ? (
        <CaseAssignDialog
          kase={kase}
          onClose={() => setDialog(null)}
          onDone={(c) => { setDialog(null); setNotice(c.assignee ? `Assigned to ${c.assignee.name}.` : c.team ? `Assigned to ${c.team.name}.` : 'The case is unassigned.'); }}
        />
      ) : null}
      {dialog === 'edit' ? (
        <CaseEditDialog kase={kase} onClose={() => setDialog(null)} onDone={() => { setDialog(null); setNotice('Changes saved.'); }} />
      ) : null}
      {dialog === 'help' ? (
        <Modal title="Keyboard shortcuts" onClose={() => setDialog(null)}>
          <p>Press these keys anywhere on the case page, except while typing in a field.</p>
          <dl className="shortcut-list">
            {shortcuts.map((s) => (
              <div key={s.key}><dt><kbd>{s.key}</kbd></dt><dd>{s.label}</dd></div>
            ))}
          </dl>
          <div className="button-row"><button type="button" className="button" onClick={() => setDialog(null)}>Close</button></div>
        </Modal>
      ) : null}
    </Page>
  );
}
