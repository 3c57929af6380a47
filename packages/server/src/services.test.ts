import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { buildApp, type CordonApp } from './app.js';
import { loadConfig } from './config.js';
import { createServices } from './services.js';

/** buildApp composes the services it is given; it builds its own only from a store. */
describe('createServices and buildApp', () => {
  let store: Store;
  let built: CordonApp | undefined;
  const config = loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test' });

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
  });
  afterEach(async () => {
    await built?.app.close();
    built = undefined;
    await store.close();
  });

  it('should serve the services it is given, not copies', async () => {
    const services = createServices({ store, config });
    built = await buildApp({ config, services });
    expect(built.services).toBe(services);
    expect(built.actions).toBe(services.actions);
    expect(built.bus).toBe(services.bus);
    expect(built.results).toBe(services.results);
    expect(built.logonUsers).toBe(services.logonUsers);
  });

  it("should log the services' background failures through the app's logger once built", async () => {
    const services = createServices({ store, config });
    const lines: string[] = [];
    built = await buildApp({ config, services, logger: { level: 'error', stream: { write: (line: string) => void lines.push(line) } } });
    services.log.error({ probe: 1 }, 'background failure');
    expect(lines.map((l) => JSON.parse(l) as { msg: string; probe: number })).toMatchObject([{ msg: 'background failure', probe: 1 }]);
  });

  it('should refuse to build with neither services nor a store', async () => {
    await expect(buildApp({ config })).rejects.toThrow('buildApp needs `services` or a `store` to build them from');
  });
});
