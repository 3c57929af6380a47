import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { openStore, type Store } from '@cordon/store';
import { makeMachine } from '@cordon/store/testing';
import { buildApp, createApplication, loadConfig, randomIds, systemClock, type CordonApp } from '@cordon/server';
import { toMdeTimestamp } from '@cordon/protocol';
import { cliSandbox, type CliSandbox } from './cli-harness.js';

// Each step spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** `--wait` / `actions watch` against the real server: the action event stream, a restart mid-wait. */
describe('waiting on the real server', () => {
  let store: Store;
  let built: CordonApp | undefined;
  let cli: CliSandbox;
  /** Method and path of every API request the server received, across restarts. */
  const seen: string[] = [];

  const start = async (port = 0) => {
    const app = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test' }), store });
    app.app.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/api/')) seen.push(`${request.method} ${request.url.split('?')[0]}`);
    });
    await app.app.listen({ port, host: '127.0.0.1' });
    built = app;
    return (app.app.server.address() as AddressInfo).port;
  };

  afterEach(async () => {
    await cli?.cleanup();
    await built?.app.close();
    await store?.close();
  });

  const setUp = async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    const port = await start();
    const tenantId = randomIds.uuid();
    await store.identity.createTenant({ id: tenantId, name: 'wait', createdAt: toMdeTimestamp(systemClock.now()) });
    const app = await createApplication(store.identity, { tenantId, name: 'waiter', roles: ['Machine.Read.All', 'Machine.Isolate'] }, { clock: systemClock, ids: randomIds });
    const machine = makeMachine({ tenantId });
    await store.machines.upsert(machine);
    cli = await cliSandbox();
    const env = { CORDON_SERVER: `http://127.0.0.1:${port}`, CORDON_TENANT: tenantId, CORDON_CLIENT_ID: app.clientId, CORDON_CLIENT_SECRET: app.clientSecret };
    return { port, tenantId, machine, env };
  };

  /** Runs the CLI; `lines` resolves the first stderr line matching, while it keeps running. */
  const spawnCli = (args: string[], env: Record<string, string>) => {
    const { argv, env: fullEnv } = cli.command(args, env);
    const child = spawn(argv[0]!, argv.slice(1), { cwd: cli.dir, env: fullEnv });
    let stdout = '';
    let stderr = '';
    const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const w of waiters.splice(0)) (w.re.test(stderr) ? w.resolve : () => waiters.push(w))();
    });
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    return {
      done,
      stderrMatches: (re: RegExp) => new Promise<void>((resolve) => (re.test(stderr) ? resolve() : waiters.push({ re, resolve }))),
    };
  };

  it('should report a quick action from the stream, without polling GET /machineactions/{id}', async () => {
    const { tenantId, machine, env } = await setUp();
    const run = spawnCli(['isolate', machine.id, '--comment', 'quick', '--wait', '--json'], env);
    // The CLI is subscribed once its stream request has arrived (its first event is the Pending state).
    await run.stderrMatches(/: Pending/);
    await vi.waitFor(() => expect(seen).toContain('GET /api/cordon/events'));
    const [action] = (await built!.actions.listOpenForMachine(tenantId, machine.id));
    await built!.actions.accept(tenantId, action!.id, machine.id);
    await built!.actions.finish(tenantId, action!.id, machine.id, { status: 'Succeeded' });
    const res = await run.done;
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ id: action!.id, status: 'Succeeded' });
    expect(seen).toEqual([`POST /api/machines/${machine.id}/isolate`, 'GET /api/cordon/events']);
  });

  it('should survive a server restart mid-wait: reconnect and report the status reached meanwhile', async () => {
    const { port, tenantId, machine, env } = await setUp();
    const run = spawnCli(['isolate', machine.id, '--comment', 'restart', '--wait', '--timeout', '1m'], env);
    await run.stderrMatches(/: Pending/);
    await vi.waitFor(() => expect(seen).toContain('GET /api/cordon/events'));
    const [action] = await built!.actions.listOpenForMachine(tenantId, machine.id);
    // Stop the server (its streams end), finish the action while it is down, then start it again.
    const stopped = built!;
    await stopped.app.close();
    built = undefined;
    await run.stderrMatches(/retrying in/);
    // No server publishes this change: the CLI can only learn it from the reconnected stream's first event.
    await stopped.actions.accept(tenantId, action!.id, machine.id);
    await stopped.actions.finish(tenantId, action!.id, machine.id, { status: 'Failed', errorMessage: 'nft missing' });
    await start(port);
    const res = await run.done;
    expect(res.code).toBe(2);
    expect(res.stdout).toContain(`Isolate ${action!.id} on ${machine.computerDnsName}: Failed: nft missing`);
    expect(seen.filter((r) => r.startsWith('GET /api/machineactions'))).toEqual([]);
  });
});
