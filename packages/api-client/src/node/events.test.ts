import { afterEach, describe, expect, it } from 'vitest';
import { CordonClient, isCordonApiError } from '@cordon/api-client';
import { followAction, NOT_AN_EVENT_STREAM, streamEvents } from '@cordon/api-client/node';
import { makeWireAction, mdeError, startFakeServer, type FakeServer } from '@cordon/api-client/testing';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SSE = { 'content-type': 'text/event-stream; charset=utf-8' };
const event = (status: string, id = 'a1') => `event: action\ndata: ${JSON.stringify(makeWireAction({ id, status }))}\n\n`;
const client = () => new CordonClient({ baseUrl: server!.url, token: 'tok' });

describe(streamEvents.name, () => {
  it('should yield action events and other events, skip comments and retry, and return when the stream ends', async () => {
    server = await startFakeServer(() => ({ headers: SSE, body: `retry: 3000\n\n: ping\n\n${event('Pending')}event: machine\ndata: {"id":"m1"}\n\n${event('Succeeded')}` }));
    const got = [];
    for await (const e of streamEvents(client(), { machineId: 'm 1' })) got.push(e.type === 'action' ? e.action.status : `${e.event} ${e.data}`);
    expect(got).toEqual(['Pending', 'machine {"id":"m1"}', 'Succeeded']);
    expect(server.requests[0]!.url).toBe('/api/cordon/events?machineId=m+1');
    expect(server.requests[0]!.headers).toMatchObject({ accept: 'text/event-stream', authorization: 'Bearer tok' });
  });

  it('should throw the refusal of a server without the stream, and NotAnEventStream for a 200 that is not one', async () => {
    server = await startFakeServer((req) => (req.url.includes('actionId=x') ? mdeError(404, 'NotFound', 'No resource matches') : { body: { value: [] } }));
    const first = async (q: { actionId?: string }) => {
      for await (const e of streamEvents(client(), q)) return e;
    };
    await expect(first({ actionId: 'x' })).rejects.toMatchObject({ status: 404, code: 'NotFound' });
    const err: unknown = await first({}).catch((e: unknown) => e);
    expect(isCordonApiError(err) && err.code).toBe(NOT_AN_EVENT_STREAM);
  });
});

describe(followAction.name, () => {
  it("should yield only the action's own states and stop after the final one", async () => {
    server = await startFakeServer(() => ({ headers: SSE, body: `${event('Pending')}${event('InProgress', 'other')}${event('Failed')}${event('Succeeded')}` }));
    const got = [];
    for await (const a of followAction(client(), 'a1')) got.push(a.status);
    expect(got).toEqual(['Pending', 'Failed']);
    expect(server.requests[0]!.url).toBe('/api/cordon/events?actionId=a1');
  });
});
