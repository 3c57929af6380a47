import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMachine } from '@cordon/store/testing';
import { startTestApp, type TestApp } from './helpers.js';

/** Reads a text/event-stream response until `needle` has arrived. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    async until(needle: string): Promise<string> {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}; got ${text}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    /** The `event: action` payloads so far. */
    actions(): Array<Record<string, unknown>> {
      return text
        .split('\n\n')
        .filter((e) => e.startsWith('event: action\n'))
        .map((e) => JSON.parse(e.split('\ndata: ')[1]!) as Record<string, unknown>);
    },
    cancel: () => reader.cancel(),
  };
}

describe('GET /api/cordon/events', () => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await startTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => t.close());

  const isolate = async (machineId: string, comment: string) => {
    const res = await t.call({ method: 'POST', url: `/api/machines/${machineId}/isolate`, token: await t.token(['Machine.Isolate']), payload: { Comment: comment } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  };

  it('should send the action as it is now, then each change of that action only, until it is final', async () => {
    const machine = await t.seedMachine();
    const action = await isolate(machine.id, 'watched');
    const res = await fetch(`${base}/api/cordon/events?actionId=${action.id}`, { headers: { authorization: `Bearer ${await t.token(['Machine.Read.All'])}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const sse = sseReader(res);
    await sse.until('"status":"Pending"');
    // Another action on the same machine is not this stream's business.
    await t.call({ method: 'POST', url: `/api/machines/${machine.id}/restrictCodeExecution`, token: await t.token(['Machine.RestrictExecution']), payload: { Comment: 'other' } });
    await t.actions.accept(t.tenantId, action.id, machine.id);
    t.clock.advance(50);
    await t.actions.finish(t.tenantId, action.id, machine.id, { status: 'Succeeded' });
    await sse.until('"status":"Succeeded"');
    expect(sse.actions().map((a) => [a.id, a.status])).toEqual([
      [action.id, 'Pending'],
      [action.id, 'InProgress'],
      [action.id, 'Succeeded'],
    ]);
    await sse.cancel();
  });

  it('should stream every action of the caller tenant only, for one machine when asked', async () => {
    const machine = await t.seedMachine();
    const other = await t.seedMachine();
    const otherTenant = await t.newTenant();
    const foreign = await fetch(`${base}/api/cordon/events`, { headers: { authorization: `Bearer ${await t.token(['Machine.Read.All'], otherTenant)}` } });
    const mine = await fetch(`${base}/api/cordon/events?machineId=${machine.id}`, { headers: { authorization: `Bearer ${await t.token(['Machine.Read.All'])}` } });
    const [foreignSse, mineSse] = [sseReader(foreign), sseReader(mine)];
    await Promise.all([foreignSse.until('retry: 3000'), mineSse.until('retry: 3000')]);
    await isolate(other.id, 'other machine');
    const created = await isolate(machine.id, 'this machine');
    await mineSse.until('this machine');
    expect(mineSse.actions().map((a) => [a.id, a.requestorComment])).toEqual([[created.id, 'this machine']]);
    // The other tenant's stream sees its own action, and none of the ones created before it.
    const theirs = makeMachine({ tenantId: otherTenant });
    await t.store.machines.upsert(theirs);
    const ownRes = await t.call({ method: 'POST', url: `/api/machines/${theirs.id}/isolate`, token: await t.token(['Machine.Isolate'], otherTenant), payload: { Comment: 'their machine' } });
    await foreignSse.until('their machine');
    expect(foreignSse.actions().map((a) => [a.id, a.requestorComment])).toEqual([[ownRes.json().id, 'their machine']]);
    await Promise.all([foreignSse.cancel(), mineSse.cancel()]);
  });

  it('should refuse a missing token (401), a token without read permission (403), an unknown or foreign action (404) and unknown parameters (400)', async () => {
    const machine = await t.seedMachine();
    const action = await isolate(machine.id, 'x');
    expect((await t.call({ method: 'GET', url: '/api/cordon/events' })).statusCode).toBe(401);
    expect((await t.call({ method: 'GET', url: '/api/cordon/events', token: await t.token(['Library.Manage']) })).statusCode).toBe(403);
    const unknown = await t.call({ method: 'GET', url: '/api/cordon/events?actionId=00000000-0000-4000-8000-000000000000', token: await t.token(['Machine.Read.All']) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ResourceNotFound');
    const foreign = await t.call({ method: 'GET', url: `/api/cordon/events?actionId=${action.id}`, token: await t.token(['Machine.Read.All'], await t.newTenant()) });
    expect(foreign.statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: '/api/cordon/events?since=1', token: await t.token(['Machine.Read.All']) })).statusCode).toBe(400);
  });

  it('should be documented in the OpenAPI document as an event stream', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/api/cordon/events'].get;
    expect(op.operationId).toBe('streamCordonEvents');
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/event-stream']);
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['actionId', 'machineId']);
  });
});
