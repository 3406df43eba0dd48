// The address register: upload a CSV of addresses with coordinates (sent as text/csv and
// streamed by the server), then see what was created, updated or rejected and why.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RegisterImportResult } from '../../../contract/index.js';
import { ApiError, upload } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, FieldError, SelectField } from '../components/FormFields.js';

const SHOWN_ERRORS = 200;

export function AddressRegisterSection({ registerSize, onImported }: { registerSize: number | undefined; onImported: () => void }) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [encoding, setEncoding] = useState('');
  const [missingFile, setMissingFile] = useState(false);
  const resultRef = useRef<HTMLElement>(null);
  const importCsv = useMutation({
    mutationFn: (file: File) => upload<RegisterImportResult>('/api/v1/geo/register/import', file, { contentType: 'text/csv', query: { encoding } }),
    onSuccess: onImported,
  });
  const r = importCsv.data;
  useEffect(() => {
    if (r) resultRef.current?.focus();
  }, [r]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    setMissingFile(!file);
    if (file) importCsv.mutate(file);
  }

  const fileError = missingFile ? 'Choose a CSV file to import.' : importCsv.error instanceof ApiError && importCsv.error.problem.field === 'header' ? importCsv.error.message : undefined;
  return (
    <section aria-labelledby="register-heading" className="card">
      <h2 id="register-heading">Address register</h2>
      <p>
        Addresses with coordinates, used to find coordinates for constituents&apos; addresses and to suggest addresses as staff type.
        {registerSize !== undefined ? ` The register holds ${registerSize.toLocaleString('en-GB')} addresses.` : ''}
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={importCsv.error} fields={{ header: { id: 'register-file', label: 'CSV file' }, encoding: { id: 'register-encoding', label: 'Character set' } }} />
        <div className={fileError ? 'field field-invalid' : 'field'}>
          <label htmlFor="register-file">CSV file</label>
          <p id="register-file-hint" className="hint">
            A header row naming the columns line1, line2, locality, postcode, lat, lng and optionally external_id (UPRN); other names such as address_1, zip, latitude and longitude are understood.
          </p>
          {fileError ? <FieldError id="register-file-error">{fileError}</FieldError> : null}
          <input id="register-file" ref={fileRef} type="file" accept=".csv,text/csv" aria-describedby={fileError ? 'register-file-hint register-file-error' : 'register-file-hint'} aria-invalid={fileError ? true : undefined} />
        </div>
        <SelectField id="register-encoding" label="Character set" value={encoding} onChange={(e) => setEncoding(e.target.value)}>
          <option value="">UTF-8 (most files)</option>
          <option value="windows-1252">Windows-1252 (older Excel exports)</option>
          <option value="utf-16le">UTF-16</option>
        </SelectField>
        <FormActions label="Import register" busyLabel="Importing…" isBusy={importCsv.isPending} />
      </form>
      {r ? (
        <section className="card" aria-labelledby="register-result-heading" tabIndex={-1} ref={resultRef}>
          <h3 id="register-result-heading">Register imported</h3>
          <p>
            {r.rows.toLocaleString('en-GB')} rows: {r.created.toLocaleString('en-GB')} created, {r.updated.toLocaleString('en-GB')} updated,{' '}
            {r.unchanged.toLocaleString('en-GB')} unchanged, {r.rejected.toLocaleString('en-GB')} rejected.
          </p>
          {r.ignoredColumns.length ? <p className="hint">Columns ignored: {r.ignoredColumns.join(', ')}.</p> : null}
          {r.errors.length ? (
            <DataTable id="register-errors" caption={`Rejected rows${r.errors.length > SHOWN_ERRORS ? ` (first ${SHOWN_ERRORS} problems of ${r.errors.length})` : ''}`} className="table table-compact" wrapClassName="table-wrap table-wrap-tall" columns={['Row', 'Column', 'Problem']}>
              {r.errors.slice(0, SHOWN_ERRORS).map((e, k) => (
                <tr key={`${e.row}-${e.column}-${k}`}>
                  <td>{e.row}</td>
                  <td>{e.column}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
