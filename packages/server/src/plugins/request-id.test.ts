import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { requestIdOptions, requestIdPlugin } from './request-id.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let app: FastifyInstance;
let logs: Record<string, unknown>[];
afterEach(async () => app?.close());

async function build(): Promise<FastifyInstance> {
  logs = [];
  const stream = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) };
  app = Fastify({ logger: { level: 'info', stream }, ...requestIdOptions() });
  await app.register(requestIdPlugin);
  app.get('/x', async (request) => ({ id: request.id }));
  return app;
}

describe('requestIdPlugin', () => {
  it('should give each request a new GUID and echo it in both headers', async () => {
    await build();
    const a = await app.inject({ method: 'GET', url: '/x' });
    const b = await app.inject({ method: 'GET', url: '/x' });
    const id = (a.json() as { id: string }).id;
    expect(id).toMatch(GUID);
    expect(a.headers['request-id']).toBe(id);
    expect(a.headers['client-request-id']).toBe(id);
    expect((b.json() as { id: string }).id).not.toBe(id);
  });

  it('should honour a sane x-request-id or client-request-id', async () => {
    await build();
    const a = await app.inject({ method: 'GET', url: '/x', headers: { 'x-request-id': 'trace-42:a.b_c' } });
    expect(a.headers['request-id']).toBe('trace-42:a.b_c');
    const b = await app.inject({ method: 'GET', url: '/x', headers: { 'client-request-id': '0f4d7b1e-1111-2222-3333-444455556666' } });
    expect(b.headers['client-request-id']).toBe('0f4d7b1e-1111-2222-3333-444455556666');
  });

  it('should ignore an incoming id that is too long or carries odd characters', async () => {
    await build();
    for (const bad of ['x'.repeat(65), 'a b', 'a"b', '<script>', '']) {
      const res = await app.inject({ method: 'GET', url: '/x', headers: { 'x-request-id': bad } });
      expect(res.headers['request-id']).toMatch(GUID);
    }
  });

  it('should bind the id into the request log lines as reqId', async () => {
    await build();
    const res = await app.inject({ method: 'GET', url: '/x' });
    const lines = logs.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.reqId).toBe(res.headers['request-id']);
  });
});
