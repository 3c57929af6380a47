/**
 * Console sessions across two server processes on one PostgreSQL: the client talks to one app,
 * the device is connected to the other. Opening (the probe), a command's output and the session's
 * event stream all cross between them through the database and its notifications; the second
 * process cannot open a second session on the device either.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '@cordon/store';
import { TEST_PG_URL, withPgHint } from '@cordon/store/testing';
import { wireDispatch } from '@cordon/server';
import { startTestApp, type TestApp } from './helpers.js';
import { addDevice } from './forensics-helpers.js';
import { FakeDevice, shell } from './support/live-device.js';

const BASE = '/api/cordon/liveresponse/sessions';

let schema: string;
let stores: Store[];
let client: TestApp;
let holder: TestApp;
let fake: FakeDevice;
let machineId: string;

beforeEach(async () => {
  schema = `cordon_live_${randomBytes(6).toString('hex')}`;
  stores = [await withPgHint(() => openStore({ url: TEST_PG_URL, pgSchema: schema })), await openStore({ url: TEST_PG_URL, pgSchema: schema })];
  client = await startTestApp({ store: stores[0]! });
  holder = await startTestApp({ store: stores[1]! });
  await wireDispatch({ built: client, store: stores[0]!, clock: client.clock, heartbeatIntervalMs: 30_000, pollWaitMs: 50 });
  await wireDispatch({ built: holder, store: stores[1]!, clock: holder.clock, heartbeatIntervalMs: 30_000, pollWaitMs: 50 });
  machineId = (await client.seedMachine({ capabilities: ['LiveConsole'] })).id;
  // Connected to the other process only.
  fake = new FakeDevice(holder, await addDevice(holder, machineId, client.tenantId), shell);
  await fake.start();
});
afterEach(async () => {
  await fake?.stop();
  // The event stream's fetch connection: the client aborted it, but undici may keep its socket.
  client?.app.server.closeAllConnections();
  await client?.close();
  await holder?.close();
  if (stores?.[0]) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(stores[0].db);
  for (const s of stores ?? []) await s.close();
});

describe('live response console sessions on two server processes', () => {
  it('should open, run and stream through the process that does not hold the device', async () => {
    const token = await client.token(['Machine.LiveResponse']);
    const opened = await client.call({ method: 'POST', url: BASE, payload: { machineId }, token });
    expect(opened.statusCode).toBe(201);
    const s = opened.json() as { id: string };
    expect(fake.commands()[0]).toMatchObject({ sessionId: s.id, commandId: 0, command: 'cd' });

    // The other process refuses a second session: the database holds the one per device.
    const second = await holder.call({ method: 'POST', url: BASE, payload: { machineId }, token });
    expect(second.json().error.code).toBe('ActiveRequestAlreadyExists');

    const address = await client.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const stream = await fetch(`${address}${BASE}/${s.id}/events`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': '1' }, signal: controller.signal });
    const reader = stream.body!.getReader();
    expect((await client.call({ method: 'POST', url: `${BASE}/${s.id}/commands`, payload: { commandLine: 'dir /etc' }, token })).statusCode).toBe(201);
    let text = '';
    while ((text.match(/event: command/g)?.length ?? 0) < 2) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    controller.abort();
    expect([...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(['command', 'output', 'output', 'data', 'command']);
    const output = await client.call({ method: 'GET', url: `${BASE}/${s.id}/commands/1/output`, token });
    expect(output.body).toBe('hosts\npasswd\n');
  });
});
