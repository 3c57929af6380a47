/**
 * Page state (filters, sort, a selected row) kept in the query part of the hash:
 * `#/actions?status=Pending&sort=creationDateTimeUtc+desc`. A reload keeps it and Back restores it.
 *
 * Writes use the History API, not `location.hash =`, so the choice between a new history entry and
 * replacing the current one is the caller's: a committed choice (a select, a sort, opening a row)
 * pushes, so Back undoes it; typing replaces, so a search does not leave one entry per keystroke.
 * History API writes fire no `hashchange`, so every hook instance also listens to a same-window
 * event this module sends, and to `popstate` for Back/Forward.
 */
import { useCallback, useEffect, useState } from 'react';

const CHANGE_EVENT = 'cordon:url-state';

/** The path part of a hash (`#/actions?x=1` → `#/actions`). */
export function hashPath(hash: string): string {
  const q = hash.indexOf('?');
  return q < 0 ? hash : hash.slice(0, q);
}

/** The query part of a hash as URLSearchParams (empty when there is none). */
export function hashQuery(hash: string): URLSearchParams {
  const q = hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
}

/** Values present in the query override the defaults; keys not in `defaults` are ignored. */
export function readUrlState<T extends Record<string, string>>(hash: string, defaults: T): T {
  const query = hashQuery(hash);
  const state: Record<string, string> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const value = query.get(key);
    if (value !== null) state[key] = value;
  }
  return state as T;
}

/**
 * The hash for `state` on the current path. Values equal to their default are left out so links
 * stay short; keys this page does not own are kept (another component may own them).
 */
export function writeUrlState<T extends Record<string, string>>(hash: string, state: T, defaults: T): string {
  const query = hashQuery(hash);
  for (const key of Object.keys(defaults)) {
    const value = state[key];
    if (value === undefined || value === defaults[key]) query.delete(key);
    else query.set(key, value);
  }
  const rest = query.toString();
  return rest ? `${hashPath(hash) || '#/'}?${rest}` : hashPath(hash) || '#/';
}

export interface SetUrlStateOptions {
  /** New history entry (default true); false replaces the current one (use while typing). */
  push?: boolean;
}

export function useUrlState<T extends Record<string, string>>(defaults: T): [T, (patch: Partial<T>, options?: SetUrlStateOptions) => void] {
  // The defaults object is usually a literal; compare it by value so callers need not memoise it.
  const key = JSON.stringify(defaults);
  const [state, setState] = useState(() => readUrlState(window.location.hash, defaults));
  useEffect(() => {
    const parsed = JSON.parse(key) as T;
    const onChange = () => {
      const next = readUrlState(window.location.hash, parsed);
      setState((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    onChange();
    window.addEventListener('hashchange', onChange);
    window.addEventListener('popstate', onChange);
    window.addEventListener(CHANGE_EVENT, onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      window.removeEventListener('popstate', onChange);
      window.removeEventListener(CHANGE_EVENT, onChange);
    };
  }, [key]);
  const update = useCallback(
    (patch: Partial<T>, options?: SetUrlStateOptions) => {
      const parsed = JSON.parse(key) as T;
      const current = readUrlState(window.location.hash, parsed);
      const hash = writeUrlState(window.location.hash, { ...current, ...patch }, parsed);
      if (hash === window.location.hash) return;
      const url = `${window.location.pathname}${window.location.search}${hash}`;
      if (options?.push ?? true) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
      window.dispatchEvent(new Event(CHANGE_EVENT));
    },
    [key],
  );
  return [state, update];
}
