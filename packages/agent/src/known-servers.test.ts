import { describe, expect, it } from 'vitest';
import { KnownServers } from './known-servers.js';

describe(KnownServers.name, () => {
  it("should list the identity's server URL, then every advertised one once", () => {
    const servers = new KnownServers(['https://cordon.example:8443']);
    expect(servers.urls()).toEqual(['https://cordon.example:8443']);
    expect(servers.update(['https://node-b.example:8443', 'https://cordon.example:8443', 'https://node-b.example:8443'])).toBe(true);
    expect(servers.urls()).toEqual(['https://cordon.example:8443', 'https://node-b.example:8443']);
  });

  it("should list every server URL of the identity, in order, before the advertised ones", () => {
    const servers = new KnownServers(['https://node-a.example:8443', 'https://node-b.example:8443']);
    servers.update(['https://lb.example:8443', 'https://node-a.example:8443']);
    expect(servers.urls()).toEqual(['https://node-a.example:8443', 'https://node-b.example:8443', 'https://lb.example:8443']);
  });

  it('should say whether an update changed the list, and ignore one that is not a list of strings', () => {
    const servers = new KnownServers(['https://cordon.example']);
    expect(servers.update(['https://b', 'https://a'])).toBe(true);
    expect(servers.update(['https://a', 'https://b'])).toBe(false);
    expect(servers.update(undefined)).toBe(false);
    expect(servers.update(['https://c', 42])).toBe(false);
    expect(servers.advertised()).toEqual(['https://a', 'https://b']);
    expect(servers.update([])).toBe(true);
    expect(servers.urls()).toEqual(['https://cordon.example']);
  });
});
