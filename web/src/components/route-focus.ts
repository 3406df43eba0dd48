// Moves focus to the new page's heading after client-side navigation, as a full page load
// would reset it, so keyboard and screen-reader users land at the start of the content.
// The very first page load keeps the browser's focus, so Tab still reaches the skip link first.
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';

let lastPathname: string | null = null;

export function useRouteFocus(): void {
  const { pathname } = useLocation();
  useEffect(() => {
    const isNavigation = lastPathname !== null && lastPathname !== pathname;
    lastPathname = pathname;
    if (!isNavigation) return;
    const target = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('main');
    target?.focus();
  }, [pathname]);
}
