/**
 * One benchmark worker process: enrolls and connects `count` lightweight protocol clients (the
 * real wire protocol: signed upgrade, hello, accept, finish; no executor, no journal), and for
 * every dispatched action reports the receive time to the parent over IPC.
 *
 * Client i talks to server `urls[i % urls.length]` from source address `sources[i % sources.length]`
 * (one client address reaches one server port through at most ~28,000 ephemeral ports, so tens of
 * thousands of agents need several 127.0.0.x sources). A client whose connection is refused, reset
 * or closed reconnects with the agent's own backoff (exponential, full jitter, 0.5–30 s) and never
 * gives up, as a real agent; the parent asks for counts of what is connected and what failed.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { ACTION_TYPES, AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, AGENT_PROTOCOL_VERSION, canonicalEnrollText, canonicalRequestText, type RpcMessage } from '@cordon/protocol';
import { createBackoff } from '../packages/agent/src/transport/backoff.js';

const now = () => performance.timeOrigin + performance.now();
const [urlsRaw, secret, countRaw, workerId, sourcesRaw = ''] = process.argv.slice(2) as [string, string, string, string, string?];
const urls = urlsRaw.split(',');
const sources = sourcesRaw ? sourcesRaw.split(',') : [undefined];
const count = Number(countRaw);

interface Client {
  index: number;
  key: KeyObject;
  machineId: string;
  serverUrl: string;
  localAddress: string | undefined;
  ws?: WebSocket;
  nextId: number;
  /** Hello answered on the current connection. */
  ready: boolean;
  backoff: { next(): number; reset(): void };
  /** Connection attempts that failed (refused, reset, closed before hello). */
  failures: number;
  lastError?: string;
}

const clients: Client[] = [];
const send = (msg: unknown) => process.send!(msg);

function sig(key: KeyObject, text: string): string {
  return sign(null, Buffer.from(text), key).toString('base64');
}

async function enrollOne(i: number): Promise<Client> {
  const serverUrl = urls[i % urls.length]!;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from((publicKey.export({ format: 'jwk' }).x as string), 'base64url').toString('base64');
  const id = secret.split('.')[0]!;
  const body = {
    enrollmentSecret: secret,
    publicKey: raw,
    proof: sig(privateKey, canonicalEnrollText(id, raw)),
    device: { computerDnsName: `bench-${workerId}-${i}`, osPlatform: 'Linux', osVersion: null, osArchitecture: '64-bit', version: null, agentVersion: 'bench', lastIpAddress: '10.0.0.1', ipAddresses: [] },
  };
  const res = await fetch(new URL(AGENT_PATHS.enroll, serverUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  const { machineId } = (await res.json()) as { machineId: string };
  return { index: i, key: privateKey, machineId, serverUrl, localAddress: sources[i % sources.length], nextId: 1, ready: false, backoff: createBackoff({ minMs: 500, maxMs: 30_000 }), failures: 0 };
}

let stopping = false;
/** Resolved once each client's first hello is answered (later reconnects are counted, not awaited). */
const firstHello = new Map<Client, () => void>();

function retry(c: Client, why: string): void {
  c.ready = false;
  c.failures++;
  c.lastError = why;
  if (stopping) return;
  setTimeout(() => open(c), c.backoff.next()).unref();
}

function open(c: Client): void {
  const accepting = new Map<number, string>();
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const text = canonicalRequestText({ method: 'GET', path: AGENT_PATHS.websocket, machineId: c.machineId, timestamp, nonce, bodySha256: createHash('sha256').update('').digest('hex') });
  const ws = new WebSocket(new URL(AGENT_PATHS.websocket, c.serverUrl.replace(/^http/, 'ws')), {
    perMessageDeflate: false,
    localAddress: c.localAddress,
    headers: { [AGENT_AUTH_HEADERS.machineId]: c.machineId, [AGENT_AUTH_HEADERS.timestamp]: timestamp, [AGENT_AUTH_HEADERS.nonce]: nonce, [AGENT_AUTH_HEADERS.signature]: sig(c.key, text) },
  });
  c.ws = ws;
  let failed = false;
  const fail = (why: string) => {
    if (failed) return;
    failed = true;
    retry(c, why);
  };
  ws.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
  ws.on('unexpected-response', (_req, res) => {
    fail(`HTTP ${res.statusCode}`);
    ws.terminate();
  });
  ws.on('close', (code) => fail(`closed ${code}`));
  let helloId = 0;
  ws.on('open', () => {
    helloId = c.nextId++;
    ws.send(JSON.stringify({ id: helloId, method: AGENT_METHODS.hello.method, params: { protocolVersion: AGENT_PROTOCOL_VERSION, capabilities: [...ACTION_TYPES], computerDnsName: `bench-${c.machineId.slice(0, 8)}`, osPlatform: 'Linux', osVersion: null, osArchitecture: '64-bit', version: null, agentVersion: 'bench', lastIpAddress: null, ipAddresses: [] } }));
  });
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as RpcMessage;
    if ('id' in msg && !('method' in msg)) {
      if (msg.id === helloId) {
        c.ready = true;
        c.backoff.reset();
        firstHello.get(c)?.();
        firstHello.delete(c);
        // Hello answered: heartbeat as a real agent does, spread over the interval.
        const every = (msg as { result?: { heartbeatIntervalMs?: number } }).result?.heartbeatIntervalMs;
        if (every) {
          const beat = () => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ id: c.nextId++, method: AGENT_METHODS.heartbeat.method, params: {} }));
          const timer = setTimeout(() => {
            const interval = setInterval(beat, every).unref();
            ws.once('close', () => clearInterval(interval));
          }, Math.random() * every).unref();
          ws.once('close', () => clearTimeout(timer));
        }
      }
      const actionId = accepting.get(msg.id);
      if (actionId) {
        // As a real agent: finish only once the server confirmed the accept.
        accepting.delete(msg.id);
        ws.send(JSON.stringify({ id: c.nextId++, method: AGENT_METHODS.finish.method, params: { actionId, outcome: { status: 'Succeeded' } } }));
      }
      return;
    }
    if ('method' in msg && msg.method === AGENT_METHODS.dispatch.method) {
      const receivedAt = now();
      const action = (msg.params as { action: { id: string } }).action;
      send({ kind: 'received', actionId: action.id, receivedAt });
      // Accept, then finish as soon as accepted: the benchmark measures dispatch, not an executor.
      const id = c.nextId++;
      accepting.set(id, action.id);
      ws.send(JSON.stringify({ id, method: AGENT_METHODS.accept.method, params: { actionId: action.id } }));
    }
  });
}

/** Opens the client and resolves at its first answered hello, however many attempts that takes. */
function connect(c: Client): Promise<void> {
  return new Promise((resolve) => {
    firstHello.set(c, resolve);
    open(c);
  });
}

function status() {
  const errors: Record<string, number> = {};
  for (const c of clients) if (!c.ready && c.lastError) errors[c.lastError] = (errors[c.lastError] ?? 0) + 1;
  return { kind: 'status', clients: clients.length, ready: clients.filter((c) => c.ready).length, failures: clients.reduce((n, c) => n + c.failures, 0), notReadyBy: errors };
}

async function pool<T>(items: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(items);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items) }, async () => {
      while (next < items) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

process.on('message', async (m: { kind: string }) => {
  if (m.kind === 'connect') {
    await pool(clients.length, 32, (i) => connect(clients[i]!));
    send({ kind: 'connected' });
  }
  if (m.kind === 'status') send(status());
  if (m.kind === 'stop') {
    stopping = true;
    for (const c of clients) c.ws?.terminate();
  }
});

clients.push(...(await pool(count, 16, enrollOne)));
send({ kind: 'enrolled', machineIds: clients.map((c) => c.machineId) });
