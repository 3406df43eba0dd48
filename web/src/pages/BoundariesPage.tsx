// Boundaries: the office's boundary layers (wards, districts…) with how many addresses fall
// in each boundary, a map preview, uploads of new layers and of the address register, and
// the addresses that have no coordinates (and so are in no area).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BoundaryMap as BoundaryMapData, BoundarySummary, GeoSummary, ImportBoundariesResult, RemoveBoundariesResult, UnlocatedAddress } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { SelectField, StatusMessage } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { AddressRegisterSection } from './AddressRegisterSection.js';
import { BoundaryImportForm } from './BoundaryImportForm.js';
import { BoundaryMap } from './BoundaryMap.js';

const geoKeys = {
  all: ['geo'] as const,
  summary: ['geo', 'summary'] as const,
  boundaries: (layer: string) => ['geo', 'boundaries', layer] as const,
  map: (layer: string) => ['geo', 'map', layer] as const,
  unlocated: ['geo', 'unlocated'] as const,
};

const n = (v: number) => v.toLocaleString('en-GB');

function importedMessage(r: ImportBoundariesResult): string {
  const removed = r.removed ? `, ${r.removed} removed${r.retired ? ` (${r.retired} kept as retired because cases refer to them)` : ''}` : '';
  const recompute = r.recomputeJobId ? ' Addresses are being placed in the new boundaries in the background.' : '';
  return `Layer ${r.layer} imported: ${r.total} boundaries (${r.created} new, ${r.updated} changed, ${r.unchanged} unchanged)${removed}.${recompute}`;
}

export function BoundariesPage() {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const [chosenLayer, setChosenLayer] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const summary = useQuery({ queryKey: geoKeys.summary, queryFn: () => api.get<GeoSummary>('/api/v1/geo/summary') });
  const layers = summary.data?.layers.filter((l) => l.boundaries > 0) ?? [];
  const layer = chosenLayer && layers.some((l) => l.layer === chosenLayer) ? chosenLayer : (layers[0]?.layer ?? null);
  const boundaries = useQuery({
    queryKey: geoKeys.boundaries(layer ?? ''),
    enabled: layer !== null,
    queryFn: () => api.get<{ items: BoundarySummary[] }>('/api/v1/geo/boundaries', { layer }),
  });
  const map = useQuery({ queryKey: geoKeys.map(layer ?? ''), enabled: layer !== null, queryFn: () => api.get<BoundaryMapData>('/api/v1/geo/map', { layer }) });
  const unlocated = useCursorList<UnlocatedAddress>(geoKeys.unlocated, '/api/v1/geo/unlocated', { limit: 25 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: geoKeys.all });

  const removeLayer = useConfirmedAction({
    mutationFn: (name: string) => api.delete<RemoveBoundariesResult>(`/api/v1/geo/layers/${encodeURIComponent(name)}`),
    onSuccess: (r, name) => {
      setStatus(`Layer ${name} deleted (${r.removed} boundaries${r.retired ? `, ${r.retired} kept as retired because cases refer to them` : ''}).`);
      setChosenLayer(null);
      void refresh();
    },
  });

  const selected = boundaries.data?.items.find((b) => b.id === selectedId) ?? null;
  return (
    <Page title="Boundaries" lead="Wards and other areas. Every address with coordinates is placed in one boundary of each layer.">
      <StatusMessage>{status}</StatusMessage>
      <section aria-labelledby="layers-heading">
        <h2 id="layers-heading">Layers</h2>
        <QueryStatus query={summary} loading="Loading layers…" isEmpty={summary.isSuccess && layers.length === 0} empty="No boundaries yet. Import a layer below." />
        {layers.length > 0 ? (
          <DataTable id="layers" caption="Boundary layers" className="table table-numeric" columns={['Layer', 'Boundaries', 'Addresses in them', 'Actions']}>
            {layers.map((l) => (
              <tr key={l.layer}>
                <th scope="row">{l.layer}</th>
                <td>{n(l.boundaries)}</td>
                <td>{n(l.addresses)}</td>
                <td>
                  <button type="button" className="button button-small button-danger" onClick={() => removeLayer.ask(l.layer)}>
                    Delete<span className="visually-hidden"> layer {l.layer}</span>
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {summary.data ? (
          <p>
            {n(summary.data.addresses.total)} addresses on record; {n(summary.data.addresses.unlocated)} have no coordinates and so are in no boundary.
          </p>
        ) : null}
      </section>

      {layer ? (
        <section aria-labelledby="boundaries-heading">
          <h2 id="boundaries-heading">Boundaries in layer {layer}</h2>
          {layers.length > 1 ? (
            <SelectField id="layer-choice" label="Layer shown" value={layer} onChange={(e) => { setChosenLayer(e.target.value); setSelectedId(null); }}>
              {layers.map((l) => <option key={l.layer} value={l.layer}>{l.layer}</option>)}
            </SelectField>
          ) : null}
          <QueryStatus query={boundaries} loading="Loading boundaries…" />
          {map.data ? <BoundaryMap data={map.data} selectedId={selectedId} label={selected ? `Map of layer ${layer}, with ${selected.name} highlighted` : `Map of the ${map.data.features.length} boundaries in layer ${layer}`} /> : null}
          {boundaries.data ? (
            <DataTable id="boundaries" caption={`${boundaries.data.items.length} boundaries in layer ${layer}`} className="table" wrapClassName="table-wrap table-wrap-tall" columns={['Code', 'Name', 'Addresses', 'Map']}>
              {boundaries.data.items.map((b) => (
                <tr key={b.id}>
                  <td className="mono">{b.code}</td>
                  <th scope="row">{b.name}</th>
                  <td>{n(b.addressCount)}</td>
                  <td>
                    <button type="button" className="button button-small" aria-pressed={b.id === selectedId} onClick={() => setSelectedId(b.id === selectedId ? null : b.id)}>
                      Highlight<span className="visually-hidden"> {b.name} on the map</span>
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="import-heading" className="card">
        <h2 id="import-heading">Import a boundary layer</h2>
        <BoundaryImportForm
          onImported={(r) => {
            setStatus(importedMessage(r));
            setChosenLayer(r.layer);
            setSelectedId(null);
            void refresh();
          }}
        />
      </section>

      <AddressRegisterSection registerSize={summary.data?.register.addresses} onImported={() => void refresh()} />

      <section aria-labelledby="unlocated-heading">
        <h2 id="unlocated-heading">Addresses without coordinates</h2>
        <PagedTable
          list={unlocated}
          noun="addresses"
          loading="Loading addresses…"
          empty="Every address has coordinates."
          id="unlocated"
          caption="Addresses without coordinates"
          columns={['Address', 'Postcode']}
          renderRow={(a) => (
            <tr key={a.id}>
              <td>{[a.line1, a.line2, a.locality].filter(Boolean).join(', ')}</td>
              <td>{a.postcode ?? ''}</td>
            </tr>
          )}
        />
      </section>

      {removeLayer.target ? (
        <ConfirmDialog title={`Delete layer ${removeLayer.target}?`} confirmLabel="Delete layer" isDanger {...removeLayer.confirmProps}>
          <p>Every boundary of this layer is deleted and addresses leave them. Boundaries that cases refer to are kept as retired.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
