/**
 * Tenant settings over the real hub (in-memory connections, in-memory SQLite): tenant settings in the hello
 * answer and pushed on change (to that tenant's devices only); machine isolationState/isRestricted
 * after Isolate/Unisolate/Restrict/Unrestrict succeed; scan detections finished through the hub
 * become alerts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalEnrollText, type DispatchedAction, type HelloResult, type RpcNotification, type SettingsPushParams } from '@cordon/protocol';
import { openStore, type Store } from '@cordon/store';
import { TenantSettingsService, type DeviceCredentialRecord } from '@cordon/core';
import { buildApp, loadConfig, type CordonApp } from '../index.js';
import { wireDispatch } from '../wire-dispatch.js';
import { createOnboardingPackage, enrollDevice } from './enrollment.js';
import type { AgentConnection } from './agent-channel.js';
import { rawFromPublicKey, signText } from './ed25519.js';
import { SETTINGS_CHANNEL } from '../events/channels.js';

const clock = { ms: Date.UTC(2026, 10, 21, 10, 0, 0), now() { return this.ms; } };
const DEVICE = { computerDnsName: 'h1', osPlatform: 'Linux', osVersion: '12', osArchitecture: '64-bit', version: '6.1', agentVersion: '0.1.0', lastIpAddress: '10.0.0.1', ipAddresses: [] };
const SHA256 = 'a'.repeat(64);
const NODE_A = 'https://node-a.example:8443';
const NODE_B = 'https://node-b.example:8443';

class MemoryConnection implements AgentConnection {
  readonly kind = 'websocket' as const;
  sent: RpcNotification[] = [];
  constructor(
    readonly id: string,
    readonly device: DeviceCredentialRecord,
  ) {}
  send(m: RpcNotification) {
    this.sent.push(m);
  }
  close() {}
}

/** Lets queued microtasks and immediates (notifier delivery, bus listeners, SQLite awaits) run; no wall clock. */
async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

describe('tenant settings over the dispatch hub', () => {
  let store: Store;
  let built: CordonApp;
  let dispatcher: Awaited<ReturnType<typeof wireDispatch>>;
  let settings: TenantSettingsService;
  const tenantA = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  const tenantB = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

  const enroll = async (tenantId: string, name: string) => {
    const pkg = await createOnboardingPackage({ agents: store.agents, signer: dispatcher.signer, clock }, { tenantId, serverUrls: ['http://x'], tlsCertPem: undefined });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = rawFromPublicKey(publicKey);
    const proof = signText(privateKey, canonicalEnrollText(pkg.enrollmentSecret.split('.')[0]!, raw));
    const res = await enrollDevice({ agents: store.agents, machines: store.machines, clock }, { enrollmentSecret: pkg.enrollmentSecret, publicKey: raw, proof, device: { ...DEVICE, computerDnsName: name } });
    const conn = new MemoryConnection(name, (await store.agents.getDevice(res.machineId))!);
    dispatcher.hub.attach(conn);
    const hello = (await dispatcher.hub.handle(conn, 'agent/hello', { ...DEVICE, computerDnsName: name, protocolVersion: 1, capabilities: ['Isolate', 'Unisolate', 'RestrictCodeExecution', 'UnrestrictCodeExecution', 'RunAntiVirusScan'] })) as HelloResult;
    return { conn, machineId: res.machineId, hello };
  };
  const pushes = (c: MemoryConnection) => c.sent.filter((m) => m.method === 'agent/settings').map((m) => m.params as SettingsPushParams);
  const pushed = (c: MemoryConnection) => pushes(c).map((p) => p.settings);

  /** Create, accept and finish an action as an agent would, through the hub. */
  const run = async (d: { conn: MemoryConnection; machineId: string }, type: 'Isolate' | 'Unisolate' | 'RestrictCodeExecution' | 'UnrestrictCodeExecution' | 'RunAntiVirusScan', opts: { scope?: string; parameters?: Record<string, unknown>; result?: Record<string, unknown> } = {}) => {
    const action = await built.actions.create({ tenantId: d.conn.device.tenantId, name: 'tester' }, d.machineId, { type, comment: 'test', ...opts });
    await dispatcher.hub.handle(d.conn, 'action/accept', { actionId: action.id });
    const answer = await dispatcher.hub.handle(d.conn, 'action/finish', { actionId: action.id, outcome: { status: 'Succeeded', ...(opts.result ? { result: opts.result } : {}) } });
    expect(answer).toEqual({ status: 'Succeeded' });
    return action;
  };

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    for (const id of [tenantA, tenantB]) await store.identity.createTenant({ id, name: id.slice(0, 4), createdAt: '2026-01-01T00:00:00.0000000Z' });
    built = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: NODE_A }), store, clock });
    dispatcher = await wireDispatch({ built, store, clock, heartbeatIntervalMs: 30_000 });
    settings = new TenantSettingsService({ settings: store.tenantSettings, clock, onChange: (t) => void store.notifier.notify(SETTINGS_CHANNEL, t) });
  });
  afterEach(async () => {
    await built.app.close();
    await store.close();
  });

  it('should answer hello with default settings, then with the tenant settings once saved', async () => {
    const first = await enroll(tenantA, 'host-a');
    expect(first.hello.settings).toEqual({ isolationExceptions: [], executionAllowList: [], scanSignatures: { hashes: [], yara: [] }, scanCpuPercent: 50, quarantineSearchPaths: [], scanExclusions: [] });
    await settings.replace(tenantA, { isolationExceptions: ['10.1.0.0/16', 'proxy.corp:3128'], executionAllowList: [SHA256], scanCpuPercent: 20 });
    const second = await enroll(tenantA, 'host-b');
    expect(second.hello.settings).toMatchObject({ isolationExceptions: ['10.1.0.0/16', 'proxy.corp:3128'], executionAllowList: [SHA256], scanCpuPercent: 20 });
    expect(second.hello.settings).not.toHaveProperty('lastUpdateTime');
  });

  it('should advertise every live server process sharing the database, and push when one starts or stops', async () => {
    const a = await enroll(tenantA, 'host-a');
    expect(a.hello.serverUrls).toEqual([NODE_A]);
    // A second process on the same database, reached at another public URL.
    const builtB = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: NODE_B }), store, clock });
    const dispatcherB = await wireDispatch({ built: builtB, store, clock, heartbeatIntervalMs: 30_000 });
    expect(dispatcherB.servers.urls()).toEqual([NODE_A, NODE_B]);
    await dispatcher.servers.refresh();
    await settle();
    expect(pushes(a.conn).map((p) => p.serverUrls)).toEqual([[NODE_A, NODE_B]]);
    expect(pushes(a.conn)[0]!.settings).toEqual(a.hello.settings);
    await builtB.app.close();
    await dispatcher.servers.refresh();
    await settle();
    expect(pushes(a.conn).map((p) => p.serverUrls)).toEqual([[NODE_A, NODE_B], [NODE_A]]);
  });

  it('should stop advertising a process that died without removing its registration once it expires', async () => {
    await store.servers.heartbeat('crashed-process', NODE_B, clock.ms + 1000);
    await dispatcher.servers.refresh();
    expect(dispatcher.servers.urls()).toEqual([NODE_A, NODE_B]);
    clock.ms += 1000;
    await dispatcher.servers.refresh();
    expect(dispatcher.servers.urls()).toEqual([NODE_A]);
  });

  it("should push changed settings to the tenant's connected devices only", async () => {
    const a = await enroll(tenantA, 'host-a');
    const b = await enroll(tenantB, 'host-b');
    await settings.replace(tenantA, { scanSignatures: { hashes: [`${SHA256}:68:Tenant.Test`] }, quarantineSearchPaths: ['/srv'] });
    await settle();
    expect(pushes(a.conn)).toEqual([{ settings: { isolationExceptions: [], executionAllowList: [], scanSignatures: { hashes: [`${SHA256}:68:Tenant.Test`], yara: [] }, scanCpuPercent: 50, quarantineSearchPaths: ['/srv'], scanExclusions: [] }, serverUrls: [NODE_A] }]);
    expect(pushed(b.conn)).toEqual([]);
  });

  it('should set isolationState and isRestricted when the actions succeed', async () => {
    const d = await enroll(tenantA, 'host-a');
    const state = async () => {
      const m = (await store.machines.get(tenantA, d.machineId))!;
      return [m.isolationState, m.isRestricted];
    };
    expect(await state()).toEqual(['NotIsolated', false]);
    await run(d, 'Isolate', { scope: 'Selective', parameters: { IsolationType: 'Selective' } });
    expect(await state()).toEqual(['SelectivelyIsolated', false]);
    await run(d, 'Unisolate');
    expect(await state()).toEqual(['NotIsolated', false]);
    await run(d, 'Isolate', { scope: 'Full', parameters: { IsolationType: 'Full' } });
    expect(await state()).toEqual(['Isolated', false]);
    await run(d, 'RestrictCodeExecution');
    expect(await state()).toEqual(['Isolated', true]);
    await run(d, 'UnrestrictCodeExecution');
    await run(d, 'Unisolate');
    expect(await state()).toEqual(['NotIsolated', false]);
  });

  it('should turn detections of a scan finished through the hub into alerts', async () => {
    const d = await enroll(tenantA, 'host-a');
    const result = { scannedFiles: 10, scannedBytes: 1000, durationMs: 5, detectionCount: 1, detections: [{ path: '/tmp/eicar.com', sha1: '3395856ce81f2b7382dee72602f798b642f14140', sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', size: 68, signatureName: 'Eicar-Signature' }] };
    const action = await run(d, 'RunAntiVirusScan', { scope: 'Quick', parameters: { ScanType: 'Quick' }, result });
    await settle();
    const { rows } = await store.alerts.list(tenantA, { filter: undefined, orderBy: [], top: 10, skip: 0, select: undefined, count: false });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ machineId: d.machineId, computerDnsName: 'host-a', actionId: action.id, detectionSource: 'Antivirus', title: "'Eicar-Signature' malware was detected" });
    expect((await built.actions.get(tenantA, action.id)).result).toMatchObject({ scannedFiles: 10, detectionCount: 1 });
    // unused import guard: dispatched actions are signed objects
    expect(d.conn.sent.some((m) => m.method === 'action/dispatch' && (m.params as { action: DispatchedAction }).action.type === 'RunAntiVirusScan')).toBe(true);
  });
});
