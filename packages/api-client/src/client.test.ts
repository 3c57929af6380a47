import { afterEach, describe, expect, it } from 'vitest';
import { CordonClient, clientCredentialsTokenSource, isCordonApiError, CordonApiError, waitForAction } from '@cordon/api-client';
import { makeWireAction, mdeError, startFakeServer, tokenReply, type FakeServer } from '@cordon/api-client/testing';
import type { MachineAction } from '@cordon/protocol';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const creds = (url: string) => ({ serverUrl: url, tenantId: 't1', clientId: 'c1', clientSecret: 's3cret' });

async function caught(promise: Promise<unknown>): Promise<CordonApiError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!isCordonApiError(err)) throw new Error(`expected CordonApiError, got ${String(err)}`);
  return err;
}

describe('clientCredentialsTokenSource', () => {
  it('should post the client-credentials form to the tenant token endpoint', async () => {
    server = await startFakeServer(() => tokenReply('tok-1'));
    const tokens = clientCredentialsTokenSource(creds(server.url));
    expect(await tokens.getToken()).toBe('tok-1');
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/t1/oauth2/v2.0/token');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body.toString()))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'c1',
      client_secret: 's3cret',
      scope: 'https://api.securitycenter.microsoft.com/.default',
    });
  });

  it('should reuse the cached token until shortly before expiry, then fetch a new one', async () => {
    let n = 0;
    server = await startFakeServer(() => tokenReply(`tok-${++n}`, 3600));
    let now = 1_000_000;
    const tokens = clientCredentialsTokenSource(creds(server.url), { now: () => now, refreshSkewMs: 300_000 });
    expect(await tokens.getToken()).toBe('tok-1');
    now += 3_299_000; // 1 s before the refresh point (3600 s - 300 s skew)
    expect(await tokens.getToken()).toBe('tok-1');
    now += 1_000;
    expect(await tokens.getToken()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);
  });

  it('should share one token request between concurrent callers', async () => {
    server = await startFakeServer(() => tokenReply('tok'));
    const tokens = clientCredentialsTokenSource(creds(server.url));
    expect(await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()])).toEqual(['tok', 'tok', 'tok']);
    expect(server.requests).toHaveLength(1);
  });

  it('should map an Entra-shaped OAuth error to CordonApiError', async () => {
    server = await startFakeServer(() => ({
      status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215], correlation_id: 'corr-9' },
    }));
    const err = await caught(clientCredentialsTokenSource(creds(server.url)).getToken());
    expect({ status: err.status, code: err.code, message: err.message, target: err.target }).toEqual({
      status: 401,
      code: 'invalid_client',
      message: 'AADSTS7000215: Invalid client secret provided.',
      target: 'corr-9',
    });
  });
});

describe(CordonClient.name, () => {
  it('should send the bearer token and JSON body of an action', async () => {
    server = await startFakeServer((req) => (req.url.includes('token') ? tokenReply('tok') : { status: 201, body: makeWireAction() }));
    const client = new CordonClient({ baseUrl: server.url, token: clientCredentialsTokenSource(creds(server.url)) });
    const action = await client.isolate('m1', 'contain', 'Selective');
    expect(action.id).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    const req = server.requests[1];
    expect([req.method, req.url, req.headers.authorization, req.headers['content-type']]).toEqual(['POST', '/api/machines/m1/isolate', 'Bearer tok', 'application/json']);
    expect(JSON.parse(req.body.toString())).toEqual({ Comment: 'contain', IsolationType: 'Selective' });
  });

  it.each([
    ['runAntiVirusScan', (c: CordonClient) => c.runAntiVirusScan('m 1', 'x', 'Quick'), '/api/machines/m%201/runAntiVirusScan', { Comment: 'x', ScanType: 'Quick' }],
    ['stopAndQuarantineFile', (c: CordonClient) => c.stopAndQuarantineFile('m1', 'x', 'a'.repeat(40)), '/api/machines/m1/StopAndQuarantineFile', { Comment: 'x', Sha1: 'a'.repeat(40) }],
    ['cancelMachineAction', (c: CordonClient) => c.cancelMachineAction('a1', 'oops'), '/api/machineactions/a1/cancel', { Comment: 'oops' }],
    ['tagMachine', (c: CordonClient) => c.tagMachine('m1', 'prod', 'Add'), '/api/machines/m1/tags', { Value: 'prod', Action: 'Add' }],
    [
      'runLiveResponse',
      (c: CordonClient) => c.runLiveResponse('m1', [{ type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }] }], 'lr'),
      '/api/machines/m1/runliveresponse',
      { Commands: [{ type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }] }], Comment: 'lr' },
    ],
  ])('%s should POST the documented path and body', async (_name, call, path, body) => {
    server = await startFakeServer(() => ({ status: 201, body: makeWireAction() }));
    await call(new CordonClient({ baseUrl: server.url, token: 'static' }));
    expect(server.requests[0].url).toBe(path);
    expect(JSON.parse(server.requests[0].body.toString())).toEqual(body);
  });

  it('should return the link value of getPackageUri and GetLiveResponseResultDownloadLink', async () => {
    server = await startFakeServer((req) => ({ body: { '@odata.context': 'x#Edm.String', value: `https://dl${req.url}` } }));
    const client = new CordonClient({ baseUrl: server.url, token: 't' });
    expect(await client.getPackageUri('a1')).toBe('https://dl/api/machineactions/a1/getPackageUri');
    expect(await client.getLiveResponseResultDownloadLink('a1', 2)).toBe('https://dl/api/machineactions/a1/GetLiveResponseResultDownloadLink(index=2)');
  });

  it('should turn the MDE error envelope into CordonApiError with status, code, message and target', async () => {
    server = await startFakeServer(() => mdeError(404, 'ResourceNotFound', 'Machine m9 was not found', '43f4cb08'));
    const err = await caught(new CordonClient({ baseUrl: server.url, token: 't' }).getMachine('m9'));
    expect({ status: err.status, code: err.code, message: err.message, target: err.target }).toEqual({
      status: 404,
      code: 'ResourceNotFound',
      message: 'Machine m9 was not found',
      target: '43f4cb08',
    });
  });

  it('should report a non-JSON failure with its status and an excerpt', async () => {
    server = await startFakeServer(() => ({ status: 502, body: '<html> Bad   gateway </html>' }));
    const err = await caught(new CordonClient({ baseUrl: server.url, token: 't' }).getMachine('m1'));
    expect([err.status, err.code, err.message]).toEqual([502, 'Http502', '<html> Bad gateway </html>']);
  });

  it('should report an unreachable server as NetworkError with status 0', async () => {
    server = await startFakeServer(() => ({}));
    const url = server.url;
    await server.close();
    server = undefined;
    const err = await caught(new CordonClient({ baseUrl: url, token: 't' }).getMachine('m1'));
    expect([err.status, err.code]).toEqual([0, 'NetworkError']);
  });

  it('should fetch a new token and retry once after a 401', async () => {
    let n = 0;
    server = await startFakeServer((req) => {
      if (req.url.includes('token')) return tokenReply(`tok-${++n}`);
      return req.headers.authorization === 'Bearer tok-1' ? mdeError(401, 'Unauthorized', 'expired') : { body: makeWireAction() };
    });
    const client = new CordonClient({ baseUrl: server.url, token: clientCredentialsTokenSource(creds(server.url)) });
    expect((await client.getMachineAction('a1')).status).toBe('Pending');
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? ''}`)).toEqual([
      'POST /t1/oauth2/v2.0/token ',
      'GET /api/machineactions/a1 Bearer tok-1',
      'POST /t1/oauth2/v2.0/token ',
      'GET /api/machineactions/a1 Bearer tok-2',
    ]);
  });

  it('should send OData options and follow @odata.nextLink for list-all helpers', async () => {
    server = await startFakeServer((req) => {
      const url = new URL(req.url, server!.url);
      const skip = Number(url.searchParams.get('$skip') ?? 0);
      const value = [makeWireAction({ id: `a${skip}` }), makeWireAction({ id: `a${skip + 1}` })];
      const next = skip < 4 ? `${server!.url}/api/machineactions?$filter=${encodeURIComponent("status eq 'Pending'")}&$top=2&$skip=${skip + 2}` : undefined;
      return { body: { '@odata.context': 'ctx', value, ...(next ? { '@odata.nextLink': next } : {}) } };
    });
    const client = new CordonClient({ baseUrl: server.url, token: 't' });
    const all = await client.listAllMachineActions({ filter: "status eq 'Pending'", top: 2 });
    expect(all.map((a) => a.id)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    expect(server.requests).toHaveLength(3);
    expect(decodeURIComponent(server.requests[0].url)).toBe("/api/machineactions?$filter=status+eq+'Pending'&$top=2");
  });

  it('should list alerts with OData options', async () => {
    server = await startFakeServer(() => ({ body: { value: [{ id: 'da1', title: 'EICAR' }] } }));
    const client = new CordonClient({ baseUrl: server.url, token: 't' });
    const page = await client.listAlerts({ filter: "actionId eq 'a1'", top: 50 });
    expect(page.value.map((a) => a.id)).toEqual(['da1']);
    expect(decodeURIComponent(server.requests[0].url)).toBe("/api/alerts?$filter=actionId+eq+'a1'&$top=50");
  });

  it('should not send the bearer token to a link on another origin', async () => {
    const other = await startFakeServer(() => ({ body: 'zip-bytes' }));
    try {
      server = await startFakeServer(() => ({ body: {} }));
      const client = new CordonClient({ baseUrl: server.url, token: 'secret-token' });
      await client.request('GET', `${other.url}/file.zip`);
      expect(other.requests[0].headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('should upload library files as multipart and delete them by name', async () => {
    server = await startFakeServer((req) => (req.method === 'DELETE' ? { status: 204 } : { body: { fileName: 's.sh', sha256: 'ab' } }));
    const client = new CordonClient({ baseUrl: server.url, token: 't' });
    const form = new FormData();
    form.set('File', new Blob(['echo hi']), 's.sh');
    form.set('Description', 'greets');
    expect((await client.uploadLibraryFile(form)).fileName).toBe('s.sh');
    await client.deleteLibraryFile('s.sh');
    expect(server.requests[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(server.requests[0].body.toString()).toContain('echo hi');
    expect(`${server.requests[1].method} ${server.requests[1].url}`).toBe('DELETE /api/libraryfiles/s.sh');
  });
});

describe(waitForAction.name, () => {
  it('should poll until the action is final and report every state', async () => {
    const states = ['Pending', 'InProgress', 'InProgress', 'Succeeded'];
    const seen: string[] = [];
    const sleeps: number[] = [];
    let i = 0;
    const final = await waitForAction(async () => makeWireAction({ status: states[i++] }) as unknown as MachineAction, 'a1', {
      intervalMs: 500,
      onUpdate: (a) => seen.push(a.status),
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(final.status).toBe('Succeeded');
    expect(seen).toEqual(states);
    expect(sleeps).toEqual([500, 500, 500]);
  });
});

describe('apiPath', () => {
  it('fills the OpenAPI template, encoding each value', async () => {
    const { apiPath } = await import('./client.js');
    expect(apiPath('/api/machines/{id}/isolate', { id: 'a b/c' })).toBe('/api/machines/a%20b%2Fc/isolate');
    expect(apiPath('/api/machineactions/{id}/{fn}', { id: 'x', fn: 'F(index=1)' }, false)).toBe('/api/machineactions/x/F(index=1)');
    expect(() => apiPath('/api/machines/{id}', {})).toThrow(/no value for \{id\}/);
  });
});
