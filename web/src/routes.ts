/**
 * The web app's pages. The server answers these paths with the app's HTML
 * (web/dist/routes.json, written from this table by vite.config.ts); every
 * other page path gets the app with a 404 status. None may start with an API
 * path's first segment (`/events`, `/bookings`, `/me`, ...).
 */
export const ROUTES = {
  home: '/',
  event: '/event/:id',
  performer: '/performer/:id',
  booking: '/booking/:id',
  tickets: '/tickets',
  signIn: '/signin',
  register: '/register',
  console: '/console',
  newVenue: '/console/venues/new',
  newEvent: '/console/events/new',
  manageEvent: '/console/events/:id',
  checkIn: '/console/events/:id/check-in',
} as const;

export type RouteName = keyof typeof ROUTES;

export type Match = { readonly name: RouteName; readonly params: Readonly<Record<string, string>> };

/** The page a path shows, with its parameters; undefined for no page. */
export const matchRoute = (path: string): Match | undefined => {
  const parts = path.replace(/\/+$/, '').split('/');
  for (const [name, pattern] of Object.entries(ROUTES) as [RouteName, string][]) {
    const want = pattern.replace(/\/+$/, '').split('/');
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = want.every((w, i) => {
      const got = parts[i] ?? '';
      if (w.startsWith(':')) {
        if (got === '') return false;
        params[w.slice(1)] = decodeURIComponent(got);
        return true;
      }
      return w === got;
    });
    if (ok) return { name, params };
  }
  return undefined;
};

/** A path to a page: `pathTo('event', { id })`. */
export const pathTo = (name: RouteName, params: Readonly<Record<string, string>> = {}): string =>
  ROUTES[name].replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
