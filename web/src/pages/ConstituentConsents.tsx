// Consent and contact preferences: the three flags (each changed only after confirming), the
// decision in force for every channel and purpose, the ledger of statements, and a form to
// record a new statement with its source and evidence.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { CHANNELS, PURPOSES, type Constituent, type ZConsentOverview } from '../../../contract/constituents.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { StatusMessage } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { ConstituentConsentForm } from './ConstituentConsentForm.js';
import { CHANNEL_LABELS, constituentKeys, PURPOSE_LABELS, SOURCE_LABELS } from './ConstituentQueries.js';

type Overview = z.infer<typeof ZConsentOverview>;
type Flag = keyof Overview['flags'];

const FLAGS: { flag: Flag; label: string; meaning: string }[] = [
  { flag: 'doNotContact', label: 'Do not contact', meaning: 'No contact at all, on any channel, for any purpose.' },
  { flag: 'bulkOptOut', label: 'Opted out of bulk contact', meaning: 'No newsletters, outreach or surveys sent in bulk. Replies to their own cases still go out.' },
  { flag: 'unsubscribed', label: 'Unsubscribed', meaning: 'Off the office’s mailing list.' },
];
const flagInfo = (flag: Flag) => FLAGS.find((f) => f.flag === flag)!;

export function ConstituentConsents({ c, canWrite }: { c: Constituent; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const overview = useQuery({ queryKey: constituentKeys.consents(c.id), queryFn: () => api.get<Overview>(`/api/v1/constituents/${c.id}/consents`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: constituentKeys.one(c.id) });
  const toggle = useConfirmedAction({
    mutationFn: ({ flag, value }: { flag: Flag; value: boolean }) => api.patch<Constituent>(`/api/v1/constituents/${c.id}`, { [flag]: value }),
    onSuccess: (_r, { flag, value }) => {
      const { label } = flagInfo(flag);
      setStatus(value ? `“${label}” is now set.` : `“${label}” is now cleared.`);
      void refresh();
    },
  });
  const flags = overview.data?.flags ?? { doNotContact: c.doNotContact, bulkOptOut: c.bulkOptOut, unsubscribed: c.unsubscribed };

  return (
    <section aria-labelledby="consent" className="constituent-section">
      <h2 id="consent" tabIndex={-1}>Consent and contact preferences</h2>
      <StatusMessage>{status}</StatusMessage>
      <h3>Contact flags</h3>
      <ul className="flag-list">
        {FLAGS.map(({ flag, label, meaning }) => (
          <li key={flag}>
            <p className="flag-state">
              <strong>{label}:</strong> {flags[flag] ? 'set' : 'not set'}
              <span className="hint block">{meaning}</span>
            </p>
            {canWrite ? (
              <button type="button" className="button button-small" onClick={() => toggle.ask({ flag, value: !flags[flag] })}>
                {flags[flag] ? 'Clear' : 'Set'} “{label}”
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <QueryStatus query={overview} loading="Loading consent…" />
      {overview.data ? <DecisionGrid current={overview.data.current} /> : null}
      {canWrite ? (
        <ConstituentConsentForm
          constituentId={c.id}
          onRecorded={(message) => {
            setStatus(message);
            void refresh();
          }}
        />
      ) : null}
      {overview.data ? <History history={overview.data.history} /> : null}
      {toggle.target ? (
        <ConfirmDialog
          title={`${toggle.target.value ? 'Set' : 'Clear'} “${flagInfo(toggle.target.flag).label}” for ${c.displayName}?`}
          confirmLabel={toggle.target.value ? 'Set flag' : 'Clear flag'}
          isDanger={toggle.target.value}
          {...toggle.confirmProps}
        >
          <p>{flagInfo(toggle.target.flag).meaning}</p>
          <p>The change is recorded in the timeline with your name.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function DecisionGrid({ current }: { current: Overview['current'] }) {
  const cell = (channel: string, purpose: string) => current.find((x) => x.channel === channel && x.purpose === purpose);
  return (
    <DataTable id="consent-grid" caption="May the office contact them? By channel (rows) and purpose (columns)" columns={['Channel', ...PURPOSES.map((p) => PURPOSE_LABELS[p])]} className="table table-compact consent-grid">
      {CHANNELS.map((channel) => (
        <tr key={channel}>
          <th scope="row">{CHANNEL_LABELS[channel]}</th>
          {PURPOSES.map((purpose) => {
            const d = cell(channel, purpose)?.decision;
            return (
              <td key={purpose} data-channel={channel} data-purpose={purpose}>
                {d ? (
                  <>
                    <span className={d.allowed ? 'badge badge-active' : 'badge badge-disabled'}>{d.allowed ? 'Allowed' : 'Not allowed'}</span>
                    <span className="hint block">{d.detail}</span>
                  </>
                ) : '—'}
              </td>
            );
          })}
        </tr>
      ))}
    </DataTable>
  );
}

function History({ history }: { history: Overview['history'] }) {
  return (
    <>
      <h3>Consent history</h3>
      {history.length ? (
        <DataTable id="consent-history" caption="Consent statements, newest first" columns={['Effective', 'Channel', 'Purpose', 'Statement', 'Source', 'Evidence', 'Recorded by']} className="table table-compact">
          {history.map((h) => (
            <tr key={h.id}>
              <td className="nowrap">{formatDateTime(h.effectiveAt)}</td>
              <td>{CHANNEL_LABELS[h.channel]}</td>
              <td>{PURPOSE_LABELS[h.purpose]}</td>
              <td><span className={h.status === 'granted' ? 'badge badge-active' : 'badge badge-disabled'}>{h.status === 'granted' ? 'Granted' : 'Withdrawn'}</span></td>
              <td>{SOURCE_LABELS[h.source] ?? h.source}</td>
              <td className="break">{h.evidence || '—'}</td>
              <td>
                {h.recordedBy}
                <span className="hint block">{formatDateTime(h.recordedAt)}</span>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="hint">No consent statements recorded yet.</p>
      )}
    </>
  );
}
