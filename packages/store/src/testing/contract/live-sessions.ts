/**
 * LiveSessionStore contract: one Active session per device (held by the database), limits counted,
 * command ids and event sequences allocated gap-free, compare-and-set on commands and on close.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { LiveCommandRecord, LiveSessionRecord } from '@cordon/core';
import type { ContractContext } from './context.js';
import { jan } from './context.js';

export function makeLiveSession(overrides: Partial<LiveSessionRecord> = {}): LiveSessionRecord {
  return {
    tenantId: randomUUID(),
    id: randomUUID(),
    machineId: randomUUID().replace(/-/g, '').slice(0, 40),
    computerDnsName: 'host.example',
    openedBy: 'ana@contoso.com',
    state: 'Active',
    currentDirectory: '/',
    trace: false,
    creationDateTimeUtc: jan(2),
    lastActivityDateTimeUtc: jan(2),
    closedDateTimeUtc: null,
    closeReason: null,
    ...overrides,
  };
}

export function makeLiveCommand(session: LiveSessionRecord, overrides: Partial<LiveCommandRecord> = {}): LiveCommandRecord {
  return {
    tenantId: session.tenantId,
    sessionId: session.id,
    id: 1,
    commandLine: 'dir /etc',
    command: 'dir',
    argv: ['/etc'],
    cwd: '/',
    requestor: session.openedBy,
    background: false,
    outputFormat: 'table',
    status: 'Running',
    exitCode: null,
    errors: [],
    startDateTimeUtc: jan(2),
    endDateTimeUtc: null,
    expiresAt: jan(3),
    timeoutMs: 600_000,
    machineActionId: null,
    resultFile: null,
    outputTruncated: false,
    outputBytes: 0,
    nextChunk: 0,
    ...overrides,
  };
}

export function liveSessionContract(ctx: ContractContext): void {
  const store = () => ctx.store().liveSessions;

  ctx.it('should refuse a second Active session on a machine and name the holder, and allow one once it is closed', async () => {
    const first = makeLiveSession({ tenantId: ctx.newTenant() });
    expect(await store().open(first)).toEqual({ ok: true });
    const second = makeLiveSession({ tenantId: first.tenantId, machineId: first.machineId, openedBy: 'bo@contoso.com' });
    expect(await store().open(second)).toEqual({ ok: false, holder: first });
    // Another tenant's machine of the same id is another device.
    expect(await store().open({ ...second, id: randomUUID(), tenantId: ctx.newTenant() })).toEqual({ ok: true });
    const closed = await store().close(first.tenantId, first.id, 'ClosedByUser', jan(2, 1));
    expect(closed).toEqual({ ...first, state: 'Closed', closeReason: 'ClosedByUser', closedDateTimeUtc: jan(2, 1), lastActivityDateTimeUtc: jan(2, 1) });
    expect(await store().close(first.tenantId, first.id, 'IdleTimeout', jan(2, 2))).toBeUndefined();
    expect(await store().open(second)).toEqual({ ok: true });
    expect(await store().activeOfMachine(first.tenantId, first.machineId)).toEqual(second);
    expect((await store().list(first.tenantId, { machineId: first.machineId })).map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    expect(await store().list(first.tenantId, { state: 'Closed' })).toEqual([closed]);
  });

  ctx.it('should count Active sessions of a tenant and of a person, and list the idle ones', async () => {
    const tenantId = ctx.newTenant();
    // 1997: listIdle spans tenants, and no other test's session is that old.
    const idle = makeLiveSession({ tenantId, lastActivityDateTimeUtc: '1997-01-01T00:00:00.0000000Z' });
    await store().open(idle);
    await store().open(makeLiveSession({ tenantId, openedBy: 'bo@contoso.com' }));
    const gone = makeLiveSession({ tenantId });
    await store().open(gone);
    await store().close(tenantId, gone.id, 'ClosedByUser', jan(3));
    expect(await store().countActive(tenantId, 'ana@contoso.com')).toEqual({ tenant: 2, person: 1 });
    expect(await store().listIdle('1997-01-02T00:00:00.0000000Z')).toEqual([idle]);
    const touched = await store().touch(tenantId, idle.id, { lastActivityDateTimeUtc: jan(4), currentDirectory: '/etc', trace: true });
    expect(touched).toEqual({ ...idle, lastActivityDateTimeUtc: jan(4), currentDirectory: '/etc', trace: true });
    expect(await store().listIdle('1997-01-02T00:00:00.0000000Z')).toEqual([]);
    expect(await store().touch(tenantId, gone.id, { currentDirectory: '/tmp' })).toBeUndefined();
  });

  ctx.it('should allocate command ids 1, 2, 3 and write a final status once', async () => {
    const s = makeLiveSession({ tenantId: ctx.newTenant() });
    await store().open(s);
    expect(await Promise.all([store().nextCommandId(s.tenantId, s.id), store().nextCommandId(s.tenantId, s.id), store().nextCommandId(s.tenantId, s.id)]).then((ids) => ids.sort())).toEqual([1, 2, 3]);
    const c = makeLiveCommand(s, { id: 2, machineActionId: randomUUID() });
    await store().addCommand(c);
    await store().addCommand(makeLiveCommand(s, { id: 3, status: 'Completed' }));
    expect(await store().getCommand(s.tenantId, s.id, 2)).toEqual(c);
    expect(await store().commandOfAction(s.tenantId, c.machineActionId!)).toEqual(c);
    expect((await store().listCommands(s.tenantId, s.id, { status: 'Running' })).map((x) => x.id)).toEqual([2]);
    const chunk = await store().updateCommand(s.tenantId, s.id, 2, { status: ['Running'], nextChunk: 0 }, { nextChunk: 1, outputBytes: 5 });
    expect(chunk).toEqual({ ...c, nextChunk: 1, outputBytes: 5 });
    expect(await store().updateCommand(s.tenantId, s.id, 2, { status: ['Running'], nextChunk: 0 }, { nextChunk: 1 })).toBeUndefined();
    const done = { status: 'Completed' as const, exitCode: 0, errors: ['warn'], endDateTimeUtc: jan(2, 3), resultFile: { name: 'f', size: 3, sha256: 'a'.repeat(64) } };
    expect(await store().updateCommand(s.tenantId, s.id, 2, { status: ['Running'] }, done)).toEqual({ ...c, nextChunk: 1, outputBytes: 5, ...done });
    expect(await store().updateCommand(s.tenantId, s.id, 2, { status: ['Running'] }, { status: 'Cancelled' })).toBeUndefined();
    expect((await store().listCommands(s.tenantId, s.id)).map((x) => x.id)).toEqual([2, 3]);
  });

  ctx.it('should number events 1, 2, 3 per session and list them after a sequence, by kind and command', async () => {
    const s = makeLiveSession({ tenantId: ctx.newTenant() });
    await store().open(s);
    const a = await store().appendEvents(s.tenantId, s.id, [
      { event: 'command', commandId: 1, data: { id: 1 } },
      { event: 'output', commandId: 1, data: { commandId: 1, text: 'hé\n' } },
    ]);
    const b = await store().appendEvents(s.tenantId, s.id, [{ event: 'output', commandId: 2, data: { commandId: 2, text: 'x' } }]);
    expect([...a, ...b].map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await store().listEvents(s.tenantId, s.id, 1, 10)).toEqual([
      { seq: 2, event: 'output', commandId: 1, data: { commandId: 1, text: 'hé\n' } },
      { seq: 3, event: 'output', commandId: 2, data: { commandId: 2, text: 'x' } },
    ]);
    expect((await store().listEvents(s.tenantId, s.id, 0, 10, { event: 'output', commandId: 1 })).map((e) => e.seq)).toEqual([2]);
    expect(await store().listEvents(s.tenantId, s.id, 0, 1)).toHaveLength(1);
    expect(await store().listEvents(ctx.newTenant(), s.id, 0, 10)).toEqual([]);
  });
}
