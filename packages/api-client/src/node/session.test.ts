import { afterEach, describe, expect, it } from 'vitest';
import { signInUser, signOutUser, userSessionTokenSource } from '@cordon/api-client/node';
import { mdeError, startFakeServer, type FakeServer } from '@cordon/api-client/testing';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe(signInUser.name, () => {
  it('should post the name and password with a CSRF header and keep the session cookie', async () => {
    server = await startFakeServer(() => ({
      body: { user: { name: 'alice' }, tenantId: 't1', csrfToken: 'csrf-1' },
      headers: { 'set-cookie': 'cordon_session=abc; Path=/; HttpOnly; SameSite=Strict' },
    }));
    expect(await signInUser(server.url, 'Alice', 'pw')).toEqual({ cookie: 'cordon_session=abc', csrfToken: 'csrf-1', tenantId: 't1', user: 'alice' });
    const [req] = server.requests;
    expect([req.method, req.url, req.headers['x-cordon-csrf']]).toEqual(['POST', '/ui/session', 'cli']);
    expect(JSON.parse(req.body.toString())).toEqual({ name: 'Alice', password: 'pw' });
  });

  it('should report a refused sign-in as CordonApiError', async () => {
    server = await startFakeServer(() => mdeError(401, 'Unauthorized', 'Wrong user name or password'));
    await expect(signInUser(server.url, 'alice', 'bad')).rejects.toMatchObject({ status: 401, code: 'Unauthorized' });
  });
});

describe(userSessionTokenSource.name, () => {
  it('should mint delegated tokens with the cookie and CSRF token, and cache them until shortly before expiry', async () => {
    let n = 0;
    let now = 1_000_000_000_000;
    server = await startFakeServer(() => ({ body: { token_type: 'Bearer', access_token: `d-${++n}`, expires_on: now / 1000 + 600 } }));
    const tokens = userSessionTokenSource(server.url, { cookie: 'cordon_session=abc', csrfToken: 'csrf-1', tenantId: 't1', user: 'alice' }, { now: () => now, refreshSkewMs: 60_000 });
    expect(await tokens.getToken()).toBe('d-1');
    now += 539_000;
    expect(await tokens.getToken()).toBe('d-1');
    now += 1_000;
    expect(await tokens.getToken()).toBe('d-2');
    expect(server.requests[0].headers).toMatchObject({ cookie: 'cordon_session=abc', 'x-cordon-csrf': 'csrf-1' });
    expect(server.requests[0].url).toBe('/ui/session/token');
  });
});

describe(signOutUser.name, () => {
  it('should delete the session with its cookie and CSRF token', async () => {
    server = await startFakeServer(() => ({ status: 204 }));
    expect(await signOutUser(server.url, { cookie: 'cordon_session=abc', csrfToken: 'csrf-1' })).toBe('ended');
    const [req] = server.requests;
    expect([req.method, req.url, req.headers.cookie, req.headers['x-cordon-csrf']]).toEqual(['DELETE', '/ui/session', 'cordon_session=abc', 'csrf-1']);
  });

  it('should count a session the server no longer knows as already ended', async () => {
    server = await startFakeServer(() => mdeError(401, 'Unauthorized', 'Not signed in'));
    expect(await signOutUser(server.url, { cookie: 'cordon_session=gone', csrfToken: 'c' })).toBe('already-ended');
  });

  it('should report any other refusal as CordonApiError', async () => {
    server = await startFakeServer(() => mdeError(403, 'Forbidden', 'Bad CSRF token'));
    await expect(signOutUser(server.url, { cookie: 'cordon_session=abc', csrfToken: 'bad' })).rejects.toMatchObject({ status: 403, code: 'Forbidden' });
  });
});
