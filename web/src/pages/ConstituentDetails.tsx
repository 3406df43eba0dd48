// The record's facts: contact points (each with its type, primary flag and status), personal
// details, custom fields, tags and external ids.
import type { Constituent, CustomFieldDefinition } from '../../../contract/constituents.js';
import { DataTable } from '../components/DataTable.js';
import { Fact } from '../components/Fact.js';
import { formatDateTime } from '../format.js';
import { addressLine, CHANNEL_LABELS, formatDate, humanize, useCustomFields } from './ConstituentQueries.js';

function Status({ status }: { status: string }) {
  return <span className={status === 'valid' ? 'badge badge-active' : 'badge badge-disabled'}>{humanize(status)}</span>;
}

function Primary({ isPrimary }: { isPrimary: boolean }) {
  return isPrimary ? <span className="badge badge-info badge-plain">Primary</span> : <span className="hint">No</span>;
}

export function ConstituentDetails({ c }: { c: Constituent }) {
  return (
    <section aria-labelledby="details" className="constituent-section">
      <h2 id="details" tabIndex={-1}>Contact and personal details</h2>
      <ContactPoints c={c} />
      <h3>Personal details</h3>
      <dl className="facts">
        {c.kind === 'organisation' ? (
          <Fact label="Organisation name">{c.organisationName}</Fact>
        ) : (
          <>
            <Fact label="Given name">{c.givenName}</Fact>
            <Fact label="Family name">{c.familyName}</Fact>
            <Fact label="Preferred name">{c.preferredName}</Fact>
            <Fact label="Date of birth">{c.dateOfBirth ? formatDate(c.dateOfBirth) : null}</Fact>
          </>
        )}
        <Fact label="Preferred channel">{c.preferredChannel ? CHANNEL_LABELS[c.preferredChannel] : null}</Fact>
        <Fact label="Preferred language">{c.preferredLanguage}</Fact>
        <Fact label="Added">{formatDateTime(c.createdAt)}</Fact>
        <Fact label="Last changed">{formatDateTime(c.updatedAt)}</Fact>
      </dl>
      <CustomFieldValues c={c} />
      <h3>Tags</h3>
      {c.tags.length ? (
        <ul className="inline-list tag-list">{c.tags.map((t) => <li key={t} className="tag">{t}</li>)}</ul>
      ) : (
        <p className="hint">No tags.</p>
      )}
      <h3>External ids</h3>
      {c.externalIds.length ? (
        <dl className="facts">
          {c.externalIds.map((x) => <Fact key={`${x.system}:${x.value}`} label={humanize(x.system)}><span className="mono">{x.value}</span></Fact>)}
        </dl>
      ) : (
        <p className="hint">No external ids.</p>
      )}
    </section>
  );
}

function ContactPoints({ c }: { c: Constituent }) {
  if (!c.emails.length && !c.phones.length && !c.addresses.length) return <p>No email addresses, phone numbers or postal addresses on record.</p>;
  return (
    <>
      {c.emails.length ? (
        <DataTable id="c-emails" caption="Email addresses" columns={['Email', 'Type', 'Primary', 'Status']} className="table table-compact">
          {c.emails.map((e) => (
            <tr key={e.id}>
              <td className="nowrap"><a href={`mailto:${e.email}`}>{e.email}</a></td>
              <td>{humanize(e.type)}</td>
              <td><Primary isPrimary={e.isPrimary} /></td>
              <td><Status status={e.status} /></td>
            </tr>
          ))}
        </DataTable>
      ) : <p className="hint">No email addresses.</p>}
      {c.phones.length ? (
        <DataTable id="c-phones" caption="Phone numbers" columns={['Number', 'Type', 'Primary', 'Status']} className="table table-compact">
          {c.phones.map((p) => (
            <tr key={p.id}>
              <td className="nowrap"><a href={`tel:${p.number}`}>{p.display || p.number}</a></td>
              <td>{humanize(p.type)}</td>
              <td><Primary isPrimary={p.isPrimary} /></td>
              <td><Status status={p.status} /></td>
            </tr>
          ))}
        </DataTable>
      ) : <p className="hint">No phone numbers.</p>}
      {c.addresses.length ? (
        <DataTable id="c-addresses" caption="Postal addresses" columns={['Address', 'Type', 'Primary', 'Status', 'Areas']} className="table table-compact">
          {c.addresses.map((a) => (
            <tr key={a.id}>
              <td>
                {addressLine(a)}
                {a.country ? <span className="hint block">{a.country}</span> : null}
                {a.lat == null ? <span className="hint block">No coordinates yet</span> : null}
              </td>
              <td>{humanize(a.type)}</td>
              <td><Primary isPrimary={a.isPrimary} /></td>
              <td><Status status={a.status} /></td>
              <td>{a.areas.length ? a.areas.map((ar) => `${humanize(ar.layer)}: ${ar.name}`).join('; ') : '—'}</td>
            </tr>
          ))}
        </DataTable>
      ) : <p className="hint">No postal addresses.</p>}
    </>
  );
}

function customValue(def: CustomFieldDefinition | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (def?.type === 'date' && typeof value === 'string') return formatDate(value);
  return String(value);
}

function CustomFieldValues({ c }: { c: Constituent }) {
  const defs = useCustomFields();
  const known = (defs.data ?? []).filter((d) => !d.retired || c.customFields[d.key] != null);
  const unknownKeys = Object.keys(c.customFields).filter((k) => !known.some((d) => d.key === k));
  if (!known.length && !unknownKeys.length) return null;
  return (
    <>
      <h3>Custom fields</h3>
      <dl className="facts">
        {known.map((d) => <Fact key={d.key} label={d.retired ? `${d.label} (retired)` : d.label}>{customValue(d, c.customFields[d.key])}</Fact>)}
        {unknownKeys.map((k) => <Fact key={k} label={k}>{customValue(undefined, c.customFields[k])}</Fact>)}
      </dl>
    </>
  );
}
