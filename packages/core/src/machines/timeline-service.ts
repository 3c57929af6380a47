/**
 * The device timeline: a machine's actions, alerts and recorded state changes merged into one
 * list, newest first. Each source is read newest first up to skip + top, so a page costs at most
 * three bounded reads (skip is capped by TIMELINE_LIMITS).
 */
import { TIMELINE_KINDS, type TimelineEntry, type TimelineKind } from '@cordon/protocol';
import type { ActionStore } from '../ports/action-store.js';
import type { AlertStore } from '../ports/alert-store.js';
import type { MachineChangeKind, MachineEventRecord, MachineEventStore } from '../ports/machine-event-store.js';
import type { MachineStore } from '../ports/machine-store.js';
import type { FilterNode, ODataQuery } from '../odata/ast.js';
import { DomainError } from '../errors.js';
import { resolveMachineOrThrow } from './machine-lookup.js';

export interface TimelineDeps {
  machines: MachineStore;
  actions: Pick<ActionStore, 'list'>;
  alerts: Pick<AlertStore, 'list'>;
  machineEvents: MachineEventStore;
}

/** Parses the `kind` query option (comma-separated); undefined = every kind. */
export function parseTimelineKinds(text: string | undefined): TimelineKind[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const kinds = text.split(',').map((k) => k.trim()).filter((k) => k !== '');
  for (const k of kinds) {
    if (!(TIMELINE_KINDS as readonly string[]).includes(k)) throw new DomainError('InvalidInput', `Invalid input ${k}: kind must be one of ${TIMELINE_KINDS.join(', ')}`);
  }
  return [...new Set(kinds)] as TimelineKind[];
}

export class MachineTimelineService {
  readonly #deps: TimelineDeps;

  constructor(deps: TimelineDeps) {
    this.#deps = deps;
  }

  /** One page of the timeline; ResourceNotFound for an unknown machine. */
  async list(tenantId: string, machineRef: string, page: { top: number; skip: number; kinds?: readonly TimelineKind[] }): Promise<TimelineEntry[]> {
    const machine = await resolveMachineOrThrow(this.#deps.machines, tenantId, machineRef);
    const wants = (k: TimelineKind) => page.kinds === undefined || page.kinds.includes(k);
    const n = page.skip + page.top;
    const ofMachine: FilterNode = { kind: 'compare', op: 'eq', field: 'machineId', value: { kind: 'string', value: machine.id } };
    const newest = (field: string): ODataQuery => ({ filter: ofMachine, orderBy: [{ field, direction: 'desc' }], top: n, skip: 0, select: undefined, count: false });
    const changeKinds = (['health', 'isolation', 'restriction', 'tags'] as const).filter(wants) as MachineChangeKind[];
    const [actions, alerts, events] = await Promise.all([
      wants('action') ? this.#deps.actions.list(tenantId, newest('creationDateTimeUtc')) : undefined,
      wants('alert') ? this.#deps.alerts.list(tenantId, newest('alertCreationTime')) : undefined,
      changeKinds.length > 0 ? this.#deps.machineEvents.listForMachine(tenantId, machine.id, { top: n, skip: 0, kinds: changeKinds }) : undefined,
    ]);
    const entries: TimelineEntry[] = [
      ...(actions?.rows ?? []).map((a): TimelineEntry => ({
        kind: 'action', time: a.creationDateTimeUtc, actionId: a.id, actionType: a.type, status: a.status, requestor: a.requestor, requestorComment: a.requestorComment,
      })),
      ...(alerts?.rows ?? []).map((a): TimelineEntry => ({ kind: 'alert', time: a.alertCreationTime, alertId: a.id, title: a.title, severity: a.severity, status: a.status })),
      ...(events ?? []).map(toEntry),
    ];
    // Stable: within one time, the sources' own orders are kept (each is newest first already).
    entries.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    return entries.slice(page.skip, page.skip + page.top);
  }
}

function toEntry(e: MachineEventRecord): TimelineEntry {
  switch (e.kind) {
    case 'tags':
      return { kind: 'tags', time: e.time, added: e.added, removed: e.removed };
    default:
      return { kind: e.kind, time: e.time, from: e.from, to: e.to };
  }
}
