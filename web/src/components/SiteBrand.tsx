// The product name and, beside it, the office (or what the page is for) in the site header.
import type { ReactNode } from 'react';

export function SiteBrand({ children }: { children: ReactNode }) {
  return (
    <p className="brand">
      <span className="brand-product">Civitas</span>
      <span className="brand-office">{children}</span>
    </p>
  );
}
