/** Display helpers. */
import { CordonApiError } from '@cordon/api-client';
import { ACTION_CATALOG, actionSpec, type ActionType } from '@cordon/protocol';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Compact and sortable-looking (2026-11-22 12:16:20 UTC), in the viewer's time zone, named, so a
  // time copied into a ticket or read beside a colleague's screen is unambiguous.
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${timeZoneName(d)}`;
}

/** The viewer's time zone's short name at that moment ("UTC", "CET", "GMT+2"). */
export function timeZoneName(d: Date): string {
  return new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(d).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/**
 * An error as a sentence for people: the server's message without its wire code in front
 * ("Wrong user name or password", not "Unauthorized: Wrong user name or password"), and plain
 * words for the cases whose message is not meant for people (no connection, rate limits).
 */
export function errorText(err: unknown): string {
  if (err instanceof CordonApiError) {
    if (err.status === 0) return 'Cannot reach the server. Check the connection and try again.';
    if (err.status === 403) return 'Your roles do not allow this.';
    if (err.status === 429) return 'Too many requests just now. Wait a moment and try again.';
    if (err.status >= 500) return `The server had a problem (${err.message}). Try again in a moment.`;
    return err.message;
  }
  if (err instanceof TypeError && /fetch|network/i.test(err.message)) return 'Cannot reach the server. Check the connection and try again.';
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

/** Quotes a value for an OData string literal. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** How people see an action type in lists (its catalog label); an unknown type as it is spelled. */
export function actionLabel(type: string): string {
  return Object.hasOwn(ACTION_CATALOG, type) ? ACTION_CATALOG[type as ActionType].label : type;
}

/** The button and dialog title that starts an action of this type. */
export function actionCommandLabel(type: ActionType): string {
  const spec = actionSpec(type);
  return spec.commandLabel ?? spec.label;
}

/** A byte count as people read it (1 decimal above 1 KB). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
