import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomIds } from '@cordon/server';
import { KyselyUserStore } from '@cordon/store';
import { createUser } from '../src/people/index.js';
import { startTestApp, type TestApp } from './helpers.js';

const PASSWORD = 'correct horse battery';

describe('ui routes', () => {
  let t: TestApp;
  let users: KyselyUserStore;
  beforeEach(async () => {
    t = await startTestApp();
    users = new KyselyUserStore(t.store.db);
    await createUser(users, { tenantId: t.tenantId, name: 'Alice', displayName: 'Alice Analyst', password: PASSWORD, roles: ['View data', 'Active remediation actions'] }, { clock: t.clock, ids: randomIds });
    await createUser(users, { tenantId: t.tenantId, name: 'viewer', password: PASSWORD, roles: ['View data'] }, { clock: t.clock, ids: randomIds });
  });
  afterEach(async () => t.close());

  const signIn = async (name = 'alice', password = PASSWORD, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/ui/session', headers: { 'x-cordon-csrf': '1' }, payload: { name, password }, remoteAddress });
  const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;

  it('should sign in with a HttpOnly SameSite=Strict cookie and report the roles and scopes', async () => {
    const res = await signIn('ALICE');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/^cordon_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(res.json()).toEqual({
      user: {
        id: expect.any(String),
        name: 'alice',
        displayName: 'Alice Analyst',
        roles: ['View data', 'Active remediation actions'],
        permissions: ['Alert.Read', 'Machine.Isolate', 'Machine.Read', 'Machine.RestrictExecution', 'Machine.Scan', 'Machine.StopAndQuarantine', 'User.Read.All'],
      },
      tenantId: t.tenantId,
      csrfToken: expect.any(String),
      expiresAt: '2026-11-21T22:00:00.0000000Z',
    });
    const me = await t.app.inject({ method: 'GET', url: '/ui/me', headers: { cookie: cookieOf(res) } });
    expect(me.json().csrfToken).toBe(res.json().csrfToken);
  });

  it('should refuse a wrong password, a missing CSRF header, and throttle repeated failures', async () => {
    expect((await signIn('alice', 'wrong password')).statusCode).toBe(401);
    expect((await signIn('nobody')).statusCode).toBe(401);
    const noHeader = await t.app.inject({ method: 'POST', url: '/ui/session', payload: { name: 'alice', password: PASSWORD } });
    expect(noHeader.statusCode).toBe(403);
    for (let i = 0; i < 4; i++) await signIn('alice', 'wrong password');
    const blocked = await signIn('alice');
    expect(blocked.statusCode).toBe(429);
    t.clock.advance(15 * 60_000);
    expect((await signIn('alice')).statusCode).toBe(200);
  });

  it('should not let wrong passwords from one address lock the person out at another', async () => {
    const attacker = '203.0.113.7';
    for (let i = 0; i < 5; i++) expect((await signIn(i % 2 ? 'ALICE' : 'alice', 'wrong password', attacker)).statusCode).toBe(401);
    const blocked = await signIn('alice', PASSWORD, attacker);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect((await signIn('Alice', PASSWORD, '198.51.100.20')).statusCode).toBe(200);
    expect((await signIn('viewer', PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('should stop one address guessing across many names, and only that address', async () => {
    const attacker = '203.0.113.8';
    for (let i = 0; i < 50; i++) expect((await signIn(`guess-${i}`, 'wrong password', attacker)).statusCode).toBe(401);
    expect((await signIn('viewer', PASSWORD, attacker)).statusCode).toBe(429);
    expect((await signIn('viewer', PASSWORD, '198.51.100.21')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000);
    expect((await signIn('viewer', PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('should issue a delegated token only with the CSRF token, and the API should name the person as requestor', async () => {
    const session = await signIn();
    const cookie = cookieOf(session);
    const csrf = session.json().csrfToken as string;
    expect((await t.app.inject({ method: 'POST', url: '/ui/session/token', headers: { cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/ui/session/token', headers: { cookie, 'x-cordon-csrf': 'x' + csrf.slice(1) } })).statusCode).toBe(403);
    const tokenRes = await t.app.inject({ method: 'POST', url: '/ui/session/token', headers: { cookie, 'x-cordon-csrf': csrf } });
    expect(tokenRes.statusCode).toBe(200);
    const token = tokenRes.json().access_token as string;

    const machine = await t.seedMachine();
    const isolate = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/isolate`, token, payload: { Comment: 'contain', IsolationType: 'Full' } });
    expect(isolate.statusCode).toBe(201);
    expect(isolate.json()).toMatchObject({ type: 'Isolate', requestor: 'Alice Analyst', requestorComment: 'contain', status: 'Pending' });
    const collect = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/collectInvestigationPackage`, token, payload: { Comment: 'x' } });
    expect(collect.statusCode).toBe(403);
    expect(collect.json().error.message).toBe("The user does not have any of the required delegated permissions (Machine.CollectForensics) to access the resource. People get them with the role 'Alerts investigation'.");
  });

  it('should end the session on sign-out and refuse the cookie afterwards', async () => {
    const session = await signIn();
    const cookie = cookieOf(session);
    const out = await t.app.inject({ method: 'DELETE', url: '/ui/session', headers: { cookie, 'x-cordon-csrf': session.json().csrfToken } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await t.app.inject({ method: 'GET', url: '/ui/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('should expire sessions after their lifetime', async () => {
    const cookie = cookieOf(await signIn());
    t.clock.advance(12 * 3600_000);
    expect((await t.app.inject({ method: 'GET', url: '/ui/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('should stream action changes of the tenant as server-sent events', async () => {
    const cookie = cookieOf(await signIn());
    const machine = await t.seedMachine();
    const other = await t.seedMachine();
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/ui/events?machineId=${machine.id}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('retry: 3000');
    const token = await t.token(['Machine.Isolate']);
    await t.call({ method: 'POST', url: `/api/machines/${other.id}/isolate`, token, payload: { Comment: 'other machine' } });
    const created = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/isolate`, token, payload: { Comment: 'this machine' } });
    await readUntil('this machine');
    const events = text.split('\n\n').filter((e) => e.startsWith('event: action'));
    expect(events).toHaveLength(1);
    const data = JSON.parse(events[0]!.split('\ndata: ')[1]!);
    expect(data).toMatchObject({ id: created.json().id, status: 'Pending', requestorComment: 'this machine', machineId: machine.id });
    await reader.cancel();
  });

  it('should refuse the event stream without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/ui/events' })).statusCode).toBe(401);
  });
});
