// A search form over a list: its fields, then Apply filters and Clear.
import type { FormEvent, ReactNode } from 'react';

export function FilterForm({ label, onApply, onClear, children }: { label: string; onApply: () => void; onClear: () => void; children: ReactNode }) {
  function submit(e: FormEvent) {
    e.preventDefault();
    onApply();
  }
  return (
    <form className="filters" role="search" aria-label={label} onSubmit={submit}>
      {children}
      <div className="button-row">
        <button type="submit" className="button">Apply filters</button>
        <button type="button" className="button button-link" onClick={onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}
