/**
 * Resource limits, each through the real app: JSON body size (413), header size (431,
 * enforced by Node's parser, so over a real socket), the request-receive and body timeouts (slow
 * senders over a real socket), the
 * per-caller rate limit (the 101st call in a minute is 429 with Retry-After), the library upload
 * size (20 MB), the agent WebSocket's message size and message rate, and the connections per device
 * (WebSocket and long-poll sessions together). Every refusal carries the MDE envelope.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AGENT_AUTH_HEADERS, AGENT_FILE_HEADERS, AGENT_PATHS, agentResultPath } from '@cordon/protocol';
import { MAX_LIBRARY_FILE_BYTES } from '@cordon/core';
import { loadConfig, wireDispatch } from '@cordon/server';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';
import { addDevice, multipart, sha256 } from './forensics-helpers.js';
import { expectErrorShape } from './fuzz/fuzz-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function snapshot(app: TestApp): Promise<string> {
  const parts: unknown[] = [];
  for (const table of ['machine_actions', 'machines', 'machine_tags'] as const) parts.push(await app.store.db.selectFrom(table).selectAll().execute());
  return JSON.stringify(parts);
}

/** Sends raw bytes to the listening server and resolves with everything it answers before closing. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', (err) => (data ? resolve(data) : reject(err)));
    socket.on('close', () => resolve(data));
    socket.end(request);
  });
}

describe('body size', () => {
  it('should answer 413 PayloadTooLarge for a JSON body over the limit and change nothing', async () => {
    t = await startTestApp({ env: { CORDON_BODY_LIMIT_BYTES: '4096' } });
    const machine = await t.seedMachine();
    const token = await t.token(ALL_ROLES);
    const before = await snapshot(t);
    const over = JSON.stringify({ Comment: 'x'.repeat(4096) });
    const res = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/isolate`, payload: over, headers: { 'content-type': 'application/json' }, token });
    expect(res.statusCode).toBe(413);
    expect(expectErrorShape(res).code).toBe('PayloadTooLarge');
    expect(await snapshot(t)).toBe(before);
    // Just under the limit the body is read (and refused for what it says, not for its size).
    const under = JSON.stringify({ Comment: 'x'.repeat(4000) });
    const ok = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/isolate`, payload: under, headers: { 'content-type': 'application/json' }, token });
    expect(ok.statusCode).toBe(201);
  });

  it('should cap token-request forms at 16 KiB', async () => {
    t = await startTestApp();
    const res = await t.app.inject({ method: 'POST', url: `/${t.tenantId}/oauth2/v2.0/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `client_id=${'a'.repeat(17 * 1024)}` });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: string }).error).toBe('invalid_request');
  });
});

describe('header size', () => {
  it('should answer 431 with the MDE envelope for headers over the limit, over a real socket', async () => {
    t = await startTestApp({ env: { CORDON_MAX_HEADER_BYTES: '4096' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const small = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(2000)}\r\nConnection: close\r\n\r\n`);
    expect(small).toMatch(/^HTTP\/1\.1 200 /);
    const big = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(5000)}\r\nConnection: close\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4)) as { error: Record<string, string> };
    expect(body).toEqual({ error: { code: 'RequestHeaderFieldsTooLarge', message: 'Request header fields are too large', target: expect.any(String) } });
  });

  it('should default to 16 KiB and also answer unreadable requests with the envelope', async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const big = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    const garbage = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'BadRequest', message: 'The request could not be read', target: expect.any(String) } });
  });

  it('should bound the time to receive a request (slow senders), from config', async () => {
    t = await startTestApp({ env: { CORDON_REQUEST_TIMEOUT_SECONDS: '42' } });
    expect(t.app.server.requestTimeout).toBe(42_000);
    expect(loadConfig({ CORDON_BODY_TIMEOUT_SECONDS: '7' }).bodyTimeoutMs).toBe(7_000);
    expect(loadConfig({}).bodyTimeoutMs).toBe(300_000); // as SECURITY.md states
    const defaults = await startTestApp();
    try {
      expect(defaults.app.server.requestTimeout).toBe(3_600_000);
    } finally {
      await defaults.close();
    }
  });
});

/** Sends a request head and the start of its body, then nothing more; resolves with the answer once the server closes. */
function stalledBody(port: number, head: string, firstBytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', (err) => (data ? resolve(data) : reject(err)));
    socket.on('close', () => resolve(data));
    socket.write(head + firstBytes);
  });
}

describe('slow request bodies', () => {
  // One second instead of 300: each test below passing within the test timeout shows the connection
  // was closed long before the hour-long request timeout kept for device uploads.
  const env = { CORDON_BODY_TIMEOUT_SECONDS: '1' };
  const listen = async () => {
    await t!.app.listen({ port: 0, host: '127.0.0.1' });
    return (t!.app.server.address() as AddressInfo).port;
  };

  it('should answer 408 and close an unauthenticated token request whose body stalls', async () => {
    t = await startTestApp({ env });
    const port = await listen();
    const answer = await stalledBody(port, `POST /${t.tenantId}/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n`, 'grant_type=cli');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'RequestTimeout', message: expect.any(String), target: expect.any(String) } });
  });

  it('should close the connection of a refused request whose body is left unread', async () => {
    t = await startTestApp({ env });
    const port = await listen();
    const answer = await stalledBody(port, 'POST /api/machines/m1/isolate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n', '{"Comment":');
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('should let an authenticated device upload take longer than the short body timeout', async () => {
    t = await startTestApp({ env });
    const machine = await t.seedMachine();
    const device = await addDevice(t, machine.id);
    const created = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/collectInvestigationPackage`, payload: { Comment: 'collect' }, token: await t.token(ALL_ROLES) });
    const actionId = created.json().id as string;
    await t.actions.accept(t.tenantId, actionId, machine.id);
    const port = await listen();
    const zip = Buffer.from('PK\u0003\u0004 a package sent slowly');
    const path = agentResultPath(actionId, 'InvestigationPackage.zip');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: { ...device.headers('POST', path, sha256(zip)), 'content-type': 'application/octet-stream', 'content-length': String(zip.length), [AGENT_FILE_HEADERS.contentSha256]: sha256(zip), [AGENT_FILE_HEADERS.resultType]: 'application/zip' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write(zip.subarray(0, 4));
      // Past the 1 s body timeout an unauthenticated sender would have been cut off by now.
      void sleep(2_500).then(() => req.end(zip.subarray(4)));
    });
    expect(status).toBe(201);
  });
});

describe('rate limit per caller', () => {
  it('should answer the 101st call of one minute with 429 and Retry-After, then recover in the next minute', async () => {
    t = await startTestApp();
    const token = await t.token(['Machine.Read.All']);
    for (let i = 0; i < 100; i++) expect((await t.call({ method: 'GET', url: '/api/machines', token })).statusCode).toBe(200);
    const limited = await t.call({ method: 'GET', url: '/api/machines', token });
    expect(limited.statusCode).toBe(429);
    expect(expectErrorShape(limited).code).toBe('TooManyRequests');
    // The fake clock sits on a minute boundary: the whole minute is left.
    expect(limited.headers['retry-after']).toBe('60');
    // Another caller, and another API of the same caller, keep their own budgets (mde-api.md §3).
    expect((await t.call({ method: 'GET', url: '/api/machines', token: await t.token(['Machine.Read.All', 'Machine.Isolate']) })).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/machineactions', token })).statusCode).toBe(200);
    t.clock.advance(30_000);
    const later = await t.call({ method: 'GET', url: '/api/machines', token });
    expect(later.statusCode).toBe(429);
    expect(later.headers['retry-after']).toBe('30');
    t.clock.advance(30_000);
    expect((await t.call({ method: 'GET', url: '/api/machines', token })).statusCode).toBe(200);
  });
});

describe('library upload size', () => {
  it(`should refuse a library file over ${MAX_LIBRARY_FILE_BYTES / 1024 / 1024} MB with 400 and keep none of it`, async () => {
    t = await startTestApp();
    const token = await t.token(['Library.Manage']);
    const big = await multipart({ File: { name: 'big.bin', content: Buffer.alloc(MAX_LIBRARY_FILE_BYTES + 1, 0x41) } });
    const res = await t.call({ method: 'POST', url: '/api/libraryfiles', payload: big.payload, headers: big.headers, token });
    expect(res.statusCode).toBe(400);
    expect(expectErrorShape(res).message).toMatch(/larger than the 20 MB/);
    const list = await t.call({ method: 'GET', url: '/api/libraryfiles', token });
    expect((list.json() as { value: unknown[] }).value).toEqual([]);
    const exact = await multipart({ File: { name: 'exact.bin', content: Buffer.alloc(MAX_LIBRARY_FILE_BYTES, 0x41) } });
    expect((await t.call({ method: 'POST', url: '/api/libraryfiles', payload: exact.payload, headers: exact.headers, token })).statusCode).toBe(200);
  });
});

describe('agent WebSocket', () => {
  async function agentSocket() {
    t = await startTestApp();
    await wireDispatch({ built: t, store: t.store, clock: t.clock, heartbeatIntervalMs: 30_000 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const machine = await t.seedMachine();
    const device = await addDevice(t, machine.id);
    return () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}${AGENT_PATHS.websocket}`, { headers: device.headers('GET', AGENT_PATHS.websocket), maxPayload: 64 * 1024 * 1024 });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
  }
  const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

  it('should close a device connection that sends a message over 4 MiB (1009) and keep serving others', async () => {
    const open = await agentSocket();
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    expect(await closed).toBe(1009);
    const again = await open();
    const reply = new Promise<unknown>((resolve) => again.once('message', (data) => resolve(JSON.parse(String(data)))));
    again.send(JSON.stringify({ id: 1, method: 'agent/nope', params: {} }));
    expect(await reply).toMatchObject({ id: 1, error: expect.any(Object) });
    again.close();
  });

  it.each(['null', '7', '"agent/hello"', 'true', '[]', '{"method":"agent/heartbeat","params":{}}', '{'])('should close a socket whose frame %s is no JSON request (1002), and keep serving', async (frame) => {
    const open = await agentSocket();
    const ws = await open();
    const closed = closeCode(ws);
    ws.send(frame);
    expect(await closed).toBe(1002);
    const again = await open();
    const reply = new Promise<unknown>((resolve) => again.once('message', (data) => resolve(JSON.parse(String(data)))));
    again.send(JSON.stringify({ id: 2, method: 'agent/heartbeat', params: {} }));
    expect(await reply).toEqual({ id: 2, result: { ok: true } });
    again.close();
  });

  it('should cut off a device that floods messages (1008) far beyond the 200-message burst', async () => {
    const open = await agentSocket();
    const ws = await open();
    const closed = closeCode(ws);
    const frame = JSON.stringify({ id: 1, method: 'agent/nope', params: {} });
    for (let i = 0; i < 2000; i++) ws.send(frame);
    expect(await closed).toBe(1008);
  });

  it('should meter console output apart: 500 live/output frames (past the 200-message burst) keep the socket open', async () => {
    const open = await agentSocket();
    const ws = await open();
    let closedWith: number | undefined;
    ws.once('close', (code) => (closedWith = code));
    const answered = new Promise<void>((resolve) => {
      let n = 0;
      ws.on('message', () => ++n === 500 && resolve());
    });
    for (let i = 0; i < 500; i++) ws.send(JSON.stringify({ id: i, method: 'live/output', params: { sessionId: 'none', commandId: 1, seq: i, text: 'x' } }));
    await answered;
    const reply = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    ws.send(JSON.stringify({ id: 9999, method: 'agent/heartbeat', params: {} }));
    expect(await reply).toEqual({ id: 9999, result: { ok: true } });
    expect(closedWith).toBeUndefined();
    ws.close();
  });

  it('should still cut off a device that floods console output (1008) far beyond its burst', async () => {
    const open = await agentSocket();
    const ws = await open();
    const closed = closeCode(ws);
    const frame = JSON.stringify({ id: 1, method: 'live/output', params: { sessionId: 'none', commandId: 1, seq: 0, text: 'x' } });
    for (let i = 0; i < 5000; i++) ws.send(frame);
    expect(await closed).toBe(1008);
  });

  it('should keep at most two connections per device, closing the oldest', async () => {
    const open = await agentSocket();
    const first = await open();
    const firstClosed = closeCode(first);
    const second = await open();
    const third = await open();
    expect(await firstClosed).toBe(4000);
    expect([second.readyState, third.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
    second.close();
    third.close();
  });
});

describe('agent connections per device, WebSocket and long-poll together', () => {
  async function agentChannels() {
    t = await startTestApp();
    const dispatcher = await wireDispatch({ built: t, store: t.store, clock: t.clock, heartbeatIntervalMs: 30_000, pollWaitMs: 10 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const device = await addDevice(t, (await t.seedMachine()).id);
    const app = t;
    return {
      connections: () => dispatcher.hub.connectionCount,
      socket: () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}${AGENT_PATHS.websocket}`, { headers: device.headers('GET', AGENT_PATHS.websocket) });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
      poll: async (session: string) => {
        const res = await app.app.inject({ method: 'GET', url: AGENT_PATHS.poll, headers: { ...device.headers('GET', AGENT_PATHS.poll), [AGENT_AUTH_HEADERS.session]: session } });
        expect(res.statusCode).toBe(200);
      },
    };
  }
  const session = (i: number) => `limits-session-${String(i).padStart(6, '0')}`;

  it('should hold at most two long-poll sessions of one device, however many it opens', async () => {
    const c = await agentChannels();
    for (let i = 0; i < 50; i++) await c.poll(session(i));
    expect(c.connections()).toBe(2);
  });

  it('should count WebSockets and poll sessions against the same cap, closing the oldest', async () => {
    const c = await agentChannels();
    const first = await c.socket();
    const firstClosed = new Promise<number>((resolve) => first.once('close', (code) => resolve(code)));
    const second = await c.socket();
    await c.poll(session(1));
    expect(await firstClosed).toBe(4000);
    expect(second.readyState).toBe(WebSocket.OPEN);
    const secondClosed = new Promise<number>((resolve) => second.once('close', (code) => resolve(code)));
    await c.poll(session(2)); // the oldest is now the second socket
    expect(await secondClosed).toBe(4000);
  });
});
