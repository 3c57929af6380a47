/**
 * MachineEventStore contract: the machine store's writes record health, tag, isolation and
 * restriction changes (and only real changes); listed newest first, paged, by kind, bounded.
 */
import { expect } from 'vitest';
import { MACHINE_EVENTS_KEPT, type MachineChange, type MachineRecord } from '@cordon/core';
import { toMdeTimestamp } from '@cordon/protocol';
import { makeAction, makeMachine } from '../fixtures.js';
import { recordMachineEvents } from '../../kysely-machine-event-store.js';
import type { ContractContext } from './context.js';

const ALL = { top: 100, skip: 0 };
const strip = (events: readonly (MachineChange & { time: string })[]) => events.map(({ time: _t, ...change }) => change);

export function machineEventContract(ctx: ContractContext): void {
  const store = () => ctx.store();
  const seed = async (overrides: Partial<MachineRecord>) => {
    const m = makeMachine(overrides);
    await store().machines.upsert(m);
    return m;
  };

  ctx.it('should record what an update changes of tags, isolation and restriction, newest first, and nothing for a no-op', async () => {
    const m = await seed({ tenantId: ctx.newTenant(), machineTags: ['a'], isolationState: 'NotIsolated', isRestricted: false });
    await store().machines.update(m.tenantId, m.id, { machineTags: ['a', 'b', 'c'] });
    await store().machines.update(m.tenantId, m.id, { machineTags: ['a', 'b', 'c'], isolationState: 'NotIsolated', computerDnsName: 'renamed' });
    await store().machines.update(m.tenantId, m.id, { isolationState: 'Isolated', isRestricted: true });
    await store().machines.update(m.tenantId, m.id, { machineTags: ['c'] });
    const events = await store().machineEvents.listForMachine(m.tenantId, m.id, ALL);
    expect(strip(events)).toEqual([
      { kind: 'tags', added: [], removed: ['a', 'b'] },
      { kind: 'restriction', from: false, to: true },
      { kind: 'isolation', from: 'NotIsolated', to: 'Isolated' },
      { kind: 'tags', added: ['b', 'c'], removed: [] },
    ]);
    for (const e of events) expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    expect(await store().machineEvents.listForMachine(ctx.newTenant(), m.id, ALL)).toEqual([]);
    expect(await store().machineEvents.listForMachine(m.tenantId, 'other', ALL)).toEqual([]);
  });

  ctx.it('should record the step of each health change made by markInactive and markSeen', async () => {
    // lastSeen in 1998: markInactive spans tenants, and no other test's machine is that old.
    const m = await seed({ tenantId: ctx.newTenant(), lastSeen: '1998-01-01T00:00:00.0000000Z', healthStatus: 'Active' });
    const stillActive = await seed({ tenantId: m.tenantId, lastSeen: '1998-01-01T00:00:00.0000000Z', healthStatus: 'Active' });
    expect(await store().machines.markInactive('1998-01-15T00:00:00.0000000Z')).toBe(2);
    // markInactive records its step at the present time; the sighting comes after it.
    const seenAt = toMdeTimestamp(Date.now() + 60_000);
    await store().machines.markSeen([{ tenantId: m.tenantId, id: m.id }], seenAt);
    // Seen again while Active: no step.
    await store().machines.markSeen([{ tenantId: m.tenantId, id: m.id }], toMdeTimestamp(Date.now() + 61_000));
    const events = await store().machineEvents.listForMachine(m.tenantId, m.id, ALL);
    expect(strip(events)).toEqual([
      { kind: 'health', from: 'Inactive', to: 'Active' },
      { kind: 'health', from: 'Active', to: 'Inactive' },
    ]);
    expect(events[0]!.time).toBe(seenAt);
    expect(strip(await store().machineEvents.listForMachine(m.tenantId, stillActive.id, ALL))).toEqual([{ kind: 'health', from: 'Active', to: 'Inactive' }]);
  });

  ctx.it('should record the machine effect of an action that succeeds', async () => {
    const m = await seed({ tenantId: ctx.newTenant(), isolationState: 'NotIsolated' });
    const action = makeAction({ tenantId: m.tenantId, machineId: m.id, type: 'Isolate', status: 'InProgress' });
    await store().actions.create(action);
    await store().actions.transition(m.tenantId, action.id, ['InProgress'], { status: 'Succeeded' }, { machinePatch: { isolationState: 'Isolated' } });
    expect(strip(await store().machineEvents.listForMachine(m.tenantId, m.id, ALL))).toEqual([{ kind: 'isolation', from: 'NotIsolated', to: 'Isolated' }]);
  });

  ctx.it('should page with top and skip and keep only the kinds asked for', async () => {
    const m = await seed({ tenantId: ctx.newTenant() });
    const changes: MachineChange[] = [1, 2, 3, 4, 5].map((n) => ({ kind: 'tags', added: [`t${n}`], removed: [] }));
    await recordMachineEvents(store().db, m.tenantId, m.id, changes, '2026-02-01T00:00:00.0000000Z');
    await recordMachineEvents(store().db, m.tenantId, m.id, [{ kind: 'restriction', from: false, to: true }], '2026-02-02T00:00:00.0000000Z');
    const page = await store().machineEvents.listForMachine(m.tenantId, m.id, { top: 2, skip: 1 });
    // Same time: the later change of one batch comes first.
    expect(strip(page)).toEqual([{ kind: 'tags', added: ['t5'], removed: [] }, { kind: 'tags', added: ['t4'], removed: [] }]);
    expect(strip(await store().machineEvents.listForMachine(m.tenantId, m.id, { top: 10, skip: 0, kinds: ['restriction'] }))).toEqual([{ kind: 'restriction', from: false, to: true }]);
    expect(await store().machineEvents.listForMachine(m.tenantId, m.id, { top: 10, skip: 0, kinds: [] })).toEqual([]);
  });

  ctx.it('should keep only the newest events of a machine, and leave other machines alone', async () => {
    const m = await seed({ tenantId: ctx.newTenant() });
    const other = await seed({ tenantId: m.tenantId });
    await recordMachineEvents(store().db, m.tenantId, other.id, [{ kind: 'restriction', from: false, to: true }], '2026-01-01T00:00:00.0000000Z');
    const many: MachineChange[] = Array.from({ length: MACHINE_EVENTS_KEPT + 5 }, (_, n) => ({ kind: 'tags', added: [`t${n}`], removed: [] }));
    await recordMachineEvents(store().db, m.tenantId, m.id, many, '2026-03-01T00:00:00.0000000Z');
    const kept = await store().machineEvents.listForMachine(m.tenantId, m.id, { top: MACHINE_EVENTS_KEPT + 10, skip: 0 });
    expect(kept).toHaveLength(MACHINE_EVENTS_KEPT);
    expect(strip(kept.slice(0, 1))).toEqual([{ kind: 'tags', added: [`t${MACHINE_EVENTS_KEPT + 4}`], removed: [] }]);
    expect(strip(kept.slice(-1))).toEqual([{ kind: 'tags', added: ['t5'], removed: [] }]);
    expect(await store().machineEvents.listForMachine(m.tenantId, other.id, ALL)).toHaveLength(1);
  });
}
