// One constituent: who they are, how to reach them and where, their household and
// relationships, what they have agreed to be contacted about, and everything that happened.
import { Link, useLocation, useParams } from 'react-router-dom';
import type { Constituent } from '../../../contract/constituents.js';
import { ApiError } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { useCan } from '../session.js';
import { ConstituentConsents } from './ConstituentConsents.js';
import { ConstituentDetails } from './ConstituentDetails.js';
import { ConstituentMap } from './ConstituentMap.js';
import { useConstituent } from './ConstituentQueries.js';
import { ConstituentRelationships } from './ConstituentRelationships.js';
import { ConstituentTimeline } from './ConstituentTimeline.js';
import './Constituent.css';

const SECTIONS = [
  ['details', 'Contact and personal details'],
  ['location', 'Location'],
  ['relationships', 'Household and relationships'],
  ['consent', 'Consent and contact preferences'],
  ['timeline', 'Timeline'],
] as const;

export function ConstituentPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  // Set by the form after saving ("Jane Smith added.").
  const notice = (location.state as { notice?: string } | null)?.notice ?? '';
  const query = useConstituent(id);
  const c = query.data;
  const isMissing = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
  // The same <Page> renders while loading and after, so the focused h1 stays the same element.
  return (
    <Page title={c ? c.displayName || 'Unnamed constituent' : isMissing ? 'Constituent not found' : 'Constituent'}>
      <StatusMessage>{notice}</StatusMessage>
      {query.isPending ? <p role="status">Loading constituent…</p> : null}
      {isMissing ? (
        <p>
          There is no constituent with this address in your office. <Link to="/constituents">Search constituents</Link>.
        </p>
      ) : query.isError ? (
        <ErrorText error={query.error} />
      ) : null}
      {c ? <ConstituentBody key={c.id} c={c} /> : null}
    </Page>
  );
}

function ConstituentBody({ c }: { c: Constituent }) {
  const can = useCan();
  const canWrite = can('constituent.write') && c.status === 'active';
  return (
    <>
      <div className="constituent-header">
        <ul className="inline-list" aria-label="Record">
          <li><span className="badge badge-info badge-plain">{c.kind === 'organisation' ? 'Organisation' : 'Person'}</span></li>
          {c.doNotContact ? <li><span className="badge badge-disabled">Do not contact</span></li> : null}
          {c.bulkOptOut ? <li><span className="badge badge-warn">Opted out of bulk contact</span></li> : null}
          {c.unsubscribed ? <li><span className="badge badge-warn">Unsubscribed</span></li> : null}
          {c.status === 'merged' ? <li><span className="badge badge-disabled">Merged</span></li> : null}
        </ul>
        <ul className="inline-list" aria-label="Actions">
          {can('case.read') ? (
            <li>
              <Link className="button" to={`/cases?constituent=${c.id}`}>
                Cases<span className="visually-hidden"> of {c.displayName}</span>
              </Link>
            </li>
          ) : null}
          {canWrite ? (
            <li>
              <Link className="button button-primary" to={`/constituents/${c.id}/edit`}>
                Edit<span className="visually-hidden"> {c.displayName}</span>
              </Link>
            </li>
          ) : null}
        </ul>
      </div>
      {c.status === 'merged' && c.mergedIntoId ? <MergedNotice survivorId={c.mergedIntoId} /> : null}
      <nav aria-label="On this page" className="page-toc">
        <ul className="inline-list">
          {SECTIONS.map(([anchor, label]) => (
            <li key={anchor}><a href={`#${anchor}`}>{label}</a></li>
          ))}
        </ul>
      </nav>
      <ConstituentDetails c={c} />
      <ConstituentMap c={c} />
      <ConstituentRelationships c={c} canWrite={canWrite} />
      <ConstituentConsents c={c} canWrite={canWrite} />
      <ConstituentTimeline c={c} canWrite={canWrite} />
    </>
  );
}

/** A merged record stays readable for 30 days (so the merge can be undone); point to the survivor. */
function MergedNotice({ survivorId }: { survivorId: string }) {
  const survivor = useConstituent(survivorId);
  return (
    <div className="notice notice-warn" role="note">
      <p>
        This record was merged into{' '}
        <Link to={`/constituents/${survivorId}`}>{survivor.data ? survivor.data.displayName : 'the surviving record'}</Link>
        . Make changes there; this copy is kept only so the merge can be undone.
      </p>
    </div>
  );
}
