/**
 * The hub's notifier callbacks run outside any request: a payload on the fan-out channel that is
 * not one of ours (anyone with database access can NOTIFY) must be dropped, not turned into an
 * unhandled rejection, which ends a Node process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { buildApp, loadConfig, type CordonApp } from '../index.js';
import { ACTIONS_CHANNEL } from './dispatch-hub.js';
import { wireDispatch } from '../wire-dispatch.js';

describe('action fan-out payloads', () => {
  let store: Store;
  let built: CordonApp;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    built = await buildApp({ config: loadConfig({ CORDON_PORT: '0' }), store });
    await wireDispatch({ built, store, clock: { now: () => Date.now() }, heartbeatIntervalMs: 30_000 });
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onRejection);
    await built.app.close();
    await store.close();
  });

  it.each(['null', '7', '"text"', 'true', '[]', '{"o":"elsewhere","k":"created","t":null,"i":{},"m":[]}', 'not json'])('should drop the payload %s', async (payload) => {
    await store.notifier.notify(ACTIONS_CHANNEL, payload);
    await new Promise((r) => setTimeout(r, 20));
    expect(rejections).toEqual([]);
  });
});
