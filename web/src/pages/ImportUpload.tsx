// Step 1 of the import wizard: choose a CSV file and upload it, with a progress bar. The
// file goes up as the raw request body (upload() with progress events).
import { useState, type FormEvent } from 'react';
import type { Import, ImportUploaded } from '../../../contract/index.js';
import { api, upload } from '../api/client.js';
import { ErrorSummary, FieldError } from '../components/FormFields.js';

const percent = (done: number, total: number) => (total > 0 ? Math.round((done / total) * 100) : 0);

export function ImportUpload({ onUploaded }: { onUploaded: (u: ImportUploaded) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!file) {
      setFileError('Choose the CSV file to import');
      return;
    }
    setFileError(undefined);
    setProgress({ done: 0, total: file.size });
    try {
      const created = await api.post<Import>('/api/v1/imports', { fileName: file.name.slice(0, 255) });
      onUploaded(
        await upload<ImportUploaded>(`/api/v1/imports/${created.id}/file`, file, { method: 'PUT', contentType: 'text/csv', onProgress: (done, total) => setProgress({ done, total }) }),
      );
    } catch (err) {
      setError(err);
      setProgress(null);
    }
  }

  const isUploading = progress !== null;
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      <ErrorSummary error={error} />
      <div className={fileError ? 'field field-invalid' : 'field'}>
        <label htmlFor="import-file">CSV file</label>
        <p id="import-file-hint" className="hint">
          A header row first, then one person or organisation per row. Files saved by Excel work too; you can choose their encoding in the next step.
        </p>
        {fileError ? <FieldError id="import-file-error">{fileError}</FieldError> : null}
        <input
          id="import-file" type="file" accept=".csv,text/csv" disabled={isUploading}
          aria-describedby={`import-file-hint${fileError ? ' import-file-error' : ''}`} aria-invalid={fileError ? true : undefined}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      {progress ? (
        <div className="import-progress">
          <label htmlFor="import-upload-progress">Uploading {file?.name}</label>
          <progress id="import-upload-progress" max={progress.total || 1} value={progress.done} />
          {/* announced in steps of 10%, not on every progress event */}
          <p role="status">{Math.floor(percent(progress.done, progress.total) / 10) * 10}% uploaded</p>
        </div>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isUploading}>
          {isUploading ? 'Uploading…' : 'Upload'}
        </button>
      </div>
    </form>
  );
}
