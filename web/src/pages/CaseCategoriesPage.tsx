// The issue taxonomy: a controlled, hierarchical list of categories. Admins add, rename,
// move, merge and retire (or restore) them; retired ones are hidden from pickers.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CaseCategory } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { caseKeys, categoryLabel, useCategories } from './CaseQueries.js';
import './Case.css';

type Action = { kind: 'rename' | 'move' | 'merge' | 'retire' | 'restore'; category: CaseCategory };

export function CaseCategoriesPage() {
  const [showRetired, setShowRetired] = useState(false);
  const categories = useCategories(showRetired);
  const [isAdding, setIsAdding] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState('');
  const items = categories.data ?? [];
  return (
    <Page title="Case categories" lead="The office's issue taxonomy. Every case has one category from this list; retired categories stay on old cases but cannot be chosen.">
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      {isAdding ? (
        <AddCategoryForm categories={items} onDone={(c) => { setIsAdding(false); setNotice(c ? `Category ${categoryLabel(c)} created.` : ''); }} />
      ) : (
        <OpenFormButton onClick={() => setIsAdding(true)}>Add a category</OpenFormButton>
      )}
      <p>
        <label className="check">
          <input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> Show retired categories
        </label>
      </p>
      <QueryStatus query={categories} loading="Loading categories…" isEmpty={categories.isSuccess && items.length === 0} empty="No categories yet." />
      {items.length ? (
        <DataTable id="categories" caption="Categories, in tree order" columns={['Category', 'State', 'Privacy release', 'Locations', 'Actions']}>
          {items.map((c) => (
            <tr key={c.id}>
              <th scope="row" style={{ paddingLeft: `${0.75 + (c.path.length - 1) * 1.5}rem` }}>{categoryLabel(c)}</th>
              <td>{c.retired ? <span className="badge badge-disabled">Retired</span> : <span className="badge badge-active">Active</span>}</td>
              <td>{c.requiresPrivacyRelease ? 'Required for referrals' : 'Not required'}</td>
              <td>{c.locationPrivate ? 'Kept private' : 'Shown on public maps'}</td>
              <td>
                <div className="button-row actions">
                  <button type="button" className="button button-small" onClick={() => setAction({ kind: 'rename', category: c })}>Rename<span className="visually-hidden"> {categoryLabel(c)}</span></button>
                  <button type="button" className="button button-small" onClick={() => setAction({ kind: 'move', category: c })}>Move<span className="visually-hidden"> {categoryLabel(c)}</span></button>
                  <FlagToggle category={c} flag="requiresPrivacyRelease" onDone={setNotice} />
                  <FlagToggle category={c} flag="locationPrivate" onDone={setNotice} />
                  {!c.retired ? <button type="button" className="button button-small" onClick={() => setAction({ kind: 'merge', category: c })}>Merge<span className="visually-hidden"> {categoryLabel(c)}</span></button> : null}
                  <button type="button" className="button button-small" onClick={() => setAction({ kind: c.retired ? 'restore' : 'retire', category: c })}>
                    {c.retired ? 'Restore' : 'Retire'}<span className="visually-hidden"> {categoryLabel(c)}</span>
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {action ? <CategoryActionDialog action={action} categories={items} onClose={() => setAction(null)} onDone={(msg) => { setAction(null); setNotice(msg); }} /> : null}
    </Page>
  );
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: caseKeys.categories(false).slice(0, 1) });
}

function ParentOptions({ categories, exclude }: { categories: CaseCategory[]; exclude?: CaseCategory }) {
  // A category cannot move under itself or below itself.
  const isBelow = (c: CaseCategory) => !!exclude && c.path.length >= exclude.path.length && exclude.path.every((n, i) => c.path[i] === n);
  return (
    <>
      <option value="">Top level</option>
      {categories.filter((c) => !c.retired && !isBelow(c)).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}</option>)}
    </>
  );
}

function AddCategoryForm({ categories, onDone }: { categories: CaseCategory[]; onDone: (c: CaseCategory | null) => void }) {
  const refresh = useRefresh();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const [requiresRelease, setRequiresRelease] = useState(false);
  const [locationPrivate, setLocationPrivate] = useState(false);
  const add = useMutation({
    mutationFn: () => api.post<CaseCategory>('/api/v1/case-categories', { name, parentId: parentId || null, requiresPrivacyRelease: requiresRelease, locationPrivate }),
    onSuccess: async (c) => { await refresh(); onDone(c); },
  });
  const errors = fieldErrorsOf(add.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate();
  }
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="add-category">
      <h2 id="add-category">Add a category</h2>
      <ErrorSummary error={add.error} fields={{ name: { id: 'category-name', label: 'Name' }, parentId: { id: 'category-parent', label: 'Parent' } }} />
      <TextField id="category-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <SelectField id="category-parent" label="Parent" value={parentId} onChange={(e) => setParentId(e.target.value)} error={errors.parentId}>
        <ParentOptions categories={categories} />
      </SelectField>
      <p>
        <label className="check">
          <input type="checkbox" checked={requiresRelease} onChange={(e) => setRequiresRelease(e.target.checked)} /> Referrals of its cases need the constituent's privacy release
        </label>
      </p>
      <p>
        <label className="check">
          <input type="checkbox" checked={locationPrivate} onChange={(e) => setLocationPrivate(e.target.checked)} /> Keep locations private (never shown on public maps or open data)
        </label>
      </p>
      <FormActions label="Create category" busyLabel="Creating…" isBusy={add.isPending} onCancel={() => onDone(null)} />
    </form>
  );
}

/** A category's yes/no settings: the button's words while it is on and off, and what is said once changed. */
const FLAGS = {
  requiresPrivacyRelease: {
    on: 'Stop requiring release', off: 'Require release',
    done: (on: boolean) => `privacy release ${on ? 'now required' : 'no longer required'} for referrals.`,
  },
  locationPrivate: {
    on: 'Show locations publicly', off: 'Keep locations private',
    done: (on: boolean) => (on ? 'locations now kept private (never shown on public maps or open data).' : 'locations may now be shown on public maps and open data.'),
  },
} as const;

/** Turns a yes/no setting of a category on or off: the privacy-release requirement (referrals of its cases) or keeping its locations private. */
function FlagToggle({ category, flag, onDone }: { category: CaseCategory; flag: keyof typeof FLAGS; onDone: (message: string) => void }) {
  const refresh = useRefresh();
  const label = categoryLabel(category);
  const words = FLAGS[flag];
  const toggle = useMutation({
    mutationFn: () => api.patch<CaseCategory>(`/api/v1/case-categories/${category.id}`, { [flag]: !category[flag] }),
    onSuccess: async (c) => { await refresh(); onDone(`${label}: ${words.done(c[flag])}`); },
    onError: (err) => onDone(err.message),
  });
  return (
    <button type="button" className="button button-small" disabled={toggle.isPending} onClick={() => toggle.mutate()}>
      {category[flag] ? words.on : words.off}<span className="visually-hidden"> for {label}</span>
    </button>
  );
}

const TITLES = { rename: 'Rename', move: 'Move', merge: 'Merge', retire: 'Retire', restore: 'Restore' } as const;

function CategoryActionDialog({ action, categories, onClose, onDone }: { action: Action; categories: CaseCategory[]; onClose: () => void; onDone: (message: string) => void }) {
  const refresh = useRefresh();
  const c = action.category;
  const label = categoryLabel(c);
  const [name, setName] = useState(c.name);
  const [parentId, setParentId] = useState(c.parentId ?? '');
  const [intoId, setIntoId] = useState('');
  const run = useMutation({
    mutationFn: async (): Promise<string> => {
      switch (action.kind) {
        case 'rename': await api.patch(`/api/v1/case-categories/${c.id}`, { name }); return `Renamed to ${name.trim()}.`;
        case 'move': await api.patch(`/api/v1/case-categories/${c.id}`, { parentId: parentId || null }); return `${c.name} moved.`;
        case 'retire': await api.patch(`/api/v1/case-categories/${c.id}`, { retired: true }); return `${label} retired.`;
        case 'restore': await api.patch(`/api/v1/case-categories/${c.id}`, { retired: false }); return `${label} restored.`;
        case 'merge': {
          const r = await api.post<{ into: CaseCategory; casesMoved: number }>(`/api/v1/case-categories/${c.id}/merge`, { intoId });
          return `${label} merged into ${categoryLabel(r.into)}; ${r.casesMoved} cases moved.`;
        }
      }
    },
    onSuccess: async (message) => { await refresh(); onDone(message); },
  });
  const errors = fieldErrorsOf(run.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    run.mutate();
  }
  return (
    <Modal title={`${TITLES[action.kind]} ${label}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={run.error} />
        {action.kind === 'rename' ? <TextField id="category-rename" label="New name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} /> : null}
        {action.kind === 'move' ? (
          <SelectField id="category-move" label="New parent" value={parentId} onChange={(e) => setParentId(e.target.value)} error={errors.parentId}>
            <ParentOptions categories={categories} exclude={c} />
          </SelectField>
        ) : null}
        {action.kind === 'merge' ? (
          <SelectField id="category-merge" label="Merge into" hint="Its cases and sub-categories move there, and it is retired." value={intoId} onChange={(e) => setIntoId(e.target.value)} error={errors.intoId}>
            <option value="">Choose a category</option>
            {categories.filter((x) => !x.retired && x.id !== c.id).map((x) => <option key={x.id} value={x.id}>{categoryLabel(x)}</option>)}
          </SelectField>
        ) : null}
        {action.kind === 'retire' ? <p>Retired categories cannot be chosen for new cases. Categories below it are retired too. Existing cases keep it.</p> : null}
        {action.kind === 'restore' ? <p>The category can be chosen again.</p> : null}
        <FormActions label={TITLES[action.kind]} busyLabel="Saving…" isBusy={run.isPending} isDanger={action.kind === 'merge' || action.kind === 'retire'} onCancel={onClose} />
      </form>
    </Modal>
  );
}
