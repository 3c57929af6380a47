/**
 * @extension Cordon: POST /api/cordon/agentPackages issues an enrollment secret and answers the
 * links of its package; GET /cordon/agent-install/<secret>/<file> serves the installer, the .deb
 * and the tarball while the secret can still enroll, with the onboarding package inside.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toMdeTimestamp, type OnboardingPackage } from '@cordon/protocol';
import { curlPublicKeyPin, installLinks } from '../src/agent-package/installer.js';
import { loadTls } from '../src/tls.js';
import { openStore } from '@cordon/store';
import { startTestApp, type TestApp } from './helpers.js';
import { skipUnlessAble } from '../../../e2e/support/require-privileged.js';

interface Created {
  expiresAt: string;
  maxUses: number;
  debUrl: string;
  tarUrl: string;
  installScriptUrl: string;
  installCommand: string;
}

const hasDpkg = spawnSync('sh', ['-c', 'command -v dpkg-deb'], { stdio: 'ignore' }).status === 0;

describe('agent packages', () => {
  let t: TestApp;
  let admin: string;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token(['Machine.ReadWrite.All']);
    dir = mkdtempSync(join(tmpdir(), 'cordon-agent-packages-test-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (body: Record<string, unknown>, token = admin) => t.call({ method: 'POST', url: '/api/cordon/agentPackages', payload: body, token });
  const path = (url: string) => new URL(url).pathname;

  it('should issue a secret with the asked uses and expiry and answer the package links and the one-liner', async () => {
    const res = await create({ maxUses: 5, expiresInHours: 48 });
    expect(res.statusCode).toBe(201);
    const body = res.json() as Created;
    expect(body.maxUses).toBe(5);
    expect(Date.parse(body.expiresAt)).toBe(Math.floor(t.clock.now() / 1000) * 1000 + 48 * 3_600_000);
    expect(body.debUrl).toMatch(/^http:\/\/cordon\.test\/cordon\/agent-install\/[^/]+\/cordon-agent\.deb$/);
    expect(body.tarUrl).toBe(body.debUrl.replace('cordon-agent.deb', 'cordon-agent.tar.gz'));
    // A plain-http server: nothing to pin.
    expect(body.installCommand).toBe(`curl -fsSL '${body.installScriptUrl}' | sudo sh`);
  });

  it('should refuse with 503 naming npm run build:agent, minting no secret, when the server has no agent build', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    const minted = vi.spyOn(store.agents, 'createEnrollmentSecret');
    const bare = await startTestApp({ store, agentArtifactDir: join(dir, 'no-agent-build-here') });
    try {
      const res = await bare.call({ method: 'POST', url: '/api/cordon/agentPackages', payload: { maxUses: 1, expiresInHours: 1 }, token: await bare.token(['Machine.ReadWrite.All']) });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('ServiceUnavailable');
      expect(res.json().error.message).toContain('run `npm run build:agent` on the server');
      expect(minted).not.toHaveBeenCalled();
    } finally {
      await bare.close();
    }
  });

  it('should refuse out-of-range, unknown or missing fields with 400', async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ maxUses: 0, expiresInHours: 1 }, 'InvalidRequestBody'],
      [{ maxUses: 1, expiresInHours: 0 }, 'InvalidRequestBody'],
      [{ maxUses: 1, expiresInHours: 721 }, 'InvalidRequestBody'],
      [{ maxUses: 1.5, expiresInHours: 1 }, 'InvalidRequestBody'],
      [{ maxUses: '1', expiresInHours: 1 }, 'InvalidRequestBody'],
      [{ maxUses: 1, expiresInHours: 1, tenantId: 'x' }, 'InvalidRequestBody'],
      [{ maxUses: 1 }, 'MissingRequiredParameter'],
    ];
    for (const [bad, code] of refusals) {
      const res = await create(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code, JSON.stringify(bad)).toBe(code);
    }
  });

  it('should need the permission that may onboard devices', async () => {
    const res = await create({ maxUses: 1, expiresInHours: 1 }, await t.token(['Machine.Read.All', 'Machine.Isolate']));
    expect(res.statusCode).toBe(403);
    expect((await t.call({ method: 'POST', url: '/api/cordon/agentPackages', payload: { maxUses: 1, expiresInHours: 1 } })).statusCode).toBe(401);
  });

  it('should serve an installer script that parses and fetches the package of its own secret', async () => {
    const body = (await create({ maxUses: 1, expiresInHours: 1 })).json() as Created;
    const res = await t.call({ method: 'GET', url: path(body.installScriptUrl) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/x-shellscript/);
    const script = join(dir, 'install.sh');
    writeFileSync(script, res.body);
    expect(spawnSync('sh', ['-n', script]).status).toBe(0);
    expect(res.body).toContain(`'${body.debUrl}'`);
    expect(res.body).toContain(`'${body.tarUrl}'`);
  });

  it('should refuse the downloads of an unknown, expired or spent secret with 403, and unknown file names with 404', async () => {
    const body = (await create({ maxUses: 1, expiresInHours: 1 })).json() as Created;
    const secret = decodeURIComponent(path(body.installScriptUrl).split('/')[3]!);
    const [id, value] = secret.split('.');
    const forged = `/cordon/agent-install/${id}.${value!.slice(0, -2)}xx/install.sh`;
    expect((await t.call({ method: 'GET', url: forged })).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/cordon/agent-install/nodot/install.sh' })).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: path(body.debUrl).replace('cordon-agent.deb', 'passwd') })).statusCode).toBe(404);

    const expiring = (await create({ maxUses: 1, expiresInHours: 1 })).json() as Created;
    t.clock.advance(3_600_000 + 1);
    expect((await t.call({ method: 'GET', url: path(expiring.installScriptUrl) })).statusCode).toBe(403);

    const spent = (await create({ maxUses: 1, expiresInHours: 1 })).json() as Created;
    const spentId = decodeURIComponent(path(spent.installScriptUrl).split('/')[3]!).split('.')[0]!;
    expect(await t.store.agents.spendEnrollmentSecret(spentId, toMdeTimestamp(t.clock.now()))).toBe(true);
    const refused = await t.call({ method: 'GET', url: path(spent.debUrl) });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('create a new agent package');
  });

  it.skipIf(skipUnlessAble('agent package download', hasDpkg ? undefined : "dpkg-deb not installed (Debian's dpkg package)"))(
    'should serve a .deb whose onboarding file carries the issued secret, this server and its action-signing key',
    async () => {
      const body = (await create({ maxUses: 3, expiresInHours: 2 })).json() as Created;
      const res = await t.call({ method: 'GET', url: path(body.debUrl) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.debian.binary-package');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cordon-agent_\d+\.\d+\.\d+_amd64\.deb"$/);
      const deb = join(dir, 'downloaded.deb');
      writeFileSync(deb, res.rawPayload);
      const root = join(dir, 'downloaded-root');
      execFileSync('dpkg-deb', ['-x', deb, root]);
      const onboarding = JSON.parse(readFileSync(join(root, 'etc/cordon/onboarding.json'), 'utf8')) as OnboardingPackage;
      expect(`${onboarding.enrollmentSecret}`).toBe(decodeURIComponent(path(body.debUrl).split('/')[3]!));
      expect(onboarding.serverUrl).toBe('http://cordon.test');
      expect(onboarding.tenantId).toBe(t.tenantId);
      expect(onboarding.expiresAt).toBe(body.expiresAt);
      expect(onboarding.actionSigningKeys).toHaveLength(1);
      expect(onboarding.tlsCertSha256).toBeNull();
    },
    300_000,
  );
});

describe('agent installer over TLS', () => {
  it("should pin the server's public key in the one-liner and in the script, as curl computes it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-agent-tls-'));
    try {
      const tls = (await loadTls({ selfSigned: true, dataDir, hostnames: ['cordon.test'] }))!;
      const certFile = join(dataDir, 'tls/cert.pem');
      // curl's documented recipe for a --pinnedpubkey value.
      const expected = execFileSync('sh', ['-c', `openssl x509 -in ${certFile} -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`], { encoding: 'utf8' }).trim();
      expect(curlPublicKeyPin(tls.cert)).toBe(`sha256//${expected}`);
      const links = installLinks('https://cordon.test:8443', 'id.secret', tls.cert);
      expect(links.installCommand).toBe(`curl -fsSL -k --pinnedpubkey 'sha256//${expected}' 'https://cordon.test:8443/cordon/agent-install/id.secret/install.sh' | sudo sh`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
