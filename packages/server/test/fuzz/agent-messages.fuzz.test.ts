/**
 * Property tests of agent protocol messages: a correctly signed device sends random methods and
 * random params (action ids of its own, of another device of its tenant, of another tenant, and
 * made up; progress updates and outcomes of any shape; scalars, arrays, deeply nested and
 * oversized values) over the long-poll RPC endpoint, plus bodies that are JSON but no request
 * object (null, numbers, strings, booleans, arrays) and bodies that are not JSON. Invariants:
 * status < 500; the answer is `{result}` or `{error:{code,message}}` and never `InternalError`;
 * nothing belonging to another device or tenant changes, whatever the device says; and a refusal
 * changes nothing at all. The same generators run against a real server process over WebSocket
 * and long-poll in e2e/agent-hostile-input.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS } from '@cordon/protocol';
import { wireDispatch } from '@cordon/server';
import { addDevice, sha256, type TestDevice } from '../forensics-helpers.js';
import { fuzzParams, fuzzTimeout, startFuzzApp, type FuzzApp } from './fuzz-app.js';
import { agentFrame } from './agent-message-arbitraries.js';

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
        fc.asyncProperty(agentFrame(), async (frame) => {
          const everything = await f.snapshot();
          const res = await rpc(Buffer.from(frame.text(resolveIds)));
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          if (res.statusCode === 413) return expect(await f.snapshot()).toBe(everything); // over the body limit, refused unread
          const answer = JSON.parse(res.body) as { result?: unknown; error?: { code: string; message: string } };
          if (answer.error) {
            expect(Object.keys(answer.error).sort()).toEqual(['code', 'message']);
            expect(answer.error.code, answer.error.message).not.toBe('InternalError');
            expect(await f.snapshot(), `a refused ${frame.kind} changed the store: ${answer.error.message}`).toBe(everything);
          } else {
            expect(frame.kind).toBe('request');
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
