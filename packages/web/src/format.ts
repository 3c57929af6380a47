/** Display helpers. */
import { ACTION_CATALOG, actionSpec, type ActionType } from '@cordon/protocol';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Compact and sortable-looking (2026-11-22 12:16:20), in the viewer's time zone.
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) {
    const code = 'code' in err ? String((err as { code: unknown }).code) : '';
    return code ? `${code}: ${String((err as { message: unknown }).message)}` : String((err as { message: unknown }).message);
  }
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
