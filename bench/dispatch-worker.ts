/**
 * One benchmark worker process: enrolls and connects `count` lightweight protocol clients (the
 * real wire protocol: signed upgrade, hello, accept, finish; no executor, no journal), and for
 * every dispatched action reports the receive time to the parent over IPC.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { ACTION_TYPES, AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, AGENT_PROTOCOL_VERSION, canonicalEnrollText, canonicalRequestText, type RpcMessage } from '@cordon/protocol';

const now = () => performance.timeOrigin + performance.now();
const [serverUrl, secret, countRaw, workerId] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countRaw);

interface Client {
  key: KeyObject;
  machineId: string;
  ws?: WebSocket;
  nextId: number;
}

const clients: Client[] = [];
const send = (msg: unknown) => process.send!(msg);

function sig(key: KeyObject, text: string): string {
  return sign(null, Buffer.from(text), key).toString('base64');
}

async function enrollOne(i: number): Promise<Client> {
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
  return { key: privateKey, machineId, nextId: 1 };
}

function connect(c: Client): Promise<void> {
  const accepting = new Map<number, string>();
  return new Promise((resolve, reject) => {
    const timestamp = String(Date.now());
    const nonce = randomBytes(16).toString('hex');
    const text = canonicalRequestText({ method: 'GET', path: AGENT_PATHS.websocket, machineId: c.machineId, timestamp, nonce, bodySha256: createHash('sha256').update('').digest('hex') });
    const ws = new WebSocket(new URL(AGENT_PATHS.websocket, serverUrl.replace(/^http/, 'ws')), {
      perMessageDeflate: false,
      headers: { [AGENT_AUTH_HEADERS.machineId]: c.machineId, [AGENT_AUTH_HEADERS.timestamp]: timestamp, [AGENT_AUTH_HEADERS.nonce]: nonce, [AGENT_AUTH_HEADERS.signature]: sig(c.key, text) },
    });
    c.ws = ws;
    ws.once('error', reject);
    ws.on('open', () => {
      ws.send(JSON.stringify({ id: c.nextId++, method: AGENT_METHODS.hello.method, params: { protocolVersion: AGENT_PROTOCOL_VERSION, capabilities: [...ACTION_TYPES], computerDnsName: `bench-${c.machineId.slice(0, 8)}`, osPlatform: 'Linux', osVersion: null, osArchitecture: '64-bit', version: null, agentVersion: 'bench', lastIpAddress: null, ipAddresses: [] } }));
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as RpcMessage;
      if ('id' in msg && !('method' in msg)) {
        if (msg.id === 1) {
          // Hello answered: heartbeat as a real agent does, spread over the interval.
          const every = (msg as { result?: { heartbeatIntervalMs?: number } }).result?.heartbeatIntervalMs;
          if (every) {
            const beat = () => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ id: c.nextId++, method: AGENT_METHODS.heartbeat.method, params: {} }));
            setTimeout(() => setInterval(beat, every).unref(), Math.random() * every).unref();
          }
          resolve();
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
  });
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
});

clients.push(...(await pool(count, 16, enrollOne)));
send({ kind: 'enrolled', machineIds: clients.map((c) => c.machineId) });
