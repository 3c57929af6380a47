/**
 * One chaos worker process (bench/chaos.ts): enrolls and connects `count` simulated agents that
 * speak the real wire protocol (signed upgrade, hello, accept, finish) and behave like the real
 * agent where it matters for the checks:
 *   - a journal per device (the real agent's state.ts): an action accepted once is never run again;
 *     a re-dispatched action that already ran only gets its finish re-sent;
 *   - isolation state per device, changed only by running Isolate/Unisolate;
 *   - reconnects with jittered backoff whenever the socket drops (server killed, connection cut).
 * It also cuts its own connections at random (`cutRate` per agent per second). On 'report' it sends
 * each device's journal and isolation state to the parent.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { ACTION_TYPES, AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, AGENT_PROTOCOL_VERSION, canonicalEnrollText, canonicalRequestText, type RpcMessage } from '@cordon/protocol';

const [serverUrl, secret, countRaw, workerId, cutRateRaw] = process.argv.slice(2) as [string, string, string, string, string];
const count = Number(countRaw);
const cutRate = Number(cutRateRaw);
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

type Phase = 'accepting' | 'ran' | 'finished' | 'skipped';
interface Entry {
  type: string;
  phase: Phase;
  runs: number;
  /** Order in which this device ran its actions. */
  ranAt: number | null;
  redispatches: number;
}
interface Agent {
  key: KeyObject;
  machineId: string;
  ws?: WebSocket;
  nextId: number;
  journal: Map<string, Entry>;
  isolated: boolean;
  runCounter: number;
  /** request id -> what it was, to read the answer. */
  inflight: Map<number, { method: string; actionId: string }>;
  reconnects: number;
}

const agents: Agent[] = [];
let stopping = false;
let cuts = 0;
let connectFailures = 0;
const send = (msg: unknown) => process.send!(msg);
const sig = (key: KeyObject, text: string) => sign(null, Buffer.from(text), key).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function enrollOne(i: number): Promise<Agent> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');
  const id = secret.split('.')[0]!;
  const body = {
    enrollmentSecret: secret,
    publicKey: raw,
    proof: sig(privateKey, canonicalEnrollText(id, raw)),
    device: { computerDnsName: `chaos-${workerId}-${i}`, osPlatform: 'Linux', osVersion: null, osArchitecture: '64-bit', version: null, agentVersion: 'chaos', lastIpAddress: '10.0.0.1', ipAddresses: [] },
  };
  const res = await fetch(new URL(AGENT_PATHS.enroll, serverUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  const { machineId } = (await res.json()) as { machineId: string };
  return { key: privateKey, machineId, nextId: 1, journal: new Map(), isolated: false, runCounter: 0, inflight: new Map(), reconnects: 0 };
}

function request(a: Agent, method: string, params: Record<string, unknown>, actionId = ''): void {
  const ws = a.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) return; // resent after the next hello's catch-up
  const id = a.nextId++;
  if (actionId) a.inflight.set(id, { method, actionId });
  ws.send(JSON.stringify({ id, method, params }));
}

function finish(a: Agent, actionId: string): void {
  request(a, AGENT_METHODS.finish.method, { actionId, outcome: { status: 'Succeeded' } }, actionId);
}

/** What the real agent's runner does with a dispatched action, journal first. */
function onDispatch(a: Agent, action: { id: string; type: string }): void {
  const entry = a.journal.get(action.id);
  if (!entry) {
    a.journal.set(action.id, { type: action.type, phase: 'accepting', runs: 0, ranAt: null, redispatches: 0 });
    request(a, AGENT_METHODS.accept.method, { actionId: action.id }, action.id);
    return;
  }
  entry.redispatches++;
  if (entry.phase === 'accepting') request(a, AGENT_METHODS.accept.method, { actionId: action.id }, action.id);
  else if (entry.phase === 'ran') finish(a, action.id); // never run twice: only the report is repeated
}

function onAnswer(a: Agent, id: number, result: { status?: string } | undefined): void {
  const req = a.inflight.get(id);
  if (!req) return;
  a.inflight.delete(id);
  const entry = a.journal.get(req.actionId);
  if (!entry || !result?.status) return; // an error: the action comes back with the next catch-up
  if (req.method === AGENT_METHODS.accept.method) {
    if (entry.phase !== 'accepting') return;
    if (result.status === 'InProgress') {
      entry.phase = 'ran';
      entry.runs++;
      entry.ranAt = a.runCounter++;
      if (entry.type === 'Isolate') a.isolated = true;
      if (entry.type === 'Unisolate') a.isolated = false;
      finish(a, req.actionId);
    } else if (result.status !== 'Pending') {
      entry.phase = 'skipped'; // cancelled or timed out before it started
    }
  } else if (req.method === AGENT_METHODS.finish.method && result.status !== 'InProgress') {
    entry.phase = 'finished';
  }
}

function connect(a: Agent): Promise<void> {
  return new Promise<void>((resolve) => {
    const timestamp = String(Date.now());
    const nonce = randomBytes(16).toString('hex');
    const text = canonicalRequestText({ method: 'GET', path: AGENT_PATHS.websocket, machineId: a.machineId, timestamp, nonce, bodySha256: EMPTY_SHA256 });
    const ws = new WebSocket(new URL(AGENT_PATHS.websocket, serverUrl.replace(/^http/, 'ws')), {
      perMessageDeflate: false,
      headers: { [AGENT_AUTH_HEADERS.machineId]: a.machineId, [AGENT_AUTH_HEADERS.timestamp]: timestamp, [AGENT_AUTH_HEADERS.nonce]: nonce, [AGENT_AUTH_HEADERS.signature]: sig(a.key, text) },
    });
    a.ws = ws;
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    ws.on('error', () => undefined); // 'close' follows
    ws.on('close', () => {
      a.inflight.clear();
      done();
      if (a.ws === ws && !stopping) {
        a.reconnects++;
        setTimeout(() => void connect(a), 200 + Math.random() * 1800); // jittered backoff
      }
    });
    ws.on('open', () => {
      const helloId = a.nextId++;
      ws.send(JSON.stringify({ id: helloId, method: AGENT_METHODS.hello.method, params: { protocolVersion: AGENT_PROTOCOL_VERSION, capabilities: [...ACTION_TYPES], computerDnsName: `chaos-${a.machineId.slice(0, 8)}`, osPlatform: 'Linux', osVersion: null, osArchitecture: '64-bit', version: null, agentVersion: 'chaos', lastIpAddress: null, ipAddresses: [] } }));
      done();
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as RpcMessage & { result?: { status?: string } };
      if ('id' in msg && !('method' in msg)) return onAnswer(a, msg.id as number, msg.result);
      if ('method' in msg && msg.method === AGENT_METHODS.dispatch.method) onDispatch(a, (msg.params as { action: { id: string; type: string } }).action);
    });
  }).catch(() => {
    connectFailures++;
  });
}

async function pool(items: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items) }, async () => {
    while (next < items) await fn(next++);
  }));
}

process.on('message', async (m: { kind: string }) => {
  if (m.kind === 'connect') {
    await pool(agents.length, 32, (i) => connect(agents[i]!));
    send({ kind: 'connected' });
    // Random connection cuts, on top of the server's own deaths.
    const cutter = setInterval(() => {
      if (stopping) return clearInterval(cutter);
      for (const a of agents) {
        if (a.ws?.readyState === WebSocket.OPEN && Math.random() < cutRate) {
          cuts++;
          a.ws.terminate();
        }
      }
    }, 1000);
  } else if (m.kind === 'calm') {
    stopping = false;
  } else if (m.kind === 'report') {
    stopping = true;
    send({
      kind: 'report',
      cuts,
      connectFailures,
      devices: agents.map((a) => ({
        machineId: a.machineId,
        isolated: a.isolated,
        reconnects: a.reconnects,
        journal: [...a.journal].map(([id, e]) => ({ id, type: e.type, phase: e.phase, runs: e.runs, ranAt: e.ranAt, redispatches: e.redispatches })),
      })),
    });
    for (const a of agents) a.ws?.terminate();
  }
});

for (let attempt = 0; ; attempt++) {
  try {
    await pool(count, 16, async (i) => {
      agents[i] = await enrollOne(i);
    });
    break;
  } catch (err) {
    if (attempt > 5) throw err;
    await sleep(1000);
  }
}
send({ kind: 'enrolled', machineIds: agents.map((a) => a.machineId) });
