/**
 * Device messages are validated like API bodies: each agent -> server request's params against its
 * schema in @cordon/protocol, before anything is stored. Through the real app over the long-poll
 * RPC endpoint, as a correctly signed device. Each case is one the review reported, plus the
 * honest messages that must keep working.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, AGENT_PROTOCOL_VERSION } from '@cordon/protocol';
import { wireDispatch } from '@cordon/server';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';
import { addDevice, sha256, type TestDevice } from './forensics-helpers.js';

const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';
const HELLO = {
  protocolVersion: AGENT_PROTOCOL_VERSION,
  computerDnsName: 'validated.example',
  osPlatform: 'Linux',
  osVersion: '12',
  osArchitecture: '64-bit',
  version: '6.1.0',
  agentVersion: '0.1.0',
  lastIpAddress: '10.0.0.5',
  ipAddresses: [{ ipAddress: '10.0.0.5', macAddress: '00-11-22-33-44-55', operationalStatus: 'Up', type: 'Ethernet' }],
  capabilities: ['Isolate', 'LiveResponse'],
};

let t: TestApp;
let device: TestDevice;
beforeEach(async () => {
  t = await startTestApp();
  await wireDispatch({ built: t, store: t.store, clock: t.clock, heartbeatIntervalMs: 30_000 });
  device = await addDevice(t, (await t.seedMachine({ computerDnsName: 'seeded.example' })).id);
});
afterEach(() => t.close());

async function rpc(method: string, params: unknown): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
  const body = Buffer.from(JSON.stringify({ method, params }));
  const headers = { ...device.headers('POST', AGENT_PATHS.rpc, sha256(body)), [AGENT_AUTH_HEADERS.session]: 'validation-session-01', 'content-type': RPC_CONTENT_TYPE };
  const res = await t.app.inject({ method: 'POST', url: AGENT_PATHS.rpc, headers, payload: body });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function machineRow() {
  return t.store.db.selectFrom('machines').selectAll().where('id', '=', device.machineId).executeTakeFirstOrThrow();
}

describe('agent/hello validation', () => {
  it.each([
    ['a non-string osVersion', { osVersion: 12 }, 'params.osVersion'],
    ['a non-string lastIpAddress', { lastIpAddress: { ip: '10.0.0.1' } }, 'params.lastIpAddress'],
    ['ipAddresses that are not a list', { ipAddresses: '10.0.0.1' }, 'params.ipAddresses'],
    ['ipAddresses entries of the wrong shape', { ipAddresses: [{ ipAddress: 1 }] }, 'params.ipAddresses'],
    ['a 200 kB osArchitecture', { osArchitecture: 'x'.repeat(200 * 1024) }, 'params.osArchitecture'],
    ['a missing computerDnsName', { computerDnsName: undefined }, 'params'],
  ])('should refuse %s with InvalidRequestBody and store nothing', async (_, patch, where) => {
    const before = await machineRow();
    const answer = await rpc(AGENT_METHODS.hello.method, { ...HELLO, ...patch });
    expect(answer.error?.code).toBe('InvalidRequestBody');
    expect(answer.error?.message.startsWith(where)).toBe(true);
    expect(await machineRow()).toEqual(before);
  });

  it('should store an honest hello', async () => {
    expect(await rpc(AGENT_METHODS.hello.method, HELLO)).toEqual({ result: expect.objectContaining({ heartbeatIntervalMs: 30_000 }) });
    expect(await machineRow()).toMatchObject({ computer_dns_name: 'validated.example', os_architecture: '64-bit', os_version: '12', last_ip_address: '10.0.0.5' });
  });
});

describe('action/progress validation', () => {
  async function acceptedAction(): Promise<string> {
    const token = await t.token(ALL_ROLES);
    const created = await t.call({ method: 'POST', url: `/api/machines/${device.machineId}/isolate`, payload: { Comment: 'validate', IsolationType: 'Full' }, token });
    const id = (created.json() as { id: string }).id;
    expect(await rpc(AGENT_METHODS.accept.method, { actionId: id })).toEqual({ result: { status: 'InProgress' } });
    return id;
  }

  it.each([
    ['commands that are not a list', { commands: 'not-an-array' }],
    ['commands entries of any shape', { commands: [{ anything: true }] }],
    ['a result that is not an object', { result: 'done' }],
    ['a result nested too deep', { result: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) as Record<string, unknown> }],
  ])('should refuse %s and leave the action as it was, also as the API serves it', async (_, update) => {
    const id = await acceptedAction();
    const token = await t.token(ALL_ROLES);
    const before = (await t.call({ method: 'GET', url: `/api/machineactions/${id}`, token })).json() as Record<string, unknown>;
    const answer = await rpc(AGENT_METHODS.progress.method, { actionId: id, update });
    expect(answer.error?.code).toBe('InvalidRequestBody');
    const after = (await t.call({ method: 'GET', url: `/api/machineactions/${id}`, token })).json() as Record<string, unknown>;
    expect(after).toEqual(before);
    expect(after.commands).toEqual([]);
  });

  it('should store a well-formed result', async () => {
    const id = await acceptedAction();
    expect(await rpc(AGENT_METHODS.progress.method, { actionId: id, update: { result: { step: 'rules loaded' } } })).toEqual({ result: { status: 'InProgress' } });
    expect((await t.store.actions.get(t.tenantId, id))?.result).toEqual({ step: 'rules loaded' });
  });
});

describe('other requests', () => {
  it.each([
    ['an accept with a numeric actionId', AGENT_METHODS.accept.method, { actionId: 42 }],
    ['a finish with a 5,000-character errorMessage', AGENT_METHODS.finish.method, { actionId: 'a', outcome: { status: 'Failed', errorMessage: 'x'.repeat(5000) } }],
    ['a finish with a text errorHResult', AGENT_METHODS.finish.method, { actionId: 'a', outcome: { status: 'Failed', errorMessage: 'e', errorHResult: 'not a number' } }],
    ['a refuse whose message is a list', AGENT_METHODS.refuse.method, { actionId: 'a', code: 'BadSignature', message: ['not', 'text'] }],
    ['a heartbeat with unknown params', AGENT_METHODS.heartbeat.method, { extra: 1 }],
  ])('should refuse %s as InvalidRequestBody', async (_, method, params) => {
    expect((await rpc(method, params)).error?.code).toBe('InvalidRequestBody');
  });
});
