/**
 * A hostile enrolled device against a real `cordon server` process (spawned from sources, SQLite):
 * it sends JSON that is no request (null, numbers, strings, booleans, arrays), text that is no JSON,
 * and requests with random methods and params (scalars, arrays, deeply nested and oversized
 * values), over the real WebSocket and the real long-poll endpoints. The generators are the
 * in-process fuzz's (packages/server/test/fuzz/agent-message-arbitraries.ts).
 *
 * Invariants: the process never exits; a frame that is no request closes that socket with 1002; a
 * request gets `{id, result}` or a coded error that is never InternalError; a refusal changes
 * nothing the API shows; afterwards the API still answers, another device's machine and action
 * are as they were, and an honest agent process connects and runs an action to Succeeded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, AGENT_PROTOCOL_VERSION, type OnboardingPackage } from '@cordon/protocol';
import { Api, freePort, killAll, runCordon, spawnCordon, waitFor, type Proc } from './support/cluster.js';
import { enrollDevice, type SignedDevice } from './support/device.js';
import { NON_OBJECT_JSON, agentFrame } from '../packages/server/test/fuzz/agent-message-arbitraries.js';

const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';
const RUNS = Math.max(10, Math.round(Number(process.env.CORDON_FUZZ_RUNS ?? 300) / 5));
const FUZZ_PARAMS = { numRuns: RUNS, timeout: 15_000, ...(process.env.CORDON_FUZZ_SEED ? { seed: Number(process.env.CORDON_FUZZ_SEED) } : {}) };
const HELLO = { protocolVersion: AGENT_PROTOCOL_VERSION, computerDnsName: 'device', osPlatform: 'Linux', osVersion: '12', osArchitecture: '64-bit', version: null, agentVersion: 'test', lastIpAddress: null, ipAddresses: [], capabilities: ['Isolate', 'Unisolate'] };

type Answer = { id?: unknown; result?: unknown; error?: { code: string; message: string } };

describe('a hostile enrolled device against a real server process', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: Proc;
  let api: Api;
  let pkgFile: string;
  let base: string;
  let hostile: SignedDevice;
  let neighbour: SignedDevice;
  const ids = { own: '', neighbour: '' };

  const rpc = async (device: SignedDevice, body: string, session = 'hostile-session-000001') => {
    const res = await fetch(new URL(AGENT_PATHS.rpc, base), { method: 'POST', headers: { ...device.headers('POST', AGENT_PATHS.rpc, body), [AGENT_AUTH_HEADERS.session]: session, 'content-type': RPC_CONTENT_TYPE }, body });
    const text = await res.text();
    return { status: res.status, text };
  };
  const openSocket = (device: SignedDevice) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(new URL(AGENT_PATHS.websocket, base.replace(/^http/, 'ws')), { headers: device.headers('GET', AGENT_PATHS.websocket) });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  /** What the API shows of a device and its action: a refusal must leave it as it was. */
  const shown = async (device: SignedDevice, actionId: string) => JSON.stringify([(await api.call('GET', `/api/machines/${device.machineId}`)).body, (await api.call('GET', `/api/machineactions/${actionId}`)).body]);
  const resolveIds = (v: unknown) =>
    JSON.parse(
      JSON.stringify(v ?? null)
        .replaceAll('<own>', ids.own)
        .replaceAll('<neighbour>', ids.neighbour)
        .replaceAll('<other-tenant>', '00000000-0000-4000-8000-000000000000'),
    ) as unknown;
  const expectAlive = () => expect(server.child.exitCode, `the server exited:\n${server.output().slice(-2000)}`).toBeNull();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-hostile-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { CORDON_DATA: join(dir, 'server'), CORDON_PORT: String(port), CORDON_LOG_LEVEL: 'warn', CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 1_000_000, perHour: 10_000_000 } }) };
    server = spawnCordon(['server'], env);
    await waitFor('server', () => server.output().includes('listening on') || undefined, 30_000);
    api = new Api(base);
    await api.login(join(dir, 'server', 'credentials.json'));
    const pkg = await runCordon(['onboarding-package', '--max-uses', '3'], env);
    expect(pkg.code).toBe(0);
    pkgFile = join(dir, 'onboarding.json');
    await writeFile(pkgFile, pkg.stdout);
    const onboarding = JSON.parse(pkg.stdout) as OnboardingPackage;
    hostile = await enrollDevice(onboarding, 'hostile');
    neighbour = await enrollDevice(onboarding, 'neighbour');
    for (const [name, device] of [['own', hostile], ['neighbour', neighbour]] as const) {
      const hello = await rpc(device, JSON.stringify({ method: AGENT_METHODS.hello.method, params: { ...HELLO, computerDnsName: name } }), `hello-session-${name}-0001`);
      expect(hello.status).toBe(200);
      const created = await api.call('POST', `/api/machines/${device.machineId}/isolate`, { Comment: `for ${name}`, IsolationType: 'Full' });
      expect(created.status).toBe(201);
      ids[name] = created.body.id;
    }
  }, 90_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should close the WebSocket of a device whose frame is JSON but no request (1002), and stay up', async () => {
    for (const frame of NON_OBJECT_JSON) {
      const ws = await openSocket(hostile);
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send(frame);
      expect(await closed, `close code after ${frame}`).toBe(1002);
      expectAlive();
    }
  });

  it('should answer or close for anything sent over the WebSocket, never die, and change nothing on a refusal', async () => {
    let ws: WebSocket | undefined;
    await fc.assert(
      fc.asyncProperty(agentFrame(), async (frame) => {
        if (!ws || ws.readyState !== WebSocket.OPEN) ws = await openSocket(hostile);
        const socket = ws;
        const before = await shown(hostile, ids.own);
        const text = frame.text(resolveIds);
        const id = frame.kind === 'request' ? (JSON.parse(text) as { id: number }).id : undefined;
        const outcome = await new Promise<{ closed: number } | { answer: Answer }>((resolve) => {
          const onMessage = (data: WebSocket.RawData) => {
            const msg = JSON.parse(String(data)) as Answer;
            if (msg.id === undefined || msg.id !== id) return; // a notification (catch-up dispatch)
            socket.off('message', onMessage);
            resolve({ answer: msg });
          };
          socket.on('message', onMessage);
          socket.once('close', (code) => resolve({ closed: code }));
          socket.send(text);
        });
        expectAlive();
        if ('closed' in outcome) {
          expect(frame.kind === 'request' ? [1008] : [1002], `closed ${outcome.closed} after a ${frame.kind}`).toContain(outcome.closed);
          expect(await shown(hostile, ids.own)).toBe(before);
          return;
        }
        expect(frame.kind).toBe('request');
        if (outcome.answer.error) {
          expect(outcome.answer.error.code, outcome.answer.error.message).not.toBe('InternalError');
          expect(await shown(hostile, ids.own)).toBe(before);
        } else {
          expect('result' in outcome.answer).toBe(true);
        }
      }),
      FUZZ_PARAMS,
    );
    ws?.close();
  }, 300_000);

  it('should answer anything sent over long-poll below 500, never die, and change nothing on a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(agentFrame(), async (frame) => {
        const before = await shown(hostile, ids.own);
        const res = await rpc(hostile, frame.text(resolveIds));
        expectAlive();
        expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
        const answer = JSON.parse(res.text) as Answer;
        if (answer.error || res.status !== 200) {
          expect(answer.error?.code, answer.error?.message).not.toBe('InternalError');
          expect(await shown(hostile, ids.own)).toBe(before);
        } else {
          expect(frame.kind).toBe('request');
          expect('result' in answer).toBe(true);
        }
      }),
      FUZZ_PARAMS,
    );
  }, 300_000);

  it('should still answer the API, leave other devices alone, and serve an honest agent afterwards', async () => {
    expectAlive();
    expect((await api.call('GET', '/api/machines')).status).toBe(200);
    const other = await api.action(ids.neighbour);
    expect(other.status).toBe('Pending');
    expect((await api.call('GET', `/api/machines/${neighbour.machineId}`)).body.computerDnsName).toBe('neighbour');

    const agent = spawnCordon(['agent', '--onboarding', pkgFile, '--state', join(dir, 'agent'), '--platform', 'fake'], {});
    await waitFor('the honest agent', () => agent.output().includes('"msg":"connected"') || undefined, 30_000);
    const machines = (await api.call('GET', '/api/machines')).body.value as { id: string; computerDnsName: string }[];
    const honest = machines.find((m) => m.id !== hostile.machineId && m.id !== neighbour.machineId);
    expect(honest).toBeDefined();
    const r = await api.call('POST', `/api/machines/${honest!.id}/isolate`, { Comment: 'after the fuzz', IsolationType: 'Selective' });
    expect(r.status).toBe(201);
    expect((await api.waitStatus(r.body.id, ['Succeeded', 'Failed'])).status).toBe('Succeeded');
    expectAlive();
  }, 90_000);
});
