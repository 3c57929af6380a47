/**
 * A small hash router: `#/` (the dashboard), `#/alerts`, `#/alerts/<id>`, `#/investigations/<id>`,
 * `#/devices`, `#/devices/<id>`, `#/actions`, `#/devices/<id>/actions`, `#/devices/<id>/live` (the batch form),
 * `#/devices/<id>/console` (the live response console),
 * `#/library`, `#/onboarding`; a `?query` after the path is page state (filters), not routing.
 * Hash routes need no server-side fallback (web-static.ts).
 */
import { useEffect, useState } from 'react';
import { hashPath } from './url-state.js';

export type Route =
  | { page: 'dashboard' }
  | { page: 'alerts' }
  | { page: 'alert'; id: string }
  | { page: 'investigation'; id: string }
  | { page: 'devices' }
  | { page: 'device'; id: string }
  | { page: 'actions'; machineId?: string }
  | { page: 'live'; id: string }
  | { page: 'console'; id: string }
  | { page: 'library' }
  | { page: 'onboarding' }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  // The query part (`?status=Failed`) is page state (url-state.ts), not part of the route.
  const parts = hashPath(hash).replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'devices' && parts[1]) {
    if (parts[2] === 'actions') return { page: 'actions', machineId: parts[1] };
    if (parts[2] === 'live') return { page: 'live', id: parts[1] };
    if (parts[2] === 'console') return { page: 'console', id: parts[1] };
    return { page: 'device', id: parts[1] };
  }
  if (parts[0] === 'devices') return { page: 'devices' };
  if (parts[0] === 'alerts') return parts[1] ? { page: 'alert', id: parts[1] } : { page: 'alerts' };
  if (parts[0] === 'investigations' && parts[1]) return { page: 'investigation', id: parts[1] };
  if (parts[0] === 'actions') return { page: 'actions' };
  if (parts[0] === 'library') return { page: 'library' };
  if (parts[0] === 'onboarding') return { page: 'onboarding' };
  if (parts[0] === 'settings') return { page: 'settings' };
  return { page: 'dashboard' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'dashboard':
      return '#/';
    case 'alerts':
      return '#/alerts';
    case 'alert':
      return `#/alerts/${encodeURIComponent(route.id)}`;
    case 'investigation':
      return `#/investigations/${encodeURIComponent(route.id)}`;
    case 'devices':
      return '#/devices';
    case 'device':
      return `#/devices/${encodeURIComponent(route.id)}`;
    case 'actions':
      return route.machineId ? `#/devices/${encodeURIComponent(route.machineId)}/actions` : '#/actions';
    case 'live':
      return `#/devices/${encodeURIComponent(route.id)}/live`;
    case 'console':
      return `#/devices/${encodeURIComponent(route.id)}/console`;
    case 'library':
      return '#/library';
    case 'onboarding':
      return '#/onboarding';
    case 'settings':
      return '#/settings';
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
