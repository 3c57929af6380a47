/**
 * The server URLs onboarding packages give agents to fail over between: CORDON_AGENT_SERVER_URLS,
 * or the public URL alone; the package keeps `serverUrl` (the first) for agents that read only it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { onboardingPackageOf } from '../src/dispatch/enrollment.js';

const signer = { keyId: 'k1', publicKey: 'cHVibGlj' } as Parameters<typeof onboardingPackageOf>[2];
const secret = { tenantId: 't1', enrollmentSecret: 'id.secret', expiresAt: '2026-12-05T00:00:00Z' };

describe('agent server URLs', () => {
  it('should be the public URL alone when none are configured', () => {
    expect(loadConfig({ CORDON_PUBLIC_URL: 'https://cordon.example/' }).agentServerUrls).toEqual(['https://cordon.example']);
  });

  it('should be the configured list, in order, without trailing slashes or repeats', () => {
    const config = loadConfig({ CORDON_PUBLIC_URL: 'https://cordon.example', CORDON_AGENT_SERVER_URLS: 'https://node1.example:8443/, https://node2.example:8443,https://node1.example:8443' });
    expect(config.agentServerUrls).toEqual(['https://node1.example:8443', 'https://node2.example:8443']);
    expect(config.publicUrl).toBe('https://cordon.example');
  });

  it.each(['node1.example:8443', 'ftp://node1.example', 'https://node1.example/cordon', 'https://a.example,', 'https://a.example?x=1'])("should refuse '%s'", (raw) => {
    expect(() => loadConfig({ CORDON_AGENT_SERVER_URLS: raw })).toThrow(ConfigError);
  });

  it('should put every URL in the package, the first also as serverUrl', () => {
    const pkg = onboardingPackageOf(secret, { serverUrls: ['https://node1.example:8443', 'https://node2.example:8443'], tlsCertPem: undefined }, signer);
    expect(pkg).toMatchObject({ serverUrl: 'https://node1.example:8443', serverUrls: ['https://node1.example:8443', 'https://node2.example:8443'] });
  });
});
