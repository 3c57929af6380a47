import { describe, expect, it } from 'vitest';
import { unreachablePublicUrlWarning } from './onboarding-package.js';

describe(unreachablePublicUrlWarning.name, () => {
  it.each(['http://127.0.0.1:8080', 'http://localhost:8080', 'https://[::1]:8443', 'http://0.0.0.0:8080', 'http://[::]:8080'])('should warn when the derived URL %s reaches only this machine', (url) => {
    expect(unreachablePublicUrlWarning(url, false)).toBe(
      `devices will be told to reach the server at ${url}, which only this machine can reach; pass --public-url <address devices use> (or set CORDON_PUBLIC_URL)`,
    );
  });

  it('should not warn when the URL was given explicitly, even a loopback one (an agent on the server itself)', () => {
    expect(unreachablePublicUrlWarning('http://127.0.0.1:8080', true)).toBeUndefined();
  });

  it('should not warn when the derived URL names a reachable host', () => {
    expect(unreachablePublicUrlWarning('http://10.0.0.5:8080', false)).toBeUndefined();
    expect(unreachablePublicUrlWarning('https://cordon.example:8443', false)).toBeUndefined();
  });
});
