import { DomainError } from '../errors.js';
import type { MachineRecord, MachineStore } from '../ports/machine-store.js';

/** Longest machine reference we look up: ids are 40 hex, names are DNS names (≤ 253). */
const MAX_MACHINE_REF = 255;

/**
 * Resolves a machine route's `{id}` — machine id, computer name or aadDeviceId (mde-api.md §5,
 * client-wire-facts 5) — or throws ResourceNotFound with MDE's wording.
 */
export async function resolveMachineOrThrow(machines: MachineStore, tenantId: string, ref: string): Promise<MachineRecord> {
  // eslint-disable-next-line no-control-regex
  if (ref.length === 0 || ref.length > MAX_MACHINE_REF || /[\u0000-\u001f]/.test(ref)) {
    throw new DomainError('InvalidInput', `Invalid input: '${ref.slice(0, 64)}' is not a machine id or name`);
  }
  const machine = await machines.resolve(tenantId, ref);
  if (!machine) throw new DomainError('ResourceNotFound', `Machine ${ref} was not found`);
  return machine;
}
