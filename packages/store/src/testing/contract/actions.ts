/** ActionStore contract: create/get, active-duplicate refusal, compare-and-set, expiry, open list. */
import { expect } from 'vitest';
import { EXPIRED_MESSAGE, planBulkTransition, type ActionRecord, type MachinePatch } from '@cordon/core';
import { makeAction, makeMachine } from '../fixtures.js';
import type { ContractContext } from './context.js';

export function actionContract(ctx: ContractContext): void {
  const actions = () => ctx.store().actions;
  /** The reaper's move (core plans it from the lifecycle table's `timeout` entry). */
  const timeoutAt = (now: string) => planBulkTransition('timeout', now, { errorMessage: EXPIRED_MESSAGE });

  ctx.it('should return a created action exactly as given', async () => {
    const action = makeAction({
      tenantId: ctx.newTenant(),
      type: 'LiveResponse',
      title: 'Live response',
      externalId: 'ext-1',
      scope: null,
      computerDnsName: null,
      relatedFileInfo: { fileIdentifier: 'a'.repeat(40), fileIdentifierType: 'Sha1' },
      commands: [{ index: 0, startTime: null, endTime: null, commandStatus: 'Created', errors: [], command: { type: 'RunScript', params: [{ key: 'ScriptName', value: 'x.sh' }] } }],
      troubleshootInfo: { nested: [1, 'two', null] },
      parameters: { a: 1, b: [true, 'x'], c: { d: null } },
      result: { scanned: 3 },
      errorHResult: -2147467259,
    });
    expect(await actions().create(action)).toEqual({ ok: true });
    expect(await actions().get(action.tenantId, action.id)).toEqual(action);
  });

  ctx.it('should not show an action to another tenant', async () => {
    const action = makeAction({ tenantId: ctx.newTenant() });
    await actions().create(action);
    const other = ctx.newTenant();
    expect(await actions().get(other, action.id)).toBeUndefined();
    expect(await actions().transition(other, action.id, ['Pending'], { status: 'Cancelled' })).toBeUndefined();
    expect(await actions().listOpenForMachine(other, action.machineId)).toEqual([]);
    expect(await actions().get(action.tenantId, action.id)).toEqual(action);
  });

  ctx.it('should refuse a second open action of the same type on the same machine', async () => {
    const first = makeAction({ tenantId: ctx.newTenant() });
    await actions().create(first);
    const again = makeAction({ tenantId: first.tenantId, machineId: first.machineId, type: first.type });
    expect(await actions().create(again)).toEqual({ ok: false, reason: 'ActiveRequestAlreadyExists' });
    expect(await actions().get(again.tenantId, again.id)).toBeUndefined();
  });

  ctx.it('should refuse a duplicate while the first is InProgress and allow it once the first is final', async () => {
    const first = makeAction({ tenantId: ctx.newTenant(), status: 'InProgress' });
    await actions().create(first);
    const again = () => makeAction({ tenantId: first.tenantId, machineId: first.machineId, type: first.type });
    expect(await actions().create(again())).toEqual({ ok: false, reason: 'ActiveRequestAlreadyExists' });
    await actions().transition(first.tenantId, first.id, ['InProgress'], { status: 'Succeeded' });
    expect(await actions().create(again())).toEqual({ ok: true });
  });

  ctx.it('should allow open actions of other types, other machines and other tenants', async () => {
    const first = makeAction({ tenantId: ctx.newTenant() });
    await actions().create(first);
    expect(await actions().create(makeAction({ tenantId: first.tenantId, machineId: first.machineId, type: 'RunAntiVirusScan' }))).toEqual({ ok: true });
    expect(await actions().create(makeAction({ tenantId: first.tenantId, type: first.type }))).toEqual({ ok: true });
    expect(await actions().create(makeAction({ tenantId: ctx.newTenant(), machineId: first.machineId, type: first.type }))).toEqual({ ok: true });
  });

  ctx.it('should let exactly one of several concurrent duplicate creates win', async () => {
    const tenantId = ctx.newTenant();
    const machineId = 'f'.repeat(40);
    const candidates = Array.from({ length: 6 }, () => makeAction({ tenantId, machineId, type: 'Offboard' }));
    const outcomes = await Promise.all(candidates.map((a) => actions().create(a)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual(Array(5).fill({ ok: false, reason: 'ActiveRequestAlreadyExists' }));
    expect(await actions().listOpenForMachine(tenantId, machineId)).toHaveLength(1);
  });

  ctx.it('should reject a second action with the same id as an error, not as a duplicate request', async () => {
    const first = makeAction({ tenantId: ctx.newTenant() });
    await actions().create(first);
    await expect(actions().create(makeAction({ tenantId: first.tenantId, id: first.id, type: 'RunAntiVirusScan' }))).rejects.toThrow();
  });

  ctx.it('should apply a transition only from an expected status', async () => {
    const action = makeAction({ tenantId: ctx.newTenant() });
    await actions().create(action);
    const accepted = await actions().transition(action.tenantId, action.id, ['Pending'], {
      status: 'InProgress',
      lastUpdateDateTimeUtc: '2026-01-01T00:01:00.0000000Z',
      deadlineDateTimeUtc: '2026-01-01T01:00:00.0000000Z',
      computerDnsName: 'renamed.contoso.local',
    });
    expect(accepted).toEqual({ ...action, status: 'InProgress', lastUpdateDateTimeUtc: '2026-01-01T00:01:00.0000000Z', deadlineDateTimeUtc: '2026-01-01T01:00:00.0000000Z', computerDnsName: 'renamed.contoso.local' });
    expect(await actions().transition(action.tenantId, action.id, ['Pending'], { status: 'Cancelled' })).toBeUndefined();
    expect(await actions().get(action.tenantId, action.id)).toEqual(accepted);
    expect(await actions().transition(action.tenantId, action.id, [], { status: 'Cancelled' })).toBeUndefined();
  });

  ctx.it('should store every patchable field of a final transition', async () => {
    const action = makeAction({ tenantId: ctx.newTenant(), status: 'InProgress', type: 'LiveResponse' });
    await actions().create(action);
    const patch = {
      status: 'Failed',
      lastUpdateDateTimeUtc: '2026-01-01T00:02:00.0000000Z',
      errorHResult: -1,
      errorMessage: 'boom',
      commands: [{ index: 0, startTime: '2026-01-01T00:01:00.0000000Z', endTime: '2026-01-01T00:02:00.0000000Z', commandStatus: 'Failed', errors: ['no such file'], command: { type: 'GetFile', params: [{ key: 'Path', value: '/etc/x' }] } }],
      result: { exitCode: 2 },
      cancellationRequestor: 'someone',
      cancellationComment: 'why',
      cancellationDateTimeUtc: '2026-01-01T00:02:00.0000000Z',
    } as const satisfies Partial<ActionRecord>;
    const failed = await actions().transition(action.tenantId, action.id, ['InProgress'], { ...patch, commands: [...patch.commands] as ActionRecord['commands'] });
    expect(failed).toEqual({ ...action, ...patch });
    expect(await actions().get(action.tenantId, action.id)).toEqual(failed);
  });

  /** A machine, an InProgress action on it, and the device credential an Offboard revokes. */
  const seedMachineAction = async (type: ActionRecord['type']) => {
    const tenantId = ctx.newTenant();
    const machine = makeMachine({ tenantId });
    await ctx.store().machines.upsert(machine);
    await ctx.store().agents.addDevice({ machineId: machine.id, tenantId, publicKey: 'pk', enrolledAt: '2026-01-01T00:00:00.0000000Z', revokedAt: null });
    const action = makeAction({ tenantId, machineId: machine.id, status: 'InProgress', type });
    await actions().create(action);
    return { tenantId, machine, action };
  };
  const offboarded: MachinePatch = { onboardingStatus: 'Offboarded', healthStatus: 'Inactive', isolationState: 'NotIsolated', isRestricted: false };
  const succeed = { status: 'Succeeded', lastUpdateDateTimeUtc: '2026-01-01T00:05:00.0000000Z' } as const;

  ctx.it('should write a final status, its machine patch and the agent revocation together', async () => {
    const { tenantId, machine, action } = await seedMachineAction('Offboard');
    const done = await actions().transition(tenantId, action.id, ['InProgress'], succeed, { machinePatch: offboarded, revokeAgentsAt: '2026-01-01T00:05:00.0000000Z' });
    expect(done).toEqual({ ...action, ...succeed });
    expect(await ctx.store().machines.get(tenantId, machine.id)).toEqual({ ...machine, ...offboarded });
    expect((await ctx.store().agents.getDevice(machine.id))?.revokedAt).toBe('2026-01-01T00:05:00.0000000Z');
  });

  ctx.it('should patch and revoke only the action\'s own machine, in its own tenant', async () => {
    const { tenantId, machine, action } = await seedMachineAction('Offboard');
    // The same machine id in another tenant, and another machine with its own credential in this one.
    const twin = makeMachine({ tenantId: ctx.newTenant(), id: machine.id, computerDnsName: machine.computerDnsName });
    await ctx.store().machines.upsert(twin);
    const neighbour = makeMachine({ tenantId });
    await ctx.store().machines.upsert(neighbour);
    await ctx.store().agents.addDevice({ machineId: neighbour.id, tenantId, publicKey: 'pk2', enrolledAt: '2026-01-01T00:00:00.0000000Z', revokedAt: null });
    await actions().transition(tenantId, action.id, ['InProgress'], succeed, { machinePatch: offboarded, revokeAgentsAt: '2026-01-01T00:05:00.0000000Z' });
    expect(await ctx.store().machines.get(twin.tenantId, twin.id)).toEqual(twin);
    expect(await ctx.store().machines.get(tenantId, neighbour.id)).toEqual(neighbour);
    expect((await ctx.store().agents.getDevice(neighbour.id))?.revokedAt).toBeNull();
  });

  ctx.it('should apply a machine patch without revoking when no revocation is asked', async () => {
    const { tenantId, machine, action } = await seedMachineAction('Isolate');
    const isolated: MachinePatch = { isolationState: 'Isolated' };
    expect(await actions().transition(tenantId, action.id, ['InProgress'], succeed, { machinePatch: isolated })).toEqual({ ...action, ...succeed });
    expect(await ctx.store().machines.get(tenantId, machine.id)).toEqual({ ...machine, ...isolated });
    expect((await ctx.store().agents.getDevice(machine.id))?.revokedAt).toBeNull();
  });

  ctx.it('should write no effect when the transition loses the race', async () => {
    const { tenantId, machine, action } = await seedMachineAction('Offboard');
    await actions().transition(tenantId, action.id, ['InProgress'], { status: 'Cancelled' });
    expect(await actions().transition(tenantId, action.id, ['InProgress'], succeed, { machinePatch: offboarded, revokeAgentsAt: '2026-01-01T00:05:00.0000000Z' })).toBeUndefined();
    expect(await ctx.store().machines.get(tenantId, machine.id)).toEqual(machine);
    expect((await ctx.store().agents.getDevice(machine.id))?.revokedAt).toBeNull();
  });

  ctx.it('should keep the action open when its machine patch cannot be written', async () => {
    const { tenantId, machine, action } = await seedMachineAction('Isolate');
    // computerDnsName is NOT NULL: the machine write fails after the status write, inside the transaction.
    const broken = { isolationState: 'Isolated', computerDnsName: null } as unknown as MachinePatch;
    await expect(actions().transition(tenantId, action.id, ['InProgress'], succeed, { machinePatch: broken })).rejects.toThrow();
    expect(await actions().get(tenantId, action.id)).toEqual(action);
    expect(await ctx.store().machines.get(tenantId, machine.id)).toEqual(machine);
  });

  ctx.it('should let exactly one of a racing cancel and completion win', async () => {
    const action = makeAction({ tenantId: ctx.newTenant(), status: 'InProgress' });
    await actions().create(action);
    const [cancelled, completed] = await Promise.all([
      actions().transition(action.tenantId, action.id, ['Pending', 'InProgress'], { status: 'Cancelled', cancellationRequestor: 'analyst', cancellationComment: 'stop', cancellationDateTimeUtc: '2026-01-01T00:05:00.0000000Z' }),
      actions().transition(action.tenantId, action.id, ['InProgress'], { status: 'Succeeded', lastUpdateDateTimeUtc: '2026-01-01T00:05:00.0000000Z' }),
    ]);
    expect([cancelled, completed].filter((r) => r !== undefined)).toHaveLength(1);
    const winner = (cancelled ?? completed) as ActionRecord;
    expect(await actions().get(action.tenantId, action.id)).toEqual(winner);
    expect(['Cancelled', 'Succeeded']).toContain(winner.status);
  });

  ctx.it('should time out open actions whose deadline has passed, once', async () => {
    // Deadlines in 2001: no other test's action is due then, although expireDue spans tenants.
    const tenantId = ctx.newTenant();
    const due = (status: 'Pending' | 'InProgress', deadline: string) => makeAction({ tenantId, status, type: status === 'Pending' ? 'Isolate' : 'RunAntiVirusScan', deadlineDateTimeUtc: deadline, creationDateTimeUtc: '2001-01-01T00:00:00.0000000Z' });
    const pending = due('Pending', '2001-01-02T00:00:00.0000000Z');
    const running = due('InProgress', '2001-01-03T00:00:00.0000000Z'); // exactly `now`: due
    const later = makeAction({ tenantId, deadlineDateTimeUtc: '2001-01-04T00:00:00.0000000Z', type: 'Offboard' });
    const done = makeAction({ tenantId, status: 'Succeeded', deadlineDateTimeUtc: '2001-01-01T00:00:00.0000000Z' });
    for (const a of [pending, running, later, done]) expect(await actions().create(a)).toEqual({ ok: true });

    const now = '2001-01-03T00:00:00.0000000Z';
    const expired = (await actions().expireDue(now, timeoutAt(now))).filter((a) => a.tenantId === tenantId);
    const timedOut = (a: ActionRecord) => ({ ...a, status: 'TimeOut', lastUpdateDateTimeUtc: now, errorMessage: expect.any(String) });
    expect(expired.sort((a, b) => a.deadlineDateTimeUtc.localeCompare(b.deadlineDateTimeUtc))).toEqual([timedOut(pending), timedOut(running)]);
    expect((await actions().expireDue(now, timeoutAt(now))).filter((a) => a.tenantId === tenantId)).toEqual([]);
    expect(await actions().get(tenantId, later.id)).toEqual(later);
    expect(await actions().get(tenantId, done.id)).toEqual(done);
    // The timed-out action no longer blocks a new one of its type.
    expect(await actions().create(makeAction({ tenantId, machineId: pending.machineId, type: pending.type }))).toEqual({ ok: true });
  });

  ctx.it('should hand each due action to exactly one of several concurrent reapers', async () => {
    const tenantId = ctx.newTenant();
    const due = Array.from({ length: 8 }, () => makeAction({ tenantId, deadlineDateTimeUtc: '2002-01-01T00:00:00.0000000Z' }));
    for (const a of due) await actions().create(a);
    const batches = await Promise.all([1, 2, 3].map(() => actions().expireDue('2002-01-02T00:00:00.0000000Z', timeoutAt('2002-01-02T00:00:00.0000000Z'))));
    const ids = batches.flat().filter((a) => a.tenantId === tenantId).map((a) => a.id);
    expect(ids.sort()).toEqual(due.map((a) => a.id).sort());
  });

  ctx.it('should list the open actions of one machine, oldest first', async () => {
    const tenantId = ctx.newTenant();
    const machineId = 'a'.repeat(40);
    const newer = makeAction({ tenantId, machineId, type: 'RunAntiVirusScan', creationDateTimeUtc: '2026-01-02T00:00:00.0000000Z' });
    const older = makeAction({ tenantId, machineId, type: 'Isolate', status: 'InProgress', creationDateTimeUtc: '2026-01-01T00:00:00.0000000Z' });
    const final = makeAction({ tenantId, machineId, type: 'Offboard', status: 'Failed' });
    const elsewhere = makeAction({ tenantId, type: 'Isolate' });
    for (const a of [newer, older, final, elsewhere]) await actions().create(a);
    expect(await actions().listOpenForMachine(tenantId, machineId)).toEqual([older, newer]);
  });

  ctx.it('should list open actions created at the same instant by id', async () => {
    const tenantId = ctx.newTenant();
    const machineId = 'b'.repeat(40);
    const at = '2026-01-03T00:00:00.0000000Z';
    const second = makeAction({ tenantId, machineId, id: 'ffffffff-0000-4000-8000-000000000002', type: 'UnrestrictCodeExecution', creationDateTimeUtc: at });
    const first = makeAction({ tenantId, machineId, id: 'ffffffff-0000-4000-8000-000000000001', type: 'RestrictCodeExecution', creationDateTimeUtc: at });
    for (const a of [second, first]) await actions().create(a);
    expect((await actions().listOpenForMachine(tenantId, machineId)).map((a) => a.id)).toEqual([first.id, second.id]);
  });
}
