/**
 * One contract both agent channels (WebSocket, long-poll) must pass, driven through the real agent
 * transports against the real channel code and DeviceAuthenticator, with a recording hub in place
 * of the DispatchHub so each test controls what the server answers and pushes. The framing of a
 * broken message differs per channel, so each channel says how to send one (`sendInvalid`).
 */
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RpcNotification } from '@cordon/protocol';
import { openStore, type Store } from '@cordon/store';
import { AgentRequestError, type AgentChannelHandler, type AgentConnection } from '../../packages/server/src/dispatch/agent-channel.js';
import { DeviceAuthenticator } from '../../packages/server/src/dispatch/device-auth.js';
import type { HubLogger } from '../../packages/server/src/dispatch/dispatch-hub.js';
import { generateDeviceKey, privateKeyOf } from '../../packages/agent/src/crypto.js';
import { RemoteError, TransportError, type AgentTransport } from '../../packages/agent/src/transport/types.js';
import type { KeyObject } from 'node:crypto';

export interface ChannelDevice {
  machineId: string;
  key: KeyObject;
}

export interface ChannelServer {
  url: string;
  close(): Promise<void>;
}

export interface InvalidOutcome {
  /** An error came back: the HTTP status and error code (long-poll) or the close code (WebSocket). */
  refused: boolean;
  detail: string;
}

export interface ChannelUnderTest {
  kind: 'websocket' | 'long-poll';
  /** Serves the channel on 127.0.0.1 in front of `hub`, authenticating with `auth`. */
  start(hub: AgentChannelHandler, auth: DeviceAuthenticator, log: HubLogger): Promise<ChannelServer>;
  /** The agent's transport to these server URLs, tried in turn. */
  transport(serverUrls: readonly string[], device: ChannelDevice): AgentTransport;
  /** Sends one signed but malformed message in this channel's framing. */
  sendInvalid(serverUrl: string, device: ChannelDevice): Promise<InvalidOutcome>;
}

/** The hub side of the contract: records connections, answers `echo`, fails `fail` (coded) and `crash` (uncoded). */
export class RecordingHub implements AgentChannelHandler {
  readonly live = new Set<AgentConnection>();
  readonly attached: AgentConnection[] = [];
  readonly detached: AgentConnection[] = [];
  attach(conn: AgentConnection): void {
    this.live.add(conn);
    this.attached.push(conn);
  }
  detach(conn: AgentConnection): void {
    this.live.delete(conn);
    this.detached.push(conn);
  }
  async handle(conn: AgentConnection, method: string, params: unknown): Promise<unknown> {
    if (method === 'test/echo') return { params, machineId: conn.device.machineId, kind: conn.kind, connection: conn.id };
    if (method === 'test/fail') throw new AgentRequestError('InvalidParameter', 'the parameter was refused');
    if (method === 'test/crash') throw new Error('secret internal detail');
    throw new AgentRequestError('MethodNotFound', `unknown method ${method}`);
  }
  of(machineId: string): AgentConnection[] {
    return [...this.live].filter((c) => c.device.machineId === machineId);
  }
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function runAgentChannelContract(channel: ChannelUnderTest): void {
  describe(`agent channel contract: ${channel.kind}`, () => {
    let store: Store;
    let hub: RecordingHub;
    let server: ChannelServer;
    const logged: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
    const log: HubLogger = {
      info: (obj, msg) => logged.push({ level: 'info', obj, msg }),
      warn: (obj, msg) => logged.push({ level: 'warn', obj, msg }),
      error: (obj, msg) => logged.push({ level: 'error', obj, msg }),
    };
    const transports: AgentTransport[] = [];

    beforeAll(async () => {
      store = await openStore({ sqlitePath: ':memory:' });
      hub = new RecordingHub();
      const auth = new DeviceAuthenticator({ agents: store.agents, nonces: store.nonces, clock: { now: () => Date.now() } });
      server = await channel.start(hub, auth, log);
    });
    afterEach(async () => {
      await Promise.all(transports.splice(0).map((t) => t.stop()));
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    const enroll = async (): Promise<ChannelDevice> => {
      const { privateJwk, publicKey } = generateDeviceKey();
      const machineId = createHash('sha1').update(Buffer.from(publicKey, 'base64')).digest('hex');
      await store.agents.addDevice({ machineId, tenantId: 'tenant-1', publicKey, enrolledAt: '2026-01-01T00:00:00.0000000Z', revokedAt: null });
      return { machineId, key: privateKeyOf(privateJwk) };
    };
    /** Starts a transport for the device; resolves once the hub holds a connection of it. */
    const connect = async (device: ChannelDevice, messages: RpcNotification[] = [], events: string[] = []) => {
      const t = channel.transport([server.url], device);
      transports.push(t);
      t.start({ onConnected: () => events.push('connected'), onMessage: (m) => messages.push(m), onDisconnected: (r) => events.push(`disconnected: ${r}`) });
      // Long-poll attaches on the first poll; WebSocket on the upgrade.
      const conn = await until('the hub to attach the device', () => hub.of(device.machineId)[0]);
      return { t, conn, messages, events };
    };
    /** A request may race the first poll's attach on long-poll: retry "not connected" only. */
    const request = async <R>(t: AgentTransport, method: string, params: unknown): Promise<R> => {
      for (let i = 0; ; i++) {
        try {
          return await t.request<R>(method, params);
        } catch (err) {
          if (!(err instanceof TransportError) || !err.message.includes('not connected') || i > 100) throw err;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };

    it('should attach a signed device as itself and answer its request', async () => {
      const device = await enroll();
      const { t, conn } = await connect(device);
      expect(conn.kind).toBe(channel.kind);
      expect(conn.device).toMatchObject({ machineId: device.machineId, tenantId: 'tenant-1', revokedAt: null });
      expect(await request(t, 'test/echo', { hello: 'world', n: [1, 2] })).toEqual({ params: { hello: 'world', n: [1, 2] }, machineId: device.machineId, kind: channel.kind, connection: conn.id });
    });

    it('should answer concurrent requests each with its own result', async () => {
      const device = await enroll();
      const { t } = await connect(device);
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => request<{ params: { i: number } }>(t, 'test/echo', { i })));
      expect(answers.map((a) => a.params.i)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    });

    it('should pass a coded hub error through, and hide an uncoded one behind InternalError', async () => {
      const device = await enroll();
      const { t } = await connect(device);
      await expect(request(t, 'test/fail', {})).rejects.toEqual(new RemoteError('InvalidParameter', 'the parameter was refused'));
      const crash = await request(t, 'test/crash', {}).then(() => undefined, (err: unknown) => err);
      expect(crash).toBeInstanceOf(RemoteError);
      expect(crash).toMatchObject({ code: 'InternalError' });
      expect((crash as Error).message).not.toContain('secret internal detail');
      // The connection carries on after errors.
      expect(await request(t, 'test/echo', 1)).toMatchObject({ params: 1 });
    });

    it('should deliver server pushes to the device in the order they were sent', async () => {
      const device = await enroll();
      const messages: RpcNotification[] = [];
      const { conn } = await connect(device, messages);
      const sent = Array.from({ length: 25 }, (_, n): RpcNotification => ({ method: 'test/push', params: { n } }));
      for (const m of sent.slice(0, 10)) conn.send(m);
      await until('the first pushes', () => messages.length >= 10);
      for (const m of sent.slice(10)) conn.send(m);
      await until('every push', () => messages.length >= sent.length);
      expect(messages).toEqual(sent);
    });

    it('should push only to the device addressed', async () => {
      const [a, b] = [await enroll(), await enroll()];
      const [gotA, gotB]: RpcNotification[][] = [[], []];
      const ca = await connect(a, gotA);
      await connect(b, gotB);
      ca.conn.send({ method: 'test/push', params: { to: 'a' } });
      await until('the push to a', () => gotA.length >= 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(gotA).toEqual([{ method: 'test/push', params: { to: 'a' } }]);
      expect(gotB).toEqual([]);
    });

    it('should refuse a malformed message with an error, and keep serving', async () => {
      const device = await enroll();
      const outcome = await channel.sendInvalid(server.url, device);
      expect(outcome.refused, outcome.detail).toBe(true);
      const { t } = await connect(device);
      expect(await request(t, 'test/echo', 'after')).toMatchObject({ params: 'after' });
      expect(logged.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('should refuse a revoked device and a device that never enrolled, attaching neither', async () => {
      const revoked = await enroll();
      await store.agents.revokeDevice(revoked.machineId, '2026-01-02T00:00:00.0000000Z');
      const { privateJwk, publicKey } = generateDeviceKey();
      const stranger: ChannelDevice = { machineId: createHash('sha1').update(Buffer.from(publicKey, 'base64')).digest('hex'), key: privateKeyOf(privateJwk) };
      for (const device of [revoked, stranger]) {
        const t = channel.transport([server.url], device);
        transports.push(t);
        const events: string[] = [];
        t.start({ onConnected: () => events.push('connected'), onMessage: () => {}, onDisconnected: (r) => events.push(r) });
        await new Promise((r) => setTimeout(r, 300));
        await expect(t.request('test/echo', {})).rejects.toBeInstanceOf(TransportError);
        expect(hub.attached.filter((c) => c.device.machineId === device.machineId)).toEqual([]);
        await t.stop();
      }
    });

    it('should refuse a device impersonating another (signed with the wrong key)', async () => {
      const victim = await enroll();
      const attacker = await enroll();
      const t = channel.transport([server.url], { machineId: victim.machineId, key: attacker.key });
      transports.push(t);
      t.start({ onConnected: () => {}, onMessage: () => {}, onDisconnected: () => {} });
      await new Promise((r) => setTimeout(r, 300));
      await expect(t.request('test/echo', {})).rejects.toBeInstanceOf(TransportError);
      expect(hub.attached.filter((c) => c.device.machineId === victim.machineId)).toEqual([]);
    });

    it('should detach a connection the server closes, and let the device come back on a new one', async () => {
      const device = await enroll();
      const messages: RpcNotification[] = [];
      const { t, conn } = await connect(device, messages);
      conn.close('replaced by test');
      await until('the hub to detach the closed connection', () => hub.detached.includes(conn));
      const next = await until('the device to reconnect', () => hub.of(device.machineId).find((c) => c.id !== conn.id));
      expect(await request(t, 'test/echo', 'back')).toMatchObject({ params: 'back', connection: next.id });
      next.send({ method: 'test/push', params: { after: 'reconnect' } });
      await until('the push after reconnecting', () => messages.length >= 1);
      expect(messages).toEqual([{ method: 'test/push', params: { after: 'reconnect' } }]);
      // A closed connection swallows what is still sent to it (send never throws).
      expect(() => conn.send({ method: 'test/push', params: { late: true } })).not.toThrow();
    });

    it('should move on to the next server URL when one refuses connections, and stay on the one that works', async () => {
      const device = await enroll();
      const dead = await deadUrl();
      const t = channel.transport([dead, server.url], device);
      transports.push(t);
      const events: string[] = [];
      t.start({ onConnected: () => events.push('connected'), onMessage: () => {}, onDisconnected: (r) => events.push(r) });
      const conn = await until('the device to attach through the second URL', () => hub.of(device.machineId)[0]);
      expect(t.serverUrl()).toBe(server.url);
      expect(await request(t, 'test/echo', 'via second')).toMatchObject({ params: 'via second', connection: conn.id });
    });

    it('should fail over to the next server URL when its server goes away', async () => {
      const device = await enroll();
      const second = await channel.start(hub, new DeviceAuthenticator({ agents: store.agents, nonces: store.nonces, clock: { now: () => Date.now() } }), log);
      try {
        const t = channel.transport([second.url, server.url], device);
        transports.push(t);
        t.start({ onConnected: () => {}, onMessage: () => {}, onDisconnected: () => {} });
        const first = await until('the device to attach to the first URL', () => hub.of(device.machineId)[0]);
        expect(t.serverUrl()).toBe(second.url);
        const closing = second.close();
        first.close('server going away');
        await closing;
        const next = await until('the device to attach again', () => hub.of(device.machineId).find((c) => c.id !== first.id));
        expect(t.serverUrl()).toBe(server.url);
        expect(await request(t, 'test/echo', 'after failover')).toMatchObject({ params: 'after failover', connection: next.id });
      } finally {
        await second.close().catch(() => {});
      }
    });

    it('should detach the device when the agent stops', async () => {
      const device = await enroll();
      const { t, conn } = await connect(device);
      await t.stop();
      await until('the hub to detach the stopped device', () => hub.detached.includes(conn), 10_000);
      expect(hub.of(device.machineId)).toEqual([]);
    });
  });
}

/** A URL on 127.0.0.1 where nothing listens (connections are refused). */
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}
