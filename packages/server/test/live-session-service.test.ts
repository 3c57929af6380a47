/**
 * LiveSessionService (core) on a real SQLite store with a fake device link: opening, limits,
 * server-answered commands, output bookkeeping, recorded actions, idle expiry and disconnects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { makeMachine } from '@cordon/store/testing';
import { ActionService, LibraryService, LiveSessionService, type LiveConsoleLink, type LiveDeviceMessage, type MachineRecord } from '@cordon/core';
import { randomIds } from '@cordon/server';
import { toMdeTimestamp } from '@cordon/protocol';
import { FakeClock } from './helpers.js';

/** A link to devices that answer each command as `answer` says (default: Completed, cwd unchanged). */
class FakeLink implements LiveConsoleLink {
  connected = new Set<string>();
  sent: { machineId: string; message: LiveDeviceMessage }[] = [];
  answer: ((m: Extract<LiveDeviceMessage, { kind: 'command' }>) => Promise<void>) | undefined;
  #waiters = new Map<string, Set<(v: boolean) => void>>();
  async isConnected(_t: string, machineId: string) {
    return this.connected.has(machineId);
  }
  async send(_t: string, machineId: string, message: LiveDeviceMessage) {
    this.sent.push({ machineId, message });
    if (message.kind === 'command' && this.answer) {
      const answer = this.answer;
      setImmediate(() => void answer(message).catch((err: unknown) => console.error("fake device answer failed", err)));
    }
  }
  announce(_t: string, sessionId: string) {
    for (const w of this.#waiters.get(sessionId) ?? []) w(true);
    this.#waiters.delete(sessionId);
  }
  nextAnnounce(sessionId: string, timeoutMs: number) {
    return new Promise<boolean>((resolve) => {
      let set = this.#waiters.get(sessionId);
      if (!set) this.#waiters.set(sessionId, (set = new Set()));
      set.add(resolve);
      setTimeout(() => resolve(false), timeoutMs).unref();
    });
  }
}

describe(LiveSessionService.name, () => {
  let store: Store;
  let clock: FakeClock;
  let link: FakeLink;
  let service: LiveSessionService;
  let actions: ActionService;
  let machine: MachineRecord;
  const tenantId = randomIds.uuid();
  const ana = { tenantId, name: 'ana@contoso.com', advanced: false };
  const device = () => ({ tenantId, machineId: machine.id });

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    clock = new FakeClock();
    link = new FakeLink();
    actions = new ActionService({ actions: store.actions, machines: store.machines, clock, ids: randomIds, events: { publish: () => {} } });
    const library = new LibraryService({ library: store.library, blobs: store.blobs, clock });
    service = new LiveSessionService({ sessions: store.liveSessions, machines: store.machines, actions, library, link, clock, ids: randomIds, limits: { openTimeoutMs: 200 } });
    machine = makeMachine({ tenantId, capabilities: ['LiveConsole'] });
    await store.machines.upsert(machine);
    link.connected.add(machine.id);
    link.answer = (m) => service.recordDone(device(), { sessionId: m.fields.sessionId, commandId: m.fields.commandId, status: 'Completed', exitCode: 0, errors: [], cwd: m.fields.command === 'cd' ? m.fields.argv[0]! : m.fields.cwd, outputChunks: 0 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('should open a session once the device answered the probe cd /', async () => {
    const s = await service.open(ana, machine.id);
    expect(s).toMatchObject({ machineId: machine.id, openedBy: 'ana@contoso.com', state: 'Active', currentDirectory: '/' });
    expect(link.sent.map((x) => x.message)).toEqual([{ kind: 'command', fields: expect.objectContaining({ sessionId: s.id, commandId: 0, command: 'cd', argv: ['/'], cwd: '/', actionId: null }) }]);
    expect(await service.listCommands(tenantId, s.id)).toEqual([]);
  });

  it('should refuse a second session on the device naming who holds it', async () => {
    const s = await service.open(ana, machine.id);
    await expect(service.open({ ...ana, name: 'bo@contoso.com' }, machine.id)).rejects.toMatchObject({ code: 'ActiveRequestAlreadyExists', message: expect.stringContaining(`by ana@contoso.com (session ${s.id}`) });
  });

  it('should refuse a device that is not connected, and one whose agent has no console', async () => {
    link.connected.clear();
    await expect(service.open(ana, machine.id)).rejects.toMatchObject({ code: 'DeviceNotConnected' });
    const old = makeMachine({ tenantId });
    await store.machines.upsert(old);
    await expect(service.open(ana, old.id)).rejects.toMatchObject({ code: 'OsPlatformNotSupported' });
    expect(await service.list(tenantId, {})).toEqual([]);
  });

  it('should fail the open and close the session when the device does not answer the probe', async () => {
    link.answer = undefined;
    await expect(service.open(ana, machine.id)).rejects.toMatchObject({ code: 'DeviceNotConnected', message: expect.stringContaining('did not answer') });
    expect(await service.list(tenantId, {})).toEqual([expect.objectContaining({ state: 'Closed', closeReason: 'DeviceDisconnected' })]);
  });

  it('should refuse the person beyond their session limit', async () => {
    const limited = new LiveSessionService({ sessions: store.liveSessions, machines: store.machines, actions, library: { list: async () => [], missing: async () => [] }, link, clock, ids: randomIds, limits: { sessionsPerPerson: 1 } });
    await limited.open(ana, machine.id);
    const other = makeMachine({ tenantId, capabilities: ['LiveConsole'] });
    await store.machines.upsert(other);
    link.connected.add(other.id);
    await expect(limited.open(ana, other.id)).rejects.toMatchObject({ code: 'TooManyRequests', message: expect.stringContaining('ana@contoso.com already has 1') });
  });

  it('should answer help, trace and jobs itself, storing each as a Completed command with its output', async () => {
    const s = await service.open(ana, machine.id);
    link.answer = undefined;
    const sent = link.sent.length;
    const help = await service.command(ana, s.id, 'help kill');
    expect(help).toMatchObject({ id: 1, command: 'help', status: 'Completed', exitCode: 0 });
    expect(await service.outputOf(tenantId, s.id, 1)).toBe('kill <pid>\n  kill a process (SIGKILL) (Live response advanced)\n');
    await service.command(ana, s.id, 'dir /etc &');
    expect(await service.command(ana, s.id, 'jobs')).toMatchObject({ id: 3, status: 'Completed' });
    expect(await service.outputOf(tenantId, s.id, 3)).toBe('[2]\tRunning\tdir /etc &\n');
    await service.command(ana, s.id, 'trace on');
    expect((await service.get(tenantId, s.id)).trace).toBe(true);
    expect(link.sent.length).toBe(sent + 1);
  });

  it('should refuse a bad line with the parser message and store nothing', async () => {
    const s = await service.open(ana, machine.id);
    await expect(service.command(ana, s.id, 'frobnicate')).rejects.toMatchObject({ code: 'InvalidRequestBody', message: "Unknown command 'frobnicate'. Type help to list the commands" });
    expect(await service.listCommands(tenantId, s.id)).toEqual([]);
  });

  it('should refuse an advanced command to a basic person, naming the role', async () => {
    const s = await service.open(ana, machine.id);
    await expect(service.command(ana, s.id, 'kill 1234')).rejects.toMatchObject({ code: 'Forbidden', message: "'kill' needs the Live response advanced role" });
    expect(await service.listCommands(tenantId, s.id)).toEqual([]);
  });

  it('should keep output chunks in order, drop a re-sent chunk, and move the session to the cwd the device reports', async () => {
    const s = await service.open(ana, machine.id);
    link.answer = undefined;
    const cmd = await service.command(ana, s.id, 'cd /etc');
    const out = { sessionId: s.id, commandId: cmd.id };
    await service.recordOutput(device(), { ...out, seq: 0, text: 'a' });
    await service.recordOutput(device(), { ...out, seq: 0, text: 'a' });
    await service.recordOutput(device(), { ...out, seq: 1, text: 'b' });
    await service.recordDone(device(), { ...out, status: 'Completed', exitCode: 0, errors: [], cwd: '/etc', outputChunks: 2 });
    expect(await service.outputOf(tenantId, s.id, cmd.id)).toBe('ab');
    expect(await service.get(tenantId, s.id)).toMatchObject({ currentDirectory: '/etc' });
    // A done re-sent after the final status changes nothing.
    await service.recordDone(device(), { ...out, status: 'Failed', exitCode: 1, errors: ['x'], cwd: '/', outputChunks: 2 });
    expect(await service.getCommand(tenantId, s.id, cmd.id)).toMatchObject({ status: 'Completed', exitCode: 0 });
    const events = await service.events(tenantId, s.id, 0);
    expect(events.map((e) => e.event)).toEqual(['session', 'command', 'output', 'output', 'command', 'session']);
    await expect(service.recordOutput({ tenantId, machineId: 'other' }, { ...out, seq: 2, text: 'c' })).rejects.toMatchObject({ code: 'ResourceNotFound' });
  });

  it('should cut a command output past the limit, say so, and keep nothing more', async () => {
    const small = new LiveSessionService({ sessions: store.liveSessions, machines: store.machines, actions, library: { list: async () => [], missing: async () => [] }, link, clock, ids: randomIds, limits: { outputBytesPerCommand: 8 } });
    const s = await small.open(ana, machine.id);
    link.answer = undefined;
    const cmd = await small.command(ana, s.id, 'processes');
    const out = { sessionId: s.id, commandId: cmd.id };
    await small.recordOutput(device(), { ...out, seq: 0, text: 'ééé' });
    await small.recordOutput(device(), { ...out, seq: 1, text: 'abcdef' });
    await small.recordOutput(device(), { ...out, seq: 2, text: 'more' });
    expect(await small.outputOf(tenantId, s.id, cmd.id)).toBe('éééab\n[output cut: more than 8 bytes]\n');
    expect(await small.getCommand(tenantId, s.id, cmd.id)).toMatchObject({ outputTruncated: true, nextChunk: 3 });
  });

  it('should record an advanced command as an InProgress LiveResponse action and finish it from live/done', async () => {
    const s = await service.open(ana, machine.id);
    link.answer = undefined;
    const adv = { ...ana, advanced: true };
    const cmd = await service.command(adv, s.id, 'kill 1234');
    const second = await service.command(adv, s.id, 'suspend 99 &');
    const action = await actions.get(tenantId, cmd.machineActionId!);
    expect(action).toMatchObject({ type: 'LiveResponse', status: 'InProgress', requestSource: 'LiveResponseSession', requestor: 'ana@contoso.com' });
    expect(action.commands[0]!.command).toEqual({ type: 'ConsoleCommand', params: [{ key: 'Command', value: 'kill' }, { key: 'CommandLine', value: 'kill 1234' }] });
    await service.recordDone(device(), { sessionId: s.id, commandId: cmd.id, status: 'Failed', exitCode: 1, errors: ['no such process'], cwd: '/', outputChunks: 0 });
    expect(await actions.get(tenantId, cmd.machineActionId!)).toMatchObject({ status: 'Failed', errorMessage: 'no such process' });
    expect(await actions.get(tenantId, second.machineActionId!)).toMatchObject({ status: 'InProgress' });
  });

  it('should end a recorded command and its action the same after a crash between the two writes, when the device re-sends live/done', async () => {
    const s = await service.open(ana, machine.id);
    link.answer = undefined;
    const adv = { ...ana, advanced: true };
    const done = (commandId: number) => ({ sessionId: s.id, commandId, status: 'Completed' as const, exitCode: 0, errors: [], cwd: '/', outputChunks: 0 });
    // The action is written first: a crash before the command's write leaves the command Running.
    const first = await service.command(adv, s.id, 'kill 1234');
    const updateCommand = store.liveSessions.updateCommand.bind(store.liveSessions);
    store.liveSessions.updateCommand = async () => {
      throw new Error('the process died here');
    };
    await expect(service.recordDone(device(), done(first.id))).rejects.toThrow('the process died here');
    store.liveSessions.updateCommand = updateCommand;
    expect(await actions.get(tenantId, first.machineActionId!)).toMatchObject({ status: 'Succeeded' });
    await service.recordDone(device(), done(first.id));
    expect(await service.getCommand(tenantId, s.id, first.id)).toMatchObject({ status: 'Completed' });
    // A command already ended whose action is not (written by an older server): the re-sent done finishes it.
    const second = await service.command(adv, s.id, 'kill 5678');
    await store.liveSessions.updateCommand(tenantId, s.id, second.id, { status: ['Running'] }, { status: 'Completed', exitCode: 0, errors: [], endDateTimeUtc: toMdeTimestamp(clock.now()) });
    expect(await actions.get(tenantId, second.machineActionId!)).toMatchObject({ status: 'InProgress' });
    await service.recordDone(device(), done(second.id));
    expect(await actions.get(tenantId, second.machineActionId!)).toMatchObject({ status: 'Succeeded' });
  });

  it('should send live/cancel when MDE cancels the action of a running command', async () => {
    const s = await service.open(ana, machine.id);
    link.answer = undefined;
    const cmd = await service.command({ ...ana, advanced: true }, s.id, 'scan /tmp');
    const cancelled = await actions.cancel(tenantId, cmd.machineActionId!, 'bo', 'stop');
    await service.onActionChanged(cancelled);
    expect(link.sent.at(-1)).toEqual({ machineId: machine.id, message: { kind: 'cancel', sessionId: s.id, commandId: cmd.id } });
    // The device's Cancelled done leaves the action as MDE's cancel wrote it.
    await service.recordDone(device(), { sessionId: s.id, commandId: cmd.id, status: 'Cancelled', exitCode: null, errors: [], cwd: '/', outputChunks: 0 });
    expect(await actions.get(tenantId, cmd.machineActionId!)).toMatchObject({ status: 'Cancelled', cancellationRequestor: 'bo' });
  });

  it('should close idle sessions after 30 minutes, but not one with a command running', async () => {
    const s = await service.open(ana, machine.id);
    link.answer = undefined;
    const running = await service.command(ana, s.id, 'findfile core &');
    clock.advance(31 * 60_000);
    expect(await service.expireIdle()).toEqual([]);
    await service.recordDone(device(), { sessionId: s.id, commandId: running.id, status: 'Completed', exitCode: 0, errors: [], cwd: '/', outputChunks: 0 });
    clock.advance(29 * 60_000);
    expect(await service.expireIdle()).toEqual([]);
    clock.advance(2 * 60_000);
    expect(await service.expireIdle()).toEqual([expect.objectContaining({ id: s.id, state: 'Closed', closeReason: 'IdleTimeout' })]);
    expect(link.sent.at(-1)).toEqual({ machineId: machine.id, message: { kind: 'close', sessionId: s.id } });
    await expect(service.command(ana, s.id, 'help')).rejects.toMatchObject({ code: 'InvalidRequest' });
  });

  it('should fail running commands and their actions when the device disconnects', async () => {
    const s = await service.open(ana, machine.id);
    const answer = link.answer;
    link.answer = undefined;
    const cmd = await service.command({ ...ana, advanced: true }, s.id, 'collect');
    link.answer = answer;
    await service.deviceGone(tenantId, machine.id, 'DeviceDisconnected');
    expect(await service.get(tenantId, s.id)).toMatchObject({ state: 'Closed', closeReason: 'DeviceDisconnected' });
    expect(await service.getCommand(tenantId, s.id, cmd.id)).toMatchObject({ status: 'Failed', errors: ['The device disconnected'] });
    expect(await actions.get(tenantId, cmd.machineActionId!)).toMatchObject({ status: 'Failed', errorMessage: 'The device disconnected' });
    // The next session can open.
    expect(await service.open(ana, machine.id)).toMatchObject({ state: 'Active' });
  });

  it('should write a transcript with every command, its status and output', async () => {
    const s = await service.open(ana, machine.id);
    await service.command(ana, s.id, 'trace');
    const text = await service.transcript(tenantId, s.id);
    expect(text).toContain(`Opened by ana@contoso.com at ${s.creationDateTimeUtc}`);
    expect(text).toContain('ana@contoso.com> trace\n    Completed, exit code 0');
    expect(text).toContain('trace is off');
  });
});
