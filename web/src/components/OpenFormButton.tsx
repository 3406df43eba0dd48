// The primary button that opens a page's "add" or "create" form.
import type { ReactNode } from 'react';

export function OpenFormButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <p>
      <button type="button" className="button button-primary" onClick={onClick}>
        {children}
      </button>
    </p>
  );
}
