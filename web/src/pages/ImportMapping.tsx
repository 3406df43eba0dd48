// Step 2 of the import wizard: say which field each column fills (guessed from its name, or
// as in the last import), with the first rows of the file beside it, and the file's date
// format, separators and (when it is not UTF-8) encoding.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ImportEncoding, ImportMappingInput, ImportUploaded } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextField } from '../components/FormFields.js';
import { EXTERNAL_ID, fieldGroups, initialChoices, targetOf, type ColumnChoice } from './ImportFields.js';
import { useCustomFields } from './ConstituentQueries.js';

const DATE_FORMATS = ['', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD-MM-YYYY'];
const ENCODINGS: { value: ImportEncoding; label: string }[] = [
  { value: 'windows-1252', label: 'Windows (western European, windows-1252)' },
  { value: 'latin1', label: 'ISO 8859-1 (latin1)' },
  { value: 'utf8', label: 'UTF-8' },
  { value: 'utf16le', label: 'UTF-16 (little-endian)' },
  { value: 'utf16be', label: 'UTF-16 (big-endian)' },
];
const selectId = (i: number) => `import-column-${i}`;

export function ImportMapping({ upload, previous, onStarted }: { upload: ImportUploaded; previous: ImportMappingInput | null; onStarted: () => void }) {
  const fields = useCustomFields();
  const [choices, setChoices] = useState<ColumnChoice[]>(() => initialChoices(upload.headers, previous));
  const [dateFormat, setDateFormat] = useState(previous?.dateFormat ?? '');
  const [tagSeparator, setTagSeparator] = useState(previous?.tagSeparator ?? ';');
  const [encoding, setEncoding] = useState<ImportEncoding | ''>(upload.encoding ?? '');
  const start = useMutation({
    mutationFn: () => {
      const mapping: ImportMappingInput = {
        columns: Object.fromEntries(upload.headers.map((h, i) => [h, targetOf(choices[i]!)])),
        tagSeparator, choiceSeparator: tagSeparator, ...(dateFormat ? { dateFormat } : {}),
      };
      return api.post<void>(`/api/v1/imports/${upload.id}/start`, { mapping, ...(encoding && encoding !== upload.encoding ? { encoding } : {}) });
    },
    onSuccess: onStarted,
  });
  const errors = fieldErrorsOf(start.error);
  const groups = fieldGroups(fields.data ?? []);
  const set = (i: number, patch: Partial<ColumnChoice>) => setChoices((cs) => cs.map((c, k) => (k === i ? { ...c, ...patch } : c)));
  const summaryFields = Object.fromEntries([
    ...upload.headers.map((h, i) => [`mapping.columns.${h}`, { id: selectId(i), label: `Column “${h}”` }] as const),
    ['mapping.columns', { id: selectId(0), label: 'Columns' }] as const,
    ['encoding', { id: 'import-encoding', label: 'Encoding' }] as const,
    ['mapping.dateFormat', { id: 'import-date-format', label: 'Dates' }] as const,
  ]);

  function submit(e: FormEvent) {
    e.preventDefault();
    start.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary error={start.error} fields={summaryFields} />
      {upload.encodingProblem ? <p className="import-warning">{upload.encodingProblem}</p> : null}
      <div className="import-options">
        {upload.encodingProblem || upload.encoding !== 'utf8' ? (
          <SelectField id="import-encoding" label="Encoding" value={encoding} onChange={(e) => setEncoding(e.target.value as ImportEncoding)} error={errors.encoding}>
            <option value="">Choose the encoding</option>
            {ENCODINGS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </SelectField>
        ) : null}
        <SelectField id="import-date-format" label="Dates are written as" hint="YYYY-MM-DD is always understood" value={dateFormat} onChange={(e) => setDateFormat(e.target.value)} error={errors['mapping.dateFormat']}>
          {DATE_FORMATS.map((f) => <option key={f} value={f}>{f || 'YYYY-MM-DD only'}</option>)}
        </SelectField>
        <TextField id="import-tag-separator" label="Between tags in one cell" value={tagSeparator} maxLength={5} onChange={(e) => setTagSeparator(e.target.value)} error={errors['mapping.tagSeparator']} />
      </div>
      <div className="table-wrap">
        <table className="table import-columns">
          <caption>Columns of {upload.fileName} and the field each one fills</caption>
          <thead>
            <tr><th scope="col">Column</th><th scope="col">First rows</th><th scope="col">Field</th></tr>
          </thead>
          <tbody>
            {upload.headers.map((h, i) => (
              <tr key={`${i}-${h}`}>
                <th scope="row">{h || `(column ${i + 1})`}</th>
                <td className="import-sample">{upload.sample.slice(0, 3).map((r, k) => <span key={k} className="block">{r[i] || '—'}</span>)}</td>
                <td>
                  <SelectField id={selectId(i)} label={<span className="visually-hidden">Field for column “{h}”</span>} value={choices[i]!.target} onChange={(e) => set(i, { target: e.target.value })} error={errors[`mapping.columns.${h}`]}>
                    <option value="ignore">Ignore this column</option>
                    {groups.map((g) => (
                      <optgroup key={g.label} label={g.label}>
                        {g.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                      </optgroup>
                    ))}
                  </SelectField>
                  {choices[i]!.target === EXTERNAL_ID ? (
                    <TextField id={`${selectId(i)}-system`} label={<>System <span className="visually-hidden">of column “{h}”</span></>} hint="Such as voter_file: rows with an id already on record update that record" value={choices[i]!.system} onChange={(e) => set(i, { system: e.target.value })} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={start.isPending}>{start.isPending ? 'Starting…' : 'Start the import'}</button>
      </div>
    </form>
  );
}
