// Upload of a boundary layer: a GeoJSON file, the layer's name, and which feature
// properties hold each boundary's code and name (offered from the file itself). The server
// checks every feature; its problems are listed by feature, each linking back to the file.
import { useState } from 'react';
import { ZImportBoundaries, type ImportBoundariesResult } from '../../../contract/index.js';
import { api, ApiError, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, FieldError, SelectField, TextField } from '../components/FormFields.js';
import { useFormMutation } from '../hooks/useFormMutation.js';

const MAX_BYTES = 20 * 1024 * 1024;

type Loaded = { name: string; geojson: unknown; properties: string[] } | { name: string; error: string } | null;

async function readGeoJson(file: File): Promise<Loaded> {
  if (file.size > MAX_BYTES) return { name: file.name, error: 'This file is larger than 20 MB. Import it with the command line: civitas geo import-boundaries FILE --layer … --office …' };
  let geojson: unknown;
  try {
    geojson = JSON.parse(await file.text());
  } catch (err) {
    return { name: file.name, error: `This file is not valid JSON (${err instanceof Error ? err.message : 'unreadable'}). Choose a GeoJSON file.` };
  }
  const features = (geojson as { features?: unknown }).features;
  const properties = new Set<string>();
  if (Array.isArray(features)) {
    for (const f of features.slice(0, 50)) {
      const props = (f as { properties?: unknown })?.properties;
      if (props && typeof props === 'object') for (const k of Object.keys(props)) properties.add(k);
    }
  }
  return { name: file.name, geojson, properties: [...properties] };
}

/** "geojson.features.12.geometry" → "Feature 12 (geometry)", for the error list. */
function featureLabel(field: string): string {
  const m = /^geojson\.features\.(\d+)\.?(.*)$/.exec(field);
  if (m) return `Feature ${m[1]}${m[2] ? ` (${m[2]})` : ''}`;
  return field === 'geojson' || field.startsWith('geojson.') ? 'File' : field;
}

export function BoundaryImportForm({ onImported }: { onImported: (r: ImportBoundariesResult) => void }) {
  const [layer, setLayer] = useState('ward');
  const [loaded, setLoaded] = useState<Loaded>(null);
  const [codeProperty, setCodeProperty] = useState('');
  const [nameProperty, setNameProperty] = useState('');
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () => {
      if (!loaded || 'error' in loaded) {
        const detail = loaded ? loaded.error : 'Choose a GeoJSON file to import.';
        throw new ApiError({ type: 'about:blank', title: 'The form has errors', status: 400, code: 'validation_failed', detail, field: 'geojson', errors: [{ field: 'geojson', message: detail }] });
      }
      const body = validate(ZImportBoundaries, { layer, geojson: loaded.geojson, codeProperty: codeProperty || undefined, nameProperty: nameProperty || undefined });
      return api.post<ImportBoundariesResult>('/api/v1/geo/boundaries/import', body);
    },
    onSuccess: onImported,
  });

  const problems = mutation.error instanceof ApiError ? mutation.error.problem.errors ?? [] : [];
  const fields: Record<string, { id: string; label: string }> = { layer: { id: 'boundary-layer', label: 'Layer' } };
  for (const p of problems) if (p.field.startsWith('geojson')) fields[p.field] = { id: 'boundary-file', label: featureLabel(p.field) };
  const fileProblems = problems.filter((p) => p.field.startsWith('geojson'));
  const readError = loaded && 'error' in loaded ? loaded.error : undefined;
  const fileError = (fileProblems.length > 1 ? `The file has ${fileProblems.length} problems, listed above.` : fileProblems[0]?.message) ?? errors.geojson ?? readError;
  const properties = loaded && 'properties' in loaded ? loaded.properties : [];

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={mutation.error} fields={fields} />
      <div className={fileError ? 'field field-invalid' : 'field'}>
        <label htmlFor="boundary-file">GeoJSON file</label>
        <p id="boundary-file-hint" className="hint">A FeatureCollection of Polygon or MultiPolygon features in longitude/latitude (WGS84), up to 20 MB.</p>
        {fileError ? <FieldError id="boundary-file-error">{fileError}</FieldError> : null}
        <input
          id="boundary-file"
          type="file"
          accept=".geojson,.json,application/geo+json,application/json"
          aria-describedby={fileError ? 'boundary-file-hint boundary-file-error' : 'boundary-file-hint'}
          aria-invalid={fileError ? true : undefined}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            mutation.reset();
            setCodeProperty('');
            setNameProperty('');
            setLoaded(file ? await readGeoJson(file) : null);
          }}
        />
      </div>
      <TextField id="boundary-layer" label="Layer" hint="Lowercase name such as ward, district or precinct. Importing a layer again replaces it." required value={layer} onChange={(e) => setLayer(e.target.value)} error={errors.layer} />
      <SelectField id="boundary-code-property" label="Property with each boundary's code" value={codeProperty} onChange={(e) => setCodeProperty(e.target.value)} error={errors.codeProperty}>
        <option value="">Automatic: code, id, …CD or the feature id</option>
        {properties.map((p) => <option key={p} value={p}>{p}</option>)}
      </SelectField>
      <SelectField id="boundary-name-property" label="Property with each boundary's name" value={nameProperty} onChange={(e) => setNameProperty(e.target.value)} error={errors.nameProperty}>
        <option value="">Automatic: name, …NM or the code</option>
        {properties.map((p) => <option key={p} value={p}>{p}</option>)}
      </SelectField>
      <FormActions label="Import boundaries" busyLabel="Importing…" isBusy={mutation.isPending} />
    </form>
  );
}
