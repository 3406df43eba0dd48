// A page's one <h1> and its document title. The heading takes focus after client-side
// navigation (see useRouteFocus), so it is programmatically focusable.
import { useEffect, type ReactNode } from 'react';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Civitas`;
  }, [title]);
}

export function Page({ title, lead, children }: { title: string; lead?: ReactNode; children?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </>
  );
}
