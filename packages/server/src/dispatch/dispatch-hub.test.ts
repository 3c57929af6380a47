/**
 * The hub over a real app and in-memory SQLite store, with in-memory connections (no sockets):
 * enrollment, dispatch on create, catch-up, cancel, refusals, device isolation, offboarding.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalActionText, canonicalEnrollText, toMdeTimestamp, type DispatchedAction, type RpcNotification } from '@cordon/protocol';
import { sql } from 'kysely';
import { openStore, type Store } from '@cordon/store';
import type { DeviceCredentialRecord } from '@cordon/core';
import { buildApp, loadConfig, type CordonApp } from '../index.js';
import { wireDispatch } from '../wire-dispatch.js';
import { createOnboardingPackage, enrollDevice } from './enrollment.js';
import type { Dispatcher } from './index.js';
import type { AgentConnection } from './agent-channel.js';
import { publicKeyFromRaw, rawFromPublicKey, signText, verifyText } from './ed25519.js';

const clock = { ms: Date.UTC(2026, 10, 21, 10, 0, 0), now() { return this.ms; } };
const DEVICE = { computerDnsName: 'h1', osPlatform: 'Linux', osVersion: '12', osArchitecture: '64-bit', version: '6.1', agentVersion: '0.1.0', lastIpAddress: '10.0.0.1', ipAddresses: [] };

class MemoryConnection implements AgentConnection {
  readonly kind = 'websocket' as const;
  sent: RpcNotification[] = [];
  closed: string | undefined;
  constructor(
    readonly id: string,
    readonly device: DeviceCredentialRecord,
  ) {}
  send(m: RpcNotification) {
    this.sent.push(m);
  }
  close(reason: string) {
    this.closed = reason;
  }
}

const flush = () => new Promise((r) => setTimeout(r, 10));

describe('DispatchHub', () => {
  let store: Store;
  let built: CordonApp;
  let dispatcher: Dispatcher;
  let tenantId: string;

  const enroll = async (name: string) => {
    const pkg = await createOnboardingPackage({ agents: store.agents, signer: dispatcher.signer, clock }, { tenantId, serverUrls: ['http://x'], tlsCertPem: undefined });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = rawFromPublicKey(publicKey);
    const proof = signText(privateKey, canonicalEnrollText(pkg.enrollmentSecret.split('.')[0]!, raw));
    const res = await enrollDevice({ agents: store.agents, machines: store.machines, clock }, { enrollmentSecret: pkg.enrollmentSecret, publicKey: raw, proof, device: { ...DEVICE, computerDnsName: name } });
    const device = (await store.agents.getDevice(res.machineId))!;
    const conn = new MemoryConnection(name, device);
    dispatcher.hub.attach(conn);
    await dispatcher.hub.handle(conn, 'agent/hello', { ...DEVICE, computerDnsName: name, protocolVersion: 1, capabilities: ['Isolate', 'Unisolate', 'Offboard', 'RunAntiVirusScan'] });
    return { pkg, conn, machineId: res.machineId, raw, privateKey };
  };
  const requester = () => ({ tenantId, name: 'tester' });
  const dispatched = (c: MemoryConnection) => c.sent.filter((m) => m.method === 'action/dispatch').map((m) => (m.params as { action: DispatchedAction }).action);

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    tenantId = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
    await store.identity.createTenant({ id: tenantId, name: 't', createdAt: '2026-01-01T00:00:00.0000000Z' });
    built = await buildApp({ config: loadConfig({ CORDON_PORT: '0' }), store, clock });
    dispatcher = await wireDispatch({ built, store, clock, heartbeatIntervalMs: 30_000 });
  });
  afterEach(async () => {
    await built.app.close();
    await store.close();
  });

  it('should register the machine as Onboarded and Active with its capabilities', async () => {
    const a = await enroll('host-a');
    expect(a.machineId).toMatch(/^[0-9a-f]{40}$/);
    expect(await store.machines.get(tenantId, a.machineId)).toMatchObject({ computerDnsName: 'host-a', onboardingStatus: 'Onboarded', healthStatus: 'Active', capabilities: ['Isolate', 'Unisolate', 'Offboard', 'RunAntiVirusScan'] });
  });

  it('should store the antivirus signature sources a hello reports, keep them when a hello omits them, and refuse bad ones', async () => {
    const a = await enroll('host-a');
    expect((await store.machines.get(tenantId, a.machineId))!.avSignatureSources).toBeNull();
    const hello = (extra: Record<string, unknown>) => dispatcher.hub.handle(a.conn, 'agent/hello', { ...DEVICE, computerDnsName: 'host-a', protocolVersion: 1, capabilities: ['Isolate'], ...extra });
    await hello({ avSignatureSources: ['builtin'] });
    expect((await store.machines.get(tenantId, a.machineId))!.avSignatureSources).toEqual(['builtin']);
    await hello({});
    expect((await store.machines.get(tenantId, a.machineId))!.avSignatureSources).toEqual(['builtin']);
    for (const bad of ['builtin', [1], ['Has Space'], ['x'.repeat(40)], ['builtin', 'builtin'], Array.from({ length: 17 }, (_, i) => `s${i}`)]) {
      await expect(hello({ avSignatureSources: bad }), JSON.stringify(bad)).rejects.toMatchObject({ code: 'InvalidRequestBody' });
    }
    expect((await store.machines.get(tenantId, a.machineId))!.avSignatureSources).toEqual(['builtin']);
    await hello({ avSignatureSources: ['builtin', 'clamav'] });
    expect((await store.machines.get(tenantId, a.machineId))!.avSignatureSources).toEqual(['builtin', 'clamav']);
  });

  it('should write device info only when a hello changes it, and only the changed fields', async () => {
    const a = await enroll('host-a');
    const update = vi.spyOn(store.machines, 'update');
    const hello = (extra: Record<string, unknown>) => dispatcher.hub.handle(a.conn, 'agent/hello', { ...DEVICE, computerDnsName: 'host-a', protocolVersion: 1, capabilities: ['Isolate', 'Unisolate', 'Offboard', 'RunAntiVirusScan'], ...extra });
    clock.ms += 60_000;
    await hello({});
    expect(update).not.toHaveBeenCalled();
    // Its liveness is written all the same, by the time the hello is answered.
    expect(await store.machines.get(tenantId, a.machineId)).toMatchObject({ lastSeen: toMdeTimestamp(clock.ms), healthStatus: 'Active' });
    await hello({ lastIpAddress: '10.0.0.9', capabilities: ['Isolate'] });
    expect(update.mock.calls).toEqual([[tenantId, a.machineId, { lastIpAddress: '10.0.0.9', capabilities: ['Isolate'] }]]);
    expect(await store.machines.get(tenantId, a.machineId)).toMatchObject({ computerDnsName: 'host-a', lastIpAddress: '10.0.0.9', capabilities: ['Isolate'] });
  });

  it('should record heartbeats without a write each, and write them in one batch that turns an Inactive machine Active', async () => {
    const a = await enroll('host-a');
    const b = await enroll('host-b');
    const update = vi.spyOn(store.machines, 'update');
    const markSeen = vi.spyOn(store.machines, 'markSeen');
    clock.ms += 10 * 60_000;
    expect(await store.machines.markInactive(toMdeTimestamp(clock.ms - 5 * 60_000))).toBe(2);
    for (let n = 0; n < 3; n++) for (const x of [a, b]) expect(await dispatcher.hub.handle(x.conn, 'agent/heartbeat', {})).toEqual({ ok: true });
    expect(update).not.toHaveBeenCalled();
    expect(markSeen).not.toHaveBeenCalled();
    expect(await store.machines.get(tenantId, a.machineId)).toMatchObject({ healthStatus: 'Inactive' });
    await dispatcher.hub.flushLiveness();
    expect(markSeen).toHaveBeenCalledTimes(1);
    expect(markSeen.mock.calls[0]![0]).toHaveLength(2);
    for (const x of [a, b]) expect(await store.machines.get(tenantId, x.machineId)).toMatchObject({ lastSeen: toMdeTimestamp(clock.ms), healthStatus: 'Active' });
  });

  it('should write pending heartbeats when the server closes', async () => {
    const a = await enroll('host-a');
    clock.ms += 60_000;
    await dispatcher.hub.handle(a.conn, 'agent/heartbeat', {});
    await built.app.close();
    expect(await store.machines.get(tenantId, a.machineId)).toMatchObject({ lastSeen: toMdeTimestamp(clock.ms) });
  });

  it('should refuse a spent enrollment secret', async () => {
    const a = await enroll('host-a');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = rawFromPublicKey(publicKey);
    const proof = signText(privateKey, canonicalEnrollText(a.pkg.enrollmentSecret.split('.')[0]!, raw));
    await expect(enrollDevice({ agents: store.agents, machines: store.machines, clock }, { enrollmentSecret: a.pkg.enrollmentSecret, publicKey: raw, proof, device: DEVICE })).rejects.toMatchObject({ code: 'Unauthorized' });
  });

  it('should refuse an expired enrollment secret', async () => {
    const pkg = await createOnboardingPackage({ agents: store.agents, signer: dispatcher.signer, clock }, { tenantId, serverUrls: ['http://x'], tlsCertPem: undefined, ttlMs: 1000 });
    clock.ms += 2000;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = rawFromPublicKey(publicKey);
    const proof = signText(privateKey, canonicalEnrollText(pkg.enrollmentSecret.split('.')[0]!, raw));
    await expect(enrollDevice({ agents: store.agents, machines: store.machines, clock }, { enrollmentSecret: pkg.enrollmentSecret, publicKey: raw, proof, device: DEVICE })).rejects.toMatchObject({ code: 'Unauthorized' });
  });

  it('should send a new action, signed, only to its own machine', async () => {
    const a = await enroll('host-a');
    const b = await enroll('host-b');
    const action = await built.actions.create(requester(), a.machineId, { type: 'Isolate', comment: 'c', parameters: { IsolationType: 'Full' } });
    await flush();
    const [got] = dispatched(a.conn);
    expect(got).toMatchObject({ id: action.id, machineId: a.machineId, type: 'Isolate', parameters: { IsolationType: 'Full' }, expiresAt: action.expirationDateTimeUtc });
    expect(verifyText(publicKeyFromRaw(a.pkg.actionSigningKeys[0]!.publicKey), canonicalActionText(got!), got!.signature)).toBe(true);
    expect(dispatched(b.conn)).toEqual([]);
  });

  it('should catch a reconnecting device up on its pending actions', async () => {
    const a = await enroll('host-a');
    dispatcher.hub.detach(a.conn);
    const action = await built.actions.create(requester(), a.machineId, { type: 'Isolate', comment: 'c', parameters: { IsolationType: 'Full' } });
    const again = new MemoryConnection('again', a.conn.device);
    dispatcher.hub.attach(again);
    await dispatcher.hub.handle(again, 'agent/hello', { ...DEVICE, protocolVersion: 1, capabilities: ['Isolate'] });
    await flush();
    expect(dispatched(again).map((x) => x.id)).toEqual([action.id]);
  });

  it('should not send on catch-up a Pending action already past its expiry (the reaper times it out)', async () => {
    const a = await enroll('host-a');
    dispatcher.hub.detach(a.conn);
    await built.actions.create(requester(), a.machineId, { type: 'Isolate', comment: 'c', parameters: { IsolationType: 'Full' } });
    clock.ms += 4 * 24 * 3_600_000;
    const again = new MemoryConnection('again', a.conn.device);
    dispatcher.hub.attach(again);
    await dispatcher.hub.handle(again, 'agent/hello', { ...DEVICE, protocolVersion: 1, capabilities: ['Isolate'] });
    await flush();
    expect(dispatched(again)).toEqual([]);
  });

  it("should not let one device accept or finish another device's action", async () => {
    const a = await enroll('host-a');
    const b = await enroll('host-b');
    const action = await built.actions.create(requester(), a.machineId, { type: 'Isolate', comment: 'c', parameters: { IsolationType: 'Full' } });
    await expect(dispatcher.hub.handle(b.conn, 'action/accept', { actionId: action.id })).rejects.toMatchObject({ code: 'ResourceNotFound' });
    await expect(dispatcher.hub.handle(b.conn, 'action/finish', { actionId: action.id, outcome: { status: 'Succeeded' } })).rejects.toMatchObject({ code: 'ResourceNotFound' });
    expect((await built.actions.get(tenantId, action.id)).status).toBe('Pending');
  });

  it('should run the lifecycle and answer a finish that lost a race to cancel with the final status', async () => {
    const a = await enroll('host-a');
    const action = await built.actions.create(requester(), a.machineId, { type: 'RunAntiVirusScan', comment: 'c', parameters: { ScanType: 'Quick' } });
    expect(await dispatcher.hub.handle(a.conn, 'action/accept', { actionId: action.id })).toEqual({ status: 'InProgress' });
    await built.actions.cancel(tenantId, action.id, 'analyst', 'stop');
    await flush();
    expect(a.conn.sent.at(-1)).toEqual({ method: 'action/cancel', params: { actionId: action.id, reason: 'Cancelled' } });
    expect(await dispatcher.hub.handle(a.conn, 'action/finish', { actionId: action.id, outcome: { status: 'Succeeded' } })).toEqual({ status: 'Cancelled' });
    expect((await built.actions.get(tenantId, action.id)).status).toBe('Cancelled');
  });

  it('should record a refusal as Failed with the reason', async () => {
    const a = await enroll('host-a');
    const action = await built.actions.create(requester(), a.machineId, { type: 'Isolate', comment: 'c', parameters: { IsolationType: 'Full' } });
    expect(await dispatcher.hub.handle(a.conn, 'action/refuse', { actionId: action.id, code: 'BadSignature', message: 'nope' })).toEqual({ status: 'Failed' });
    expect(await built.actions.get(tenantId, action.id)).toMatchObject({ status: 'Failed', errorMessage: 'Agent refused the action (BadSignature): nope' });
  });

  it('should offboard: machine Offboarded, credential revoked, connection closed', async () => {
    const a = await enroll('host-a');
    const action = await built.actions.create(requester(), a.machineId, { type: 'Offboard', comment: 'bye' });
    await dispatcher.hub.handle(a.conn, 'action/accept', { actionId: action.id });
    expect(await dispatcher.hub.handle(a.conn, 'action/finish', { actionId: action.id, outcome: { status: 'Succeeded' } })).toEqual({ status: 'Succeeded' });
    expect(await store.machines.get(tenantId, a.machineId)).toMatchObject({ onboardingStatus: 'Offboarded' });
    expect((await store.agents.getDevice(a.machineId))?.revokedAt).not.toBeNull();
    expect(await dispatcher.auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: {} })).toMatchObject({ ok: false });
    await expect(built.actions.create(requester(), a.machineId, { type: 'Isolate', comment: 'c', parameters: { IsolationType: 'Full' } })).rejects.toMatchObject({ code: 'DisallowedOperation' });
  });

  it('should leave a Succeeded finish undone when its machine effect cannot be written, so the re-sent finish applies both', async () => {
    const a = await enroll('host-a');
    const action = await built.actions.create(requester(), a.machineId, { type: 'Isolate', comment: 'c', parameters: { IsolationType: 'Full' } });
    await dispatcher.hub.handle(a.conn, 'action/accept', { actionId: action.id });
    // The machine write fails (a crash between two writes would leave the same state behind).
    await sql`create trigger fail_isolation before update of isolation_state on machines begin select raise(abort, 'machine write failed'); end`.execute(store.db);
    await expect(dispatcher.hub.handle(a.conn, 'action/finish', { actionId: action.id, outcome: { status: 'Succeeded' } })).rejects.toMatchObject({ code: 'InternalError' });
    expect((await built.actions.get(tenantId, action.id)).status).toBe('InProgress');
    expect((await store.machines.get(tenantId, a.machineId))?.isolationState).toBe('NotIsolated');
    await sql`drop trigger fail_isolation`.execute(store.db);
    // The agent re-sends its finish: the status and the isolation are written together.
    expect(await dispatcher.hub.handle(a.conn, 'action/finish', { actionId: action.id, outcome: { status: 'Succeeded' } })).toEqual({ status: 'Succeeded' });
    expect((await store.machines.get(tenantId, a.machineId))?.isolationState).toBe('Isolated');
  });
});
