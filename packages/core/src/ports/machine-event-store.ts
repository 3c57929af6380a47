import type { HealthStatus, IsolationState } from '@cordon/protocol';

/**
 * One change of a machine's state that the device timeline shows and that the machine record
 * itself forgets (it keeps only the current value): health, tags, isolation, restriction.
 */
export type MachineChange =
  | { kind: 'health'; from: HealthStatus; to: HealthStatus }
  | { kind: 'isolation'; from: IsolationState; to: IsolationState }
  | { kind: 'restriction'; from: boolean; to: boolean }
  | { kind: 'tags'; added: string[]; removed: string[] };

export type MachineChangeKind = MachineChange['kind'];
export const MACHINE_CHANGE_KINDS: readonly MachineChangeKind[] = ['health', 'isolation', 'restriction', 'tags'];

/** A recorded change (time in MDE form). */
export type MachineEventRecord = MachineChange & { time: string };

/** Most events kept per machine: older ones are dropped as new ones are recorded. */
export const MACHINE_EVENTS_KEPT = 1000;

/**
 * The change history of machines. The machine store records into it itself, in the same
 * transaction as the change (so no writer can forget to); this port only reads.
 */
export interface MachineEventStore {
  /** The machine's events, newest first, `skip` then at most `top` of them. */
  listForMachine(tenantId: string, machineId: string, page: { top: number; skip: number; kinds?: readonly MachineChangeKind[] }): Promise<MachineEventRecord[]>;
}
