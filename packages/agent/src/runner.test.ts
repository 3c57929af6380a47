import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { canonicalActionText, type DispatchedAction, type SignedActionFields } from '@cordon/protocol';
import { Runner } from './runner.js';
import { ActionJournal } from './state.js';
import { signText } from './crypto.js';
import { TransportError } from './transport/types.js';
import type { ActionExecutor, ExecutorContext, ExecutorResult } from './executors/types.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const MACHINE = 'a'.repeat(40);
const silent = { info() {}, warn() {}, error() {} };

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
}

let dir: string;
const serverKey = generateKeyPairSync('ed25519');
const otherKey = generateKeyPairSync('ed25519');

async function harness(journal?: ActionJournal): Promise<Harness> {
  const j = journal ?? (await ActionJournal.open(dir));
  const h = { requests: [], runs: [], offline: { finish: false }, signals: [], offboarded: 0 } as unknown as Harness;
  const executor = (type: string, run?: (ctx: ExecutorContext) => Promise<ExecutorResult>): ActionExecutor => ({
    type,
    capability: 'test',
    validate: (p) => (p && typeof p === 'object' && !('bad' in (p as object)) ? undefined : 'bad parameters'),
    async run(_params, ctx) {
      h.runs.push(ctx.actionId);
      h.signals.push(ctx.signal);
      if (run) return run(ctx);
      if (h.gate) return h.gate.promise;
      return { status: 'Succeeded', output: { ok: true } };
    },
  });
  const executors = new Map<string, ActionExecutor>([
    ['Isolate', executor('Isolate')],
    ['Offboard', executor('Offboard')],
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
    context: (actionId, signal, progress) => ({ actionId, signal, progress, log: silent, platform: {} as never, files: {} as never, now: () => NOW, stateDir: dir, settings: {}, serverUrls: () => [] }),
    now: () => NOW,
    log: silent,
    onOffboarded: async () => {
      h.offboarded++;
    },
  });
  h.sign = (fields = {}, key = serverKey.privateKey, keyId = 'k1') => {
    const f: SignedActionFields = { id: 'act-1', machineId: MACHINE, type: 'Isolate', parameters: { IsolationType: 'Full' }, expiresAt: new Date(NOW + 60_000).toISOString(), runTimeoutMs: 600_000, ...fields };
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
