/**
 * Two server "processes" on one store: their apps share the store's notifier (PostgreSQL NOTIFY in
 * production, in-process here), as two processes share one PostgreSQL. A change made through A reaches
 * listeners on B that asked for remote changes (the live UI), and nobody gets their own change twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { makeMachine } from '@cordon/store/testing';
import { buildApp, type CordonApp } from '../app.js';
import { loadConfig } from '../config.js';
import { wireDispatch } from '../wire-dispatch.js';
import type { ActionEvent } from './action-bus.js';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const clock = { now: () => Date.UTC(2026, 10, 21, 10) };
let store: Store;
let a: CordonApp;
let b: CordonApp;

beforeEach(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
  await store.identity.createTenant({ id: TENANT, name: 't', createdAt: '2026-01-01T00:00:00.0000000Z' });
  a = await buildApp({ config: loadConfig({ CORDON_PORT: '0' }), store, clock });
  b = await buildApp({ config: loadConfig({ CORDON_PORT: '0' }), store, clock });
  for (const built of [a, b]) await wireDispatch({ built, store, clock, heartbeatIntervalMs: 30_000 });
});
afterEach(async () => {
  await a.app.close();
  await b.app.close();
  await store.close();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('ActionBus remote events', () => {
  it("should bring A's changes to B's remote listeners, and not to B's local-only ones", async () => {
    const machine = makeMachine({ tenantId: TENANT });
    await store.machines.upsert(machine);
    const onB: ActionEvent[] = [];
    const localOnB: ActionEvent[] = [];
    b.bus.subscribe((e) => onB.push(e), { remote: true });
    b.bus.subscribe((e) => localOnB.push(e));

    const created = await a.actions.create({ tenantId: TENANT, name: 'analyst' }, machine.id, { type: 'Isolate', comment: 'c' });
    await a.actions.cancel(TENANT, created.id, 'analyst', 'no');
    await settle();

    // Each remote event carries the action as read back from the store when it arrived.
    expect(onB.map((e) => [e.kind, e.remote, e.action.id])).toEqual([
      ['created', true, created.id],
      ['changed', true, created.id],
    ]);
    expect(onB[1]!.action.status).toBe('Cancelled');
    expect(localOnB).toEqual([]);
  });

  it('should not echo a process its own changes as remote ones', async () => {
    const machine = makeMachine({ tenantId: TENANT });
    await store.machines.upsert(machine);
    const onA: ActionEvent[] = [];
    a.bus.subscribe((e) => onA.push(e), { remote: true });
    await a.actions.create({ tenantId: TENANT, name: 'analyst' }, machine.id, { type: 'Isolate', comment: 'c' });
    await settle();
    expect(onA.map((e) => [e.kind, e.remote ?? false])).toEqual([['created', false]]);
  });
});
