import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { canonicalActionText, DEFAULT_AGENT_SETTINGS, type DispatchedAction, type SignedActionFields } from '@cordon/protocol';
import { Runner } from './runner.js';
import { ActionJournal } from './state.js';
import { signText } from './crypto.js';
import { TransportError } from './transport/types.js';
import type { ActionExecutor, ExecutorContext, ExecutorResult } from './executors/types.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const MACHINE = 'a'.repeat(40);
const silent = { info() {}, warn() {}, error() {} };
/** The server's creation time of an action, `s` seconds after a fixed instant (MDE timestamp). */
const at = (s: number) => `2026-11-21T11:00:${String(s).padStart(2, '0')}.0000000Z`;
const turns = () => new Promise((r) => setImmediate(r));

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Harness {
  runner: Runner;
  journal: ActionJournal;
  requests: { method: string; params: Record<string, unknown> }[];
  runs: string[];
  sign(fields?: Partial<SignedActionFields>, key?: KeyObject, keyId?: string): DispatchedAction;
  /** Makes the next finish request fail as if offline. */
  offline: { finish: boolean };
  gate?: { promise: Promise<ExecutorResult>; resolve: (r: ExecutorResult) => void };
  signals: AbortSignal[];
  offboarded: number;
  /** `start <id>` / `end <id>` as executors run. */
  events: string[];
  /** Holds the executor of an action id until released: a slow executor. */
  hold(id: string): () => void;
}

let dir: string;
const serverKey = generateKeyPairSync('ed25519');
const otherKey = generateKeyPairSync('ed25519');

async function harness(journal?: ActionJournal): Promise<Harness> {
  const j = journal ?? (await ActionJournal.open(dir));
  const h = { requests: [], runs: [], offline: { finish: false }, signals: [], offboarded: 0, events: [] } as unknown as Harness;
  const holds = new Map<string, Promise<void>>();
  h.hold = (id) => {
    let release!: () => void;
    holds.set(id, new Promise<void>((r) => (release = r)));
    return release;
  };
  const executor = (type: string, run?: (ctx: ExecutorContext) => Promise<ExecutorResult>): ActionExecutor => ({
    type,
    capability: 'test',
    validate: (p) => (p && typeof p === 'object' && !('bad' in (p as object)) ? undefined : 'bad parameters'),
    async run(_params, ctx) {
      h.runs.push(ctx.actionId);
      h.signals.push(ctx.signal);
      h.events.push(`start ${ctx.actionId}`);
      try {
        await holds.get(ctx.actionId);
        if (run) return await run(ctx);
        if (h.gate) return await h.gate.promise;
        return { status: 'Succeeded', output: { ok: true } };
      } finally {
        h.events.push(`end ${ctx.actionId}`);
      }
    },
  });
  const executors = new Map<string, ActionExecutor>([
    ['Isolate', executor('Isolate')],
    ['Offboard', executor('Offboard')],
    ['Unisolate', executor('Unisolate')],
    ['RestrictCodeExecution', executor('RestrictCodeExecution')],
    ['UnrestrictCodeExecution', executor('UnrestrictCodeExecution')],
    ['StopAndQuarantineFile', executor('StopAndQuarantineFile')],
    [
      'RunAntiVirusScan',
      executor('RunAntiVirusScan', () => {
        throw Object.assign(new Error('clamscan exploded'), { code: 'ScanCrashed' });
      }),
    ],
    [
      'LiveResponse',
      executor(
        'LiveResponse',
        (ctx) =>
          new Promise((_r, reject) => {
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
          }),
      ),
    ],
  ]);
  h.journal = j;
  h.runner = new Runner({
    machineId: MACHINE,
    keys: new Map([['k1', serverKey.publicKey]]),
    journal: j,
    executors,
    transport: {
      async request<R>(method: string, params: unknown): Promise<R> {
        h.requests.push({ method, params: params as Record<string, unknown> });
        if (method === 'action/finish' && h.offline.finish) throw new TransportError('not connected');
        if (method === 'action/accept') return { status: 'InProgress' } as R;
        if (method === 'action/finish') return { status: (params as { outcome: { status: string } }).outcome.status } as R;
        return { status: 'Failed' } as R;
      },
    },
    context: (actionId, signal, progress) => ({ actionId, signal, progress, log: silent, platform: {} as never, files: {} as never, now: () => NOW, stateDir: dir, settings: DEFAULT_AGENT_SETTINGS, serverUrls: () => [] }),
    now: () => NOW,
    log: silent,
    onOffboarded: async () => {
      h.offboarded++;
    },
  });
  h.sign = (fields = {}, key = serverKey.privateKey, keyId = 'k1') => {
    const f: SignedActionFields = { id: 'act-1', machineId: MACHINE, type: 'Isolate', parameters: { IsolationType: 'Full' }, expiresAt: new Date(NOW + 60_000).toISOString(), runTimeoutMs: 600_000, createdAt: at(0), ...fields };
    return { ...f, keyId, signature: signText(key, canonicalActionText(f)) };
  };
  return h;
}

const methods = (h: Harness) => h.requests.map((r) => r.method);
const refusal = (h: Harness) => h.requests.find((r) => r.method === 'action/refuse')?.params;

describe(Runner.name, () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-runner-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should accept, run and report a valid action once', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign());
    await h.runner.idle();
    expect(methods(h)).toEqual(['action/accept', 'action/finish']);
    expect(h.requests[1]!.params).toEqual({ actionId: 'act-1', outcome: { status: 'Succeeded', result: { ok: true } } });
    expect(h.journal.get('act-1')?.phase).toBe('reported');
  });

  it('should run an action delivered twice at once only once', async () => {
    const h = await harness();
    const a = h.sign();
    h.runner.onDispatch(a);
    h.runner.onDispatch(structuredClone(a));
    await h.runner.idle();
    expect(h.runs).toEqual(['act-1']);
  });

  it('should refuse a replayed action that already ran, without running it', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign());
    await h.runner.idle();
    h.runner.onDispatch(h.sign());
    await h.runner.idle();
    expect(h.runs).toEqual(['act-1']);
    expect(refusal(h)).toMatchObject({ actionId: 'act-1', code: 'Replayed' });
  });

  it('should refuse a tampered action (parameters changed after signing)', async () => {
    const h = await harness();
    const a = h.sign();
    h.runner.onDispatch({ ...a, parameters: { IsolationType: 'Selective' } });
    await h.runner.idle();
    expect(h.runs).toEqual([]);
    expect(refusal(h)).toMatchObject({ code: 'BadSignature' });
  });

  it('should refuse an unsigned action and one signed by an unknown key', async () => {
    const h = await harness();
    h.runner.onDispatch({ ...h.sign(), signature: '' });
    h.runner.onDispatch(h.sign({ id: 'act-2' }, otherKey.privateKey, 'k2'));
    h.runner.onDispatch(h.sign({ id: 'act-3' }, otherKey.privateKey, 'k1'));
    await h.runner.idle();
    expect(h.runs).toEqual([]);
    expect(h.requests.map((r) => [r.params.actionId, r.params.code])).toEqual([
      ['act-1', 'BadSignature'],
      ['act-2', 'UnknownKey'],
      ['act-3', 'BadSignature'],
    ]);
  });

  it('should refuse an action signed for another machine', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign({ machineId: 'b'.repeat(40) }));
    await h.runner.idle();
    expect(h.runs).toEqual([]);
    expect(refusal(h)).toMatchObject({ code: 'WrongMachine' });
  });

  it('should refuse an expired action', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign({ expiresAt: new Date(NOW - 1).toISOString() }));
    await h.runner.idle();
    expect(h.runs).toEqual([]);
    expect(refusal(h)).toMatchObject({ code: 'Expired' });
  });

  it('should refuse a type it has no executor for, and invalid parameters', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign({ type: 'CollectInvestigationPackage' }));
    h.runner.onDispatch(h.sign({ id: 'act-2', parameters: { bad: true } }));
    await h.runner.idle();
    expect(h.runs).toEqual([]);
    expect(h.requests.map((r) => r.params.code)).toEqual(['Unsupported', 'InvalidParameters']);
  });

  it('should turn a thrown exception into Failed with a code', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign({ type: 'RunAntiVirusScan', parameters: { ScanType: 'Quick' } }));
    await h.runner.idle();
    expect(h.requests[1]!.params.outcome).toEqual({ status: 'Failed', errorCode: 'ScanCrashed', errorMessage: 'Executor failed: clamscan exploded' });
  });

  it('should abort the executor on cancel and report the cancellation', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign({ type: 'LiveResponse', parameters: {} }));
    await new Promise((r) => setImmediate(r));
    while (h.runner.running === 0) await new Promise((r) => setImmediate(r));
    h.runner.onCancel('act-1', 'Cancelled');
    await h.runner.idle();
    expect(h.signals[0]!.aborted).toBe(true);
    expect(h.requests.at(-1)!.params.outcome).toMatchObject({ status: 'Failed', errorCode: 'Cancelled' });
  });

  it('should keep an unacknowledged outcome and re-send it after reconnecting', async () => {
    const h = await harness();
    h.offline.finish = true;
    h.runner.onDispatch(h.sign());
    await h.runner.idle();
    expect(h.journal.get('act-1')?.phase).toBe('finished');
    h.offline.finish = false;
    await h.runner.resendFinished();
    expect(h.journal.get('act-1')?.phase).toBe('reported');
    expect(h.runs).toEqual(['act-1']);
  });

  it('should not re-run an action that was running when the agent died, but report it failed', async () => {
    const first = await harness();
    first.gate = deferred<ExecutorResult>();
    first.runner.onDispatch(first.sign());
    while (first.runs.length === 0) await new Promise((r) => setImmediate(r));
    // "Crash": a new process opens the same journal while the first never finished.
    const journal = await ActionJournal.open(dir);
    const interrupted = await journal.recoverAfterRestart();
    expect(interrupted.map((e) => e.id)).toEqual(['act-1']);
    const second = await harness(journal);
    await second.runner.resendFinished();
    second.runner.onDispatch(second.sign()); // catch-up redelivers it
    await second.runner.idle();
    expect(second.runs).toEqual([]);
    expect(second.requests[0]!.params.outcome).toMatchObject({ status: 'Failed', errorCode: 'AgentRestarted' });
    first.gate.resolve({ status: 'Succeeded' });
    await first.runner.idle();
  });

  it('should call onOffboarded once the server acknowledged an Offboard success', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign({ type: 'Offboard', parameters: {} }));
    await h.runner.idle();
    expect(h.offboarded).toBe(1);
  });
});

describe('Runner ordering of conflicting actions', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-runner-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const restrict = (h: Harness, id: string, s: number) => h.sign({ id, type: 'RestrictCodeExecution', parameters: {}, createdAt: at(s) });
  const unrestrict = (h: Harness, id: string, s: number) => h.sign({ id, type: 'UnrestrictCodeExecution', parameters: {}, createdAt: at(s) });
  const until = async (h: Harness, event: string) => {
    while (!h.events.includes(event)) await turns();
  };

  it('should not start an unrestrict while the restriction before it is still running', async () => {
    const h = await harness();
    const release = h.hold('r1');
    h.runner.onDispatch(restrict(h, 'r1', 1));
    await until(h, 'start r1');
    h.runner.onDispatch(unrestrict(h, 'u2', 2));
    for (let i = 0; i < 20; i++) await turns();
    expect(h.events).toEqual(['start r1']);
    // Not even accepted: it stays Pending on the server while it waits its turn.
    expect(h.requests.filter((r) => r.method === 'action/accept').map((r) => r.params.actionId)).toEqual(['r1']);
    release();
    await h.runner.idle();
    expect(h.events).toEqual(['start r1', 'end r1', 'start u2', 'end u2']);
  });

  it('should run waiting actions of one mechanism in the order the server accepted them, not the order they arrived', async () => {
    const h = await harness();
    const release = h.hold('r1');
    h.runner.onDispatch(restrict(h, 'r1', 1));
    await until(h, 'start r1');
    h.runner.onDispatch(restrict(h, 'r3', 3));
    h.runner.onDispatch(unrestrict(h, 'u4', 4));
    h.runner.onDispatch(unrestrict(h, 'u2', 2));
    await turns();
    release();
    await h.runner.idle();
    expect(h.runs).toEqual(['r1', 'u2', 'r3', 'u4']);
  });

  it('should order actions created at the same instant by id', async () => {
    const h = await harness();
    const release = h.hold('a');
    h.runner.onDispatch(restrict(h, 'a', 1));
    await until(h, 'start a');
    h.runner.onDispatch(restrict(h, 'c', 2));
    h.runner.onDispatch(unrestrict(h, 'b', 2));
    await turns();
    release();
    await h.runner.idle();
    expect(h.runs).toEqual(['a', 'b', 'c']);
  });

  it('should refuse, without running, an older action that arrives after a later one of the same mechanism ran', async () => {
    const h = await harness();
    h.runner.onDispatch(unrestrict(h, 'u2', 2));
    await h.runner.idle();
    h.runner.onDispatch(restrict(h, 'r1', 1));
    await h.runner.idle();
    expect(h.runs).toEqual(['u2']);
    expect(refusal(h)).toMatchObject({ actionId: 'r1', code: 'Superseded' });
    expect(h.journal.get('r1')?.phase).toBe('refused');
  });

  it('should still run an older quarantine action that arrives late: each acts on its own file', async () => {
    const h = await harness();
    h.runner.onDispatch(h.sign({ id: 'q2', type: 'StopAndQuarantineFile', parameters: {}, createdAt: at(2) }));
    await h.runner.idle();
    h.runner.onDispatch(h.sign({ id: 'q1', type: 'StopAndQuarantineFile', parameters: {}, createdAt: at(1) }));
    await h.runner.idle();
    expect(h.runs).toEqual(['q2', 'q1']);
  });

  it('should run actions on different mechanisms, and unrelated ones, side by side', async () => {
    const h = await harness();
    const releases = ['i1', 'r2', 'x3'].map((id) => h.hold(id));
    h.runner.onDispatch(h.sign({ id: 'i1', type: 'Isolate', createdAt: at(1) }));
    h.runner.onDispatch(restrict(h, 'r2', 2));
    h.runner.onDispatch(h.sign({ id: 'x3', type: 'RunAntiVirusScan', parameters: { ScanType: 'Quick' }, createdAt: at(3) }));
    await until(h, 'start x3');
    expect(h.events).toEqual(['start i1', 'start r2', 'start x3']);
    for (const r of releases) r();
    await h.runner.idle();
  });

  it('should run Offboard after every action accepted before it, and hold later ones until it is done', async () => {
    const h = await harness();
    const releaseScan = h.hold('x1');
    const releaseOffboard = h.hold('o2');
    h.runner.onDispatch(h.sign({ id: 'x1', type: 'StopAndQuarantineFile', parameters: {}, createdAt: at(1) }));
    await until(h, 'start x1');
    h.runner.onDispatch(h.sign({ id: 'o2', type: 'Offboard', parameters: {}, createdAt: at(2) }));
    h.runner.onDispatch(h.sign({ id: 'i3', type: 'Isolate', createdAt: at(3) }));
    for (let i = 0; i < 20; i++) await turns();
    expect(h.events).toEqual(['start x1']);
    releaseScan();
    await until(h, 'start o2');
    for (let i = 0; i < 20; i++) await turns();
    expect(h.events).toEqual(['start x1', 'end x1', 'start o2']);
    releaseOffboard();
    await h.runner.idle();
    expect(h.events).toEqual(['start x1', 'end x1', 'start o2', 'end o2', 'start i3', 'end i3']);
  });

  it('should drop a waiting action cancelled on the server, never accepting it, and let the next one run', async () => {
    const h = await harness();
    const release = h.hold('r1');
    h.runner.onDispatch(restrict(h, 'r1', 1));
    await until(h, 'start r1');
    h.runner.onDispatch(unrestrict(h, 'u2', 2));
    h.runner.onDispatch(restrict(h, 'r3', 3));
    await turns();
    h.runner.onCancel('u2', 'Cancelled');
    release();
    await h.runner.idle();
    expect(h.runs).toEqual(['r1', 'r3']);
    expect(h.requests.filter((r) => r.params.actionId === 'u2')).toEqual([]);
  });
});
