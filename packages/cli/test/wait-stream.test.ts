import { describe, expect, vi } from 'vitest';
import { makeWireAction, mdeError } from '@cordon/api-client/testing';
import { it } from './cli-fixture.js';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

const ID = makeWireAction().id as string;

/** A complete text/event-stream body: the retry field, then one `event: action` per state. */
function sse(...states: string[]) {
  const events = states.map((status) => `event: action\ndata: ${JSON.stringify(makeWireAction({ status }))}\n\n`);
  return { headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: `retry: 3000\n\n: ping\n\n${events.join('')}` };
}

describe.concurrent('--wait over the event stream (fake server)', () => {
  it('should follow the stream to the final status without polling', async ({ ctx }) => {
    ctx.handler = (req) => (req.method === 'POST' ? { status: 201, body: makeWireAction() } : sse('Pending', 'InProgress', 'Succeeded'));
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).status).toBe('Succeeded');
    expect(ctx.api().map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/machines/m1/isolate', `GET /api/cordon/events?actionId=${ID}`]);
    expect(ctx.api()[1]!.headers.accept).toBe('text/event-stream');
  });

  it('should back off after 429 on the stream, then reconnect and report the final status', async ({ ctx }) => {
    let streams = 0;
    ctx.handler = (req) => {
      if (req.method === 'POST') return { status: 201, body: makeWireAction() };
      streams++;
      if (streams === 1) return mdeError(429, 'TooManyRequests', 'slow down');
      if (streams === 2) return { status: 503, body: 'busy' };
      return sse('Succeeded');
    };
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--timeout', '30s'], ctx.creds());
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('rate limited by the server; retrying in 0.5s');
    expect(res.stderr).toContain('server answered 503; retrying in 1s');
    expect(res.stdout).toBe(`Isolate ${ID} on host1: Succeeded\n`);
    expect(ctx.api().filter((r) => r.method === 'GET').map((r) => r.url.split('?')[0])).toEqual(['/api/cordon/events', '/api/cordon/events', '/api/cordon/events']);
  });

  it('should reconnect when the server ends the stream before the action is final', async ({ ctx }) => {
    let streams = 0;
    ctx.handler = (req) => {
      if (req.method === 'POST') return { status: 201, body: makeWireAction() };
      // The first connection ends after InProgress; the next one starts with the current state.
      return ++streams === 1 ? sse('Pending', 'InProgress') : sse('Failed');
    };
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait'], ctx.creds());
    expect(res.code).toBe(2);
    expect(streams).toBe(2);
    expect(res.stderr).toContain('event stream closed by the server; retrying in 0.5s');
  });

  it('actions watch should print each change from the stream and exit with the final code', async ({ ctx }) => {
    ctx.handler = () => sse('Pending', 'InProgress', 'Cancelled');
    const res = await ctx.cli.run(['actions', 'watch', ID, '--json'], ctx.creds());
    expect(res.code).toBe(4);
    expect(res.stdout.trim().split('\n').map((l) => JSON.parse(l).status)).toEqual(['Pending', 'InProgress', 'Cancelled']);
    expect(ctx.api()).toHaveLength(1);
  });

  it('actions watch of an unknown action should fall back to a GET and print its 404', async ({ ctx }) => {
    ctx.handler = () => mdeError(404, 'ResourceNotFound', 'Action not found');
    const res = await ctx.cli.run(['actions', 'watch', 'nope'], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ResourceNotFound: Action not found');
    expect(ctx.api().map((r) => r.url)).toEqual(['/api/cordon/events?actionId=nope', '/api/machineactions/nope']);
  });
});
