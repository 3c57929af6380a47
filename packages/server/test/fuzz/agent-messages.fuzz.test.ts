/**
 * Property tests of agent protocol messages: a correctly signed device sends random methods and
 * random params (action ids of its own, of another device of its tenant, of another tenant, and
 * made up; progress updates and outcomes of any shape) over the long-poll RPC endpoint, plus raw
 * bodies that are not JSON. Invariants: status < 500; the answer is `{result}` or
 * `{error:{code,message}}` and never `InternalError`; nothing belonging to another device or tenant
 * changes, whatever the device says.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, REFUSAL_CODES } from '@cordon/protocol';
import { wireDispatch } from '@cordon/server';
import { addDevice, sha256, type TestDevice } from '../forensics-helpers.js';
import { fuzzParams, fuzzTimeout, nastyString, startFuzzApp, type FuzzApp } from './fuzz-app.js';

const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';

let f: FuzzApp;
let device: TestDevice;
let ownActions: string[];
let neighbourActions: string[];
beforeAll(async () => {
  f = await startFuzzApp({
    beforeBoot: async (t) => {
      await wireDispatch({ built: t, store: t.store, clock: t.clock, heartbeatIntervalMs: 30_000 });
    },
  });
  device = await addDevice(f.t, f.own.machineIds[0]!);
  const rows = await f.t.store.db.selectFrom('machine_actions').select(['id', 'machine_id']).where('tenant_id', '=', f.t.tenantId).execute();
  ownActions = rows.filter((r) => r.machine_id === device.machineId).map((r) => r.id);
  neighbourActions = rows.filter((r) => r.machine_id !== device.machineId).map((r) => r.id);
});
afterAll(() => f.close());

/** Every row that is not this device's own. */
async function othersSnapshot(): Promise<string> {
  const actions = await f.t.store.db.selectFrom('machine_actions').selectAll().where('machine_id', '!=', device.machineId).orderBy('id').execute();
  const machines = await f.t.store.db.selectFrom('machines').selectAll().where('id', '!=', device.machineId).orderBy('id').execute();
  return JSON.stringify([actions, machines]);
}

const actionId = fc.oneof(
  { weight: 3, arbitrary: fc.constant('<own>') },
  { weight: 2, arbitrary: fc.constant('<neighbour>') },
  { weight: 2, arbitrary: fc.constant('<other-tenant>') },
  { weight: 1, arbitrary: fc.oneof(fc.uuid().map(String), nastyString()) },
);

const anyValue = fc.oneof(nastyString(), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, 0, -1, 1e308, true, [], {}));

const params = fc.oneof(
  { weight: 4, arbitrary: fc.record({ actionId, outcome: fc.option(fc.record({ status: fc.constantFrom('Succeeded', 'Failed', 'Cancelled', 'succeeded', ''), errorMessage: fc.option(anyValue), errorHResult: fc.option(anyValue), result: fc.option(anyValue) }, { requiredKeys: [] })), update: fc.option(fc.record({ commands: fc.option(fc.array(anyValue, { maxLength: 4 })), result: fc.option(anyValue) }, { requiredKeys: [] })), code: fc.option(fc.constantFrom(...REFUSAL_CODES, 'Nope')), message: fc.option(anyValue) }, { requiredKeys: ['actionId'] }) },
  { weight: 2, arbitrary: fc.record({ protocolVersion: fc.oneof(fc.integer(), anyValue), capabilities: fc.option(fc.array(anyValue, { maxLength: 5 })), device: fc.option(fc.dictionary(nastyString(), anyValue, { maxKeys: 5 })) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: anyValue },
);

const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...Object.values(AGENT_METHODS).map((m) => m.method)) }, { weight: 1, arbitrary: nastyString() });

function resolveIds(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value ?? null)
      .replaceAll('<own>', ownActions[0] ?? 'none')
      .replaceAll('<neighbour>', neighbourActions[0] ?? 'none')
      .replaceAll('<other-tenant>', f.other.actionIds[0]!),
  );
}

async function rpc(body: Buffer) {
  const headers = { ...device.headers('POST', AGENT_PATHS.rpc, sha256(body)), [AGENT_AUTH_HEADERS.session]: 'fuzz-session-0001', 'content-type': RPC_CONTENT_TYPE };
  return f.t.app.inject({ method: 'POST', url: AGENT_PATHS.rpc, headers, payload: body });
}

describe('agent protocol messages from a signed device', () => {
  it(
    'should answer any method and params with a result or a coded error, and touch only the device’s own rows',
    async () => {
      const before = await othersSnapshot();
      await fc.assert(
        fc.asyncProperty(method, params, fc.constantFrom(false, false, false, true), async (m, p, asRaw) => {
          const body = asRaw ? Buffer.from(typeof p === 'string' ? p : `{"method":${JSON.stringify(m)},"params":`) : Buffer.from(JSON.stringify({ method: m, params: resolveIds(p) }));
          const res = await rpc(body);
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          const answer = JSON.parse(res.body) as { result?: unknown; error?: { code: string; message: string } };
          if (answer.error) {
            expect(Object.keys(answer.error).sort()).toEqual(['code', 'message']);
            expect(answer.error.code, answer.error.message).not.toBe('InternalError');
          } else {
            expect(res.statusCode).toBe(200);
            expect('result' in answer).toBe(true);
          }
          expect(await othersSnapshot()).toBe(before);
        }),
        fuzzParams(1),
      );
    },
    fuzzTimeout(1),
  );

  it('should refuse the same messages when the signature does not match the body', async () => {
    const body = Buffer.from(JSON.stringify({ method: AGENT_METHODS.heartbeat.method, params: {} }));
    const headers = { ...device.headers('POST', AGENT_PATHS.rpc, sha256('something else')), [AGENT_AUTH_HEADERS.session]: 'fuzz-session-0002', 'content-type': RPC_CONTENT_TYPE };
    const res = await f.t.app.inject({ method: 'POST', url: AGENT_PATHS.rpc, headers, payload: body });
    expect(res.statusCode).toBe(401);
  });
});
