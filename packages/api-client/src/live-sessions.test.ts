import { afterEach, describe, expect, it } from 'vitest';
import { CordonClient, LiveSessionsClient } from '@cordon/api-client';
import { mdeError, startFakeServer, type FakeServer } from '@cordon/api-client/testing';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SSE = { 'content-type': 'text/event-stream; charset=utf-8' };
const live = () => new LiveSessionsClient(new CordonClient({ baseUrl: server!.url, token: 'tok' }));
const sse = (id: number, event: string, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

describe(LiveSessionsClient.name, () => {
  it('should resume the event stream with Last-Event-ID after it drops, and stop once the session closed', async () => {
    server = await startFakeServer((req) => {
      if (req.headers['last-event-id'] === undefined) return { headers: SSE, body: `${sse(1, 'output', { commandId: 1, text: 'a' })}: ping\n\n${sse(2, 'unknown-kind', {})}` };
      return { headers: SSE, body: `${sse(3, 'output', { commandId: 1, text: 'b' })}${sse(4, 'session', { id: 's1', state: 'Closed' })}${sse(5, 'output', { commandId: 1, text: 'never' })}` };
    });
    const got: string[] = [];
    for await (const e of live().follow('s1', { retryMs: 0 })) got.push(`${e.id} ${e.event}`);
    expect(got).toEqual(['1 output', '3 output', '4 session']);
    expect(server.requests.map((r) => [r.url, r.headers['last-event-id']])).toEqual([
      ['/api/cordon/liveresponse/sessions/s1/events', undefined],
      ['/api/cordon/liveresponse/sessions/s1/events', '2'],
    ]);
  });

  it('should throw a refusal of the stream instead of retrying it', async () => {
    server = await startFakeServer(() => mdeError(404, 'ResourceNotFound', 'No session s1'));
    const first = async () => {
      for await (const e of live().follow('s1', { retryMs: 0 })) return e;
    };
    await expect(first()).rejects.toMatchObject({ status: 404, code: 'ResourceNotFound' });
    expect(server.requests).toHaveLength(1);
  });

  it('should send a command line as {commandLine} and read a list as an OData page or an array', async () => {
    server = await startFakeServer((req) => (req.method === 'POST' ? { status: 201, body: { id: 1, status: 'Running' } } : { body: req.url.includes('state=') ? { value: [{ id: 's1' }] } : [{ id: 1 }] }));
    expect(await live().send('s 1', 'dir /etc')).toEqual({ id: 1, status: 'Running' });
    expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({ commandLine: 'dir /etc' });
    expect(server.requests[0]!.url).toBe('/api/cordon/liveresponse/sessions/s%201/commands');
    expect(await live().list({ machineId: 'm1', state: 'Active' })).toEqual([{ id: 's1' }]);
    expect(server.requests[1]!.url).toBe('/api/cordon/liveresponse/sessions?machineId=m1&state=Active');
    expect(await live().commands('s1')).toEqual([{ id: 1 }]);
  });
});
