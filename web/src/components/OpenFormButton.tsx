// The primary button that opens a page's "add" or "create" form.
import type { ReactNode } from 'react';

export function OpenFormButton({ id, onClick, children }: { id?: string; onClick: () => void; children: ReactNode }) {
  return (
    <p>
      <button type="button" id={id} className="button button-primary" onClick={onClick}>
        {children}
      </button>
    </p>
  );
}
