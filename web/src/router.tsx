import { useEffect, useState } from 'preact/hooks';
import { matchRoute, type Match } from './routes.js';

/** A small History API router: plain <a href> links, intercepted at the document. */

export type Location = { readonly path: string; readonly query: URLSearchParams; readonly match: Match | undefined };

const current = (): Location => ({
  path: location.pathname,
  query: new URLSearchParams(location.search),
  match: matchRoute(location.pathname),
});

const listeners = new Set<() => void>();
const notify = (): void => {
  for (const l of listeners) l();
};

export const navigate = (to: string, opts: { replace?: boolean } = {}): void => {
  if (to === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
  if (!opts.replace) scrollTo(0, 0);
};

addEventListener('popstate', notify);

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (a.hash && a.pathname === location.pathname) return;
  // Pages of the app only: the API docs and the pay page are the server's own.
  if (!matchRoute(a.pathname)) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
});

export const useLocation = (): Location => {
  const [loc, set] = useState(current);
  useEffect(() => {
    const l = () => set(current());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return loc;
};

/** The path to come back to after signing in. */
export const here = (): string => location.pathname + location.search;
