import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceInfo, OnboardingPackage } from '@cordon/protocol';
import { enroll, EnrollmentError, loadIdentity, serverUrlsOf } from './identity.js';

const device: DeviceInfo = { computerDnsName: 'dev1', osPlatform: 'Linux', osVersion: null, osArchitecture: 'x64', version: null, agentVersion: '0', lastIpAddress: null, ipAddresses: [] };

const pkg = (overrides: Partial<OnboardingPackage>): OnboardingPackage => ({
  version: 1,
  serverUrl: 'http://127.0.0.1:1',
  tenantId: 't1',
  enrollmentSecret: 'id.secret',
  expiresAt: '2030-01-01T00:00:00Z',
  tlsCertSha256: null,
  tlsCertPem: null,
  actionSigningKeys: [],
  ...overrides,
});

async function deadUrl(): Promise<string> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

describe(enroll.name, () => {
  let server: Server;
  let live: string;
  let dir: string;
  const hits: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cordon-identity-test-'));
    server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ machineId: 'm1', tenantId: 't1' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    live = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('should enroll through the first server URL that answers and keep them all in the identity', async () => {
    const dead = await deadUrl();
    const identity = await enroll(pkg({ serverUrl: dead, serverUrls: [dead, live] }), device, join(dir, 'a'));
    expect(hits).toEqual(['POST /agent/v1/enroll']);
    expect(identity).toMatchObject({ machineId: 'm1', serverUrl: dead, serverUrls: [dead, live] });
    expect(await loadIdentity(join(dir, 'a'))).toMatchObject({ serverUrls: [dead, live] });
  });

  it('should say which servers it tried when none answers', async () => {
    const [a, b] = [await deadUrl(), await deadUrl()];
    await expect(enroll(pkg({ serverUrl: a, serverUrls: [a, b] }), device, join(dir, 'b'))).rejects.toThrow(new RegExp(`no server answered: ${a}: .*; ${b}: `));
  });

  it.each([
    ['an empty list', { serverUrls: [] }],
    ['a URL that is not http(s)', { serverUrl: 'ftp://x', serverUrls: ['ftp://x'] }],
    ['a serverUrl other than the first', { serverUrl: 'http://a.example', serverUrls: ['http://b.example', 'http://a.example'] }],
    ['an https URL without a pin', { serverUrl: 'http://a.example', serverUrls: ['http://a.example', 'https://b.example'] }],
  ])('should refuse a package with %s, contacting nobody', async (_what, overrides) => {
    const before = hits.length;
    await expect(enroll(pkg(overrides as Partial<OnboardingPackage>), device, join(dir, 'c'))).rejects.toBeInstanceOf(EnrollmentError);
    expect(hits.length).toBe(before);
  });

  it('should read an identity written before there were several URLs as its one URL', () => {
    expect(serverUrlsOf({ serverUrl: 'https://cordon.example' })).toEqual(['https://cordon.example']);
    expect(serverUrlsOf({ serverUrl: 'https://a', serverUrls: ['https://a', 'https://b'] })).toEqual(['https://a', 'https://b']);
  });
});
