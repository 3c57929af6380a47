import { DomainError } from '../errors.js';
import type { MachineCandidate, MachineRecord, MachineStore } from '../ports/machine-store.js';

/** Longest machine reference we look up: ids are 40 hex, names are DNS names (≤ 253). */
const MAX_MACHINE_REF = 255;

/**
 * Resolves a machine route's `{id}` — machine id, computer name or aadDeviceId (mde-api.md §5,
 * client-wire-facts 5) — or throws ResourceNotFound with MDE's wording. A name that fits several
 * machines is refused (BadRequest) with their ids, so the person retries with the right one
 * instead of acting on a machine picked at random.
 */
export async function resolveMachineOrThrow(machines: MachineStore, tenantId: string, ref: string): Promise<MachineRecord> {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  if (ref.length === 0 || ref.length > MAX_MACHINE_REF || /[\u0000-\u001f]/.test(ref)) {
    throw new DomainError('InvalidInput', `Invalid input: '${ref.slice(0, 64)}' is not a machine id or name`);
  }
  const found = await machines.resolve(tenantId, ref);
  if (found.kind === 'none') throw new DomainError('ResourceNotFound', `Machine ${ref} was not found`);
  if (found.kind === 'ambiguous') throw new DomainError('BadRequest', ambiguityMessage(ref, found.candidates, found.more));
  return found.machine;
}

function ambiguityMessage(ref: string, candidates: readonly MachineCandidate[], more: boolean): string {
  const listed = candidates.map((c) => `${c.id} (${c.computerDnsName}, last seen ${c.lastSeen}${c.onboardingStatus === 'Offboarded' ? ', offboarded' : ''})`);
  const count = more ? `more than ${candidates.length}` : `${candidates.length}`;
  return `Machine ${ref} is ambiguous: it matches ${count} machines; use a machine id: ${listed.join('; ')}${more ? '; ...' : ''}`;
}
