import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { buildApp, loadConfig, type CordonApp } from '@cordon/server';
import { CordonClient } from '@cordon/api-client';

/**
 * Checks the api client against the real server: every client method's request must reach a route
 * (the server answers 401 for a tokenless call, not 404), and when the server publishes its OpenAPI
 * document, the path and method must be documented there too.
 */

interface Call {
  name: string;
  method: string;
  url: string;
}

/** Each client method with sample arguments. */
const CALLS: Array<[string, (c: CordonClient) => Promise<unknown>]> = [
  ['listMachineActions', (c) => c.listMachineActions({ filter: "status eq 'Pending'", top: 5 })],
  ['getMachineAction', (c) => c.getMachineAction('a1')],
  ['cancelMachineAction', (c) => c.cancelMachineAction('a1', 'x')],
  ['isolate', (c) => c.isolate('m1', 'x', 'Full')],
  ['unisolate', (c) => c.unisolate('m1', 'x')],
  ['restrictCodeExecution', (c) => c.restrictCodeExecution('m1', 'x')],
  ['unrestrictCodeExecution', (c) => c.unrestrictCodeExecution('m1', 'x')],
  ['runAntiVirusScan', (c) => c.runAntiVirusScan('m1', 'x', 'Quick')],
  ['offboard', (c) => c.offboard('m1', 'x')],
  ['stopAndQuarantineFile', (c) => c.stopAndQuarantineFile('m1', 'x', 'a'.repeat(40))],
  ['collectInvestigationPackage', (c) => c.collectInvestigationPackage('m1', 'x')],
  ['getPackageUri', (c) => c.getPackageUri('a1')],
  ['runLiveResponse', (c) => c.runLiveResponse('m1', [{ type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }] }], 'x')],
  ['getLiveResponseResultDownloadLink', (c) => c.getLiveResponseResultDownloadLink('a1', 0)],
  ['listLibraryFiles', (c) => c.listLibraryFiles()],
  ['uploadLibraryFile', (c) => c.uploadLibraryFile(new FormData())],
  ['deleteLibraryFile', (c) => c.deleteLibraryFile('s.sh')],
  ['listMachines', (c) => c.listMachines({ top: 1 })],
  ['getMachine', (c) => c.getMachine('m1')],
  ['tagMachine', (c) => c.tagMachine('m1', 'prod', 'Add')],
];

async function recordCalls(): Promise<Call[]> {
  const calls: Call[] = [];
  for (const [name, invoke] of CALLS) {
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push({ name, method: init?.method ?? 'GET', url: String(input).replace('http://cordon.test', '') });
      return new Response(JSON.stringify({ value: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof globalThis.fetch;
    await invoke(new CordonClient({ baseUrl: 'http://cordon.test', token: 't', fetch }));
  }
  return calls;
}

/** `/api/machines/{id}/tags` → a case-insensitive regex over concrete paths. */
function templateRegex(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`, 'i');
}

describe('api client against the server routes', () => {
  let store: Store;
  let built: CordonApp;
  let calls: Call[];

  beforeAll(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    built = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test' }), store });
    calls = await recordCalls();
  });
  afterAll(async () => {
    await built?.app.close();
    await store?.close();
  });

  it('should make one request per method', () => {
    expect(calls.map((c) => c.name)).toEqual(CALLS.map(([name]) => name));
  });

  it('should reach a route of the server with every request (401 without a token, not 404)', async () => {
    const unrouted: string[] = [];
    for (const call of calls) {
      const res = await built.app.inject({ method: call.method as 'GET', url: call.url });
      if (res.statusCode !== 401) unrouted.push(`${call.name}: ${call.method} ${call.url} -> ${res.statusCode}`);
    }
    expect(unrouted).toEqual([]);
  });

  it('should only call documented operations (the server serves /openapi.json)', async () => {
    const res = await built.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, { operationId?: string }>> };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase(), re: templateRegex(path) })));
    const missing = calls
      .filter((c) => !documented.some((d) => d.method === c.method && d.re.test(decodeURIComponent(c.url.split('?')[0]!))))
      .map((c) => c.name);
    expect(missing).toEqual([]);
  });
});
