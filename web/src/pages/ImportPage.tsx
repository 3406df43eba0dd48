// The import wizard: choose and upload a CSV file, match its columns to fields, follow the
// import as it runs, then read its summary and the rejected rows. Recent imports below.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Import, ImportUploaded } from '../../../contract/index.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { formatDateTime } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { ImportMapping } from './ImportMapping.js';
import { ErrorsLink, ImportProgress } from './ImportProgress.js';
import { ImportUpload } from './ImportUpload.js';
import './Import.css';

type Step = { name: 'upload' } | { name: 'map'; upload: ImportUploaded } | { name: 'run'; id: string };
const TITLES = { upload: 'Step 1 of 3: choose the file', map: 'Step 2 of 3: match the columns', run: 'Step 3 of 3: import' };
const n = (v: number) => v.toLocaleString('en-GB');

/** Moves focus to the step's heading when the step changes, so screen readers follow. */
function StepHeading({ step }: { step: Step['name'] }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [step]);
  return <h2 id="import-step" tabIndex={-1} ref={ref}>{TITLES[step]}</h2>;
}

export function ImportPage() {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>({ name: 'upload' });
  const recent = useCursorList<Import>(['imports', 'list'], '/api/v1/imports', { limit: 10 });
  const previous = recent.items.find((i) => i.mapping)?.mapping ?? null;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['imports'] });

  return (
    <Page title="Import constituents" lead="Add or update people and organisations from a CSV file. Rows with an external id already on record update that record; rows with problems are reported, never half-imported.">
      <section aria-labelledby="import-step" className="card">
        <StepHeading step={step.name} />
        {step.name === 'upload' ? <ImportUpload onUploaded={(upload) => setStep({ name: 'map', upload })} /> : null}
        {step.name === 'map' ? (
          <ImportMapping upload={step.upload} previous={previous} onStarted={() => { refresh(); setStep({ name: 'run', id: step.upload.id }); }} />
        ) : null}
        {step.name === 'run' ? <ImportProgress id={step.id} onAnother={() => { refresh(); setStep({ name: 'upload' }); }} /> : null}
      </section>

      <section aria-labelledby="recent-imports">
        <h2 id="recent-imports">Recent imports</h2>
        <PagedTable
          list={recent}
          noun="imports"
          loading="Loading imports…"
          empty="No imports yet."
          id="imports"
          caption="Recent imports, newest first"
          className="table table-compact"
          columns={['File', 'Status', 'Started', 'Rows', 'Created', 'Updated', 'Unchanged', 'Rejected', 'Report']}
          renderRow={(i) => (
            <tr key={i.id}>
              <th scope="row">{i.fileName}{i.source === 'cli' ? <span className="hint block">command line</span> : null}</th>
              <td>{i.status}</td>
              <td>{i.startedAt ? formatDateTime(i.startedAt) : '—'}</td>
              <td>{n(i.rowsProcessed)}</td>
              <td>{n(i.created)}</td>
              <td>{n(i.updated)}</td>
              <td>{n(i.unchanged)}</td>
              <td>{n(i.rejected)}</td>
              <td>{i.rejected ? <ErrorsLink imp={i} isCompact /> : '—'}</td>
            </tr>
          )}
        />
      </section>
    </Page>
  );
}
