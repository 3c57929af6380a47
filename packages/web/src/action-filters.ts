/**
 * The Action center's filters as URL state and as OData: status, type, device, requestor, a
 * creation-time range (a preset like `since=24h`, or custom `from`/`to`), free-text search and sort.
 * The same filters also decide, in the browser, whether a live update still belongs in the shown
 * list (a Cancelled action leaves the Pending view without a re-read).
 */
import type { MachineAction } from '@cordon/protocol';
import { odataString } from './format.js';
import { csvField } from './download.js';

export const ACTION_FILTER_DEFAULTS = {
  status: '',
  type: '',
  machine: '',
  requestor: '',
  search: '',
  since: '',
  from: '',
  to: '',
  sort: 'creationDateTimeUtc desc',
  action: '',
};
export type ActionFilters = typeof ACTION_FILTER_DEFAULTS;

export const SINCE_PRESETS = [
  ['1h', 'Last hour', 3_600_000],
  ['24h', 'Last 24 hours', 86_400_000],
  ['7d', 'Last 7 days', 7 * 86_400_000],
  ['30d', 'Last 30 days', 30 * 86_400_000],
] as const;

/** `since` is a preset name or `custom` (then `from`/`to` are local `YYYY-MM-DDTHH:mm` values). */
export function timeRange(f: Pick<ActionFilters, 'since' | 'from' | 'to'>, now: number): { from?: Date; to?: Date } {
  const preset = SINCE_PRESETS.find(([key]) => key === f.since);
  if (preset) return { from: new Date(now - preset[2]) };
  if (f.since !== 'custom') return {};
  const parse = (v: string) => {
    if (!v) return undefined;
    const d = new Date(v); // a datetime-local value without offset is read in the viewer's time zone
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  return { from: parse(f.from), to: parse(f.to) };
}

/** OData datetime literal, second precision (the server's timestamps carry 7 fractional digits). */
function odataTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function actionsFilter(f: ActionFilters, machineId: string | undefined, now: number): string | undefined {
  const parts: string[] = [];
  const device = f.machine.trim();
  if (machineId) parts.push(`machineId eq ${odataString(machineId)}`);
  else if (device) parts.push(`(machineId eq ${odataString(device)} or computerDnsName eq ${odataString(device)})`);
  if (f.status) parts.push(`status eq ${odataString(f.status)}`);
  if (f.type) parts.push(`type eq ${odataString(f.type)}`);
  if (f.requestor.trim()) parts.push(`contains(requestor,${odataString(f.requestor.trim())})`);
  const range = timeRange(f, now);
  if (range.from) parts.push(`creationDateTimeUtc ge ${odataTime(range.from)}`);
  if (range.to) parts.push(`creationDateTimeUtc le ${odataTime(range.to)}`);
  const q = f.search.trim();
  if (q) parts.push(`(contains(requestor,${odataString(q)}) or contains(computerDnsName,${odataString(q)}) or machineId eq ${odataString(q)})`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** The same test as actionsFilter, for an action the event stream reports. */
export function matchesFilters(a: MachineAction, f: ActionFilters, machineId: string | undefined, now: number): boolean {
  const device = f.machine.trim().toLowerCase();
  if (machineId && a.machineId !== machineId) return false;
  if (!machineId && device && a.machineId.toLowerCase() !== device && (a.computerDnsName ?? '').toLowerCase() !== device) return false;
  if (f.status && a.status !== f.status) return false;
  if (f.type && a.type !== f.type) return false;
  if (f.requestor.trim() && !a.requestor.toLowerCase().includes(f.requestor.trim().toLowerCase())) return false;
  const created = Date.parse(a.creationDateTimeUtc);
  const range = timeRange(f, now);
  if (range.from && created < range.from.getTime()) return false;
  if (range.to && created > range.to.getTime()) return false;
  const q = f.search.trim().toLowerCase();
  if (q && !(a.requestor.toLowerCase().includes(q) || (a.computerDnsName ?? '').toLowerCase().includes(q) || a.machineId.toLowerCase() === q)) return false;
  return true;
}

export function parseSort(sort: string): { field: string; direction: 'asc' | 'desc' } {
  const [field = 'creationDateTimeUtc', direction] = sort.split(' ');
  return { field, direction: direction === 'asc' ? 'asc' : 'desc' };
}

/** The columns an export carries, in order (blob ids and raw results stay out). */
export const EXPORT_COLUMNS = [
  'id',
  'type',
  'status',
  'machineId',
  'computerDnsName',
  'requestor',
  'requestorComment',
  'creationDateTimeUtc',
  'lastUpdateDateTimeUtc',
  'cancellationRequestor',
  'cancellationComment',
  'cancellationDateTimeUtc',
  'errorMessage',
  'scope',
  'externalId',
] as const satisfies readonly (keyof MachineAction)[];

/** RFC 4180 CSV: every field quoted when it holds a comma, quote or line break; CRLF line ends. */
export function toCsv(actions: readonly MachineAction[]): string {
  const cell = (v: unknown) => csvField(v === null || v === undefined ? '' : String(v));
  const lines = [EXPORT_COLUMNS.join(','), ...actions.map((a) => EXPORT_COLUMNS.map((c) => cell(a[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** The viewer's time zone as people read it (`Europe/Berlin`, UTC+01:00). */
export function timeZoneText(now = new Date()): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '−';
  const abs = Math.abs(offset);
  const hm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${zone} (UTC${sign}${hm})`;
}
