import { signal } from '@preact/signals';

export const ROUTES = ['queue', 'sites', 'users', 'tokens', 'audit'] as const;
export type Route = (typeof ROUTES)[number];

/** Where the dashboard is served; every route is a path below it (`/admin/users`). */
export const BASE = '/admin/';

/** The route a path names; the queue for `/admin/` and anything unknown. */
export function routeOf(pathname: string): Route {
  const name = pathname.startsWith(BASE) ? pathname.slice(BASE.length).split('/')[0] : '';
  return (ROUTES as readonly string[]).includes(name ?? '') ? (name as Route) : 'queue';
}

export function hrefOf(route: Route): string {
  return route === 'queue' ? BASE : BASE + route;
}

/**
 * A path router over the History API: `route` follows the address bar, and
 * `navigate` changes both. The server answers every `/admin/*` path with the app.
 *
 * @example
 * const router = createRouter(window);
 * router.navigate('users');
 */
export function createRouter(win: Window) {
  const route = signal<Route>(routeOf(win.location.pathname));
  win.addEventListener('popstate', () => {
    route.value = routeOf(win.location.pathname);
  });
  return {
    route,
    navigate(next: Route) {
      if (next === route.value) return;
      win.history.pushState(null, '', hrefOf(next));
      route.value = next;
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
