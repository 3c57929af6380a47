import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddressInfo } from 'node:net';
import { openStore, type Store } from '@cordon/store';
import { makeMachine } from '@cordon/store/testing';
import { buildApp, loadConfig, randomIds, systemClock, createApplication, createUser, userStoreOf, type CordonApp } from '@cordon/server';
import { join } from 'node:path';
import { stat, writeFile } from 'node:fs/promises';
import { toMdeTimestamp } from '@cordon/protocol';
import { cliSandbox, type CliSandbox } from './cli-harness.js';
import { MACHINE_LIST_EXAMPLES } from '../src/commands/machines.js';
import { ACTION_LIST_EXAMPLES } from '../src/commands/actions.js';
import { ALERT_LIST_EXAMPLES } from '../src/commands/alerts.js';
import { INVESTIGATION_LIST_EXAMPLES } from '../src/commands/investigations.js';
import { formatExamples } from '../src/commands/list-options.js';

// Each step spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** The CLI against the real server in-process (no agent, so actions stay Pending until cancelled). */
describe('cordon CLI against a real server', () => {
  let store: Store;
  let built: CordonApp;
  let cli: CliSandbox;
  let env: Record<string, string>;
  let machineId: string;
  let machineName: string;
  let tenantId: string;
  let url: string;
  let responderEnv: Record<string, string>;

  beforeAll(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    built = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test' }), store });
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}`;
    tenantId = randomIds.uuid();
    await store.identity.createTenant({ id: tenantId, name: 'cli', createdAt: toMdeTimestamp(systemClock.now()) });
    // Alert.Read.All: the alerts and investigations list examples are run too.
    const roles = ['Machine.Read.All', 'Machine.Isolate', 'Alert.Read.All'];
    await createUser(userStoreOf(store), { tenantId, name: 'alice', password: 'correct horse', roles: ['Active remediation actions'] }, { clock: systemClock, ids: randomIds });
    const created = await createApplication(store.identity, { tenantId, name: 'cli-tests', roles }, { clock: systemClock, ids: randomIds });
    const responder = await createApplication(
      store.identity,
      { tenantId, name: 'cli-responder', roles: ['Machine.Read.All', 'Library.Manage', 'Machine.LiveResponse'] },
      { clock: systemClock, ids: randomIds },
    );
    // Env overrides the saved profile field by field: same server and tenant, another application.
    responderEnv = { CORDON_CLIENT_ID: responder.clientId, CORDON_CLIENT_SECRET: responder.clientSecret };
    const machine = makeMachine({ tenantId });
    await store.machines.upsert(machine);
    machineId = machine.id;
    machineName = machine.computerDnsName;
    // The machine the `actions list --help` examples name.
    await store.machines.upsert(makeMachine({ tenantId, computerDnsName: 'web01.contoso.local' }));
    cli = await cliSandbox();
    const login = await cli.run(['login', '--server', url, '--tenant', tenantId, '--client-id', created.clientId, '--client-secret', created.clientSecret]);
    expect(login).toMatchObject({ code: 0, stderr: '' });
    env = {};
  });
  afterAll(async () => {
    await cli?.cleanup();
    await built?.app.close();
    await store?.close();
  });

  it('should isolate (Pending), get the action, cancel it, and refuse a second cancel', async () => {
    const isolate = await cli.run(['isolate', machineId, '--comment', 'contain host', '--json'], env);
    expect(isolate.stderr).toBe('');
    expect(isolate.code).toBe(0);
    const created = JSON.parse(isolate.stdout);
    expect(created).toMatchObject({ type: 'Isolate', status: 'Pending', machineId, requestor: 'cli-tests', requestorComment: 'contain host', scope: 'Full' });

    const got = await cli.run(['actions', 'get', created.id, '--json'], env);
    expect(JSON.parse(got.stdout)).toMatchObject({ id: created.id, status: 'Pending' });

    const listed = await cli.run(['actions', 'list', '--machine', machineId, '--status', 'Pending', '--json'], env);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((a) => a.id)).toEqual([created.id]);

    const cancelled = await cli.run(['actions', 'cancel', created.id, '--comment', 'false alarm', '--json'], env);
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id: created.id, status: 'Cancelled', cancellationComment: 'false alarm', cancellationRequestor: 'cli-tests' });

    const watch = await cli.run(['actions', 'watch', created.id], env);
    expect(watch.code).toBe(4);

    const again = await cli.run(['actions', 'cancel', created.id, '--comment', 'again'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^cordon: ActionAlreadyCompleted: .+ \(request \S+\)\n$/);
  });

  it('should list the actions of a machine given by its computer name, in any case', async () => {
    const created = JSON.parse((await cli.run(['isolate', machineId, '--comment', 'contain', '--json'], env)).stdout) as { id: string };
    for (const name of [machineName, machineName.toUpperCase()]) {
      const listed = await cli.run(['actions', 'list', '--machine', name, '--status', 'Pending', '--json'], env);
      expect(listed.stderr).toBe('');
      expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((a) => a.id)).toEqual([created.id]);
    }
    const unknown = await cli.run(['actions', 'list', '--machine', 'no-such-host'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^cordon: ResourceNotFound: /);
    expect((await cli.run(['actions', 'cancel', created.id, '--comment', 'done'], env)).code).toBe(0);
  });

  it.for([
    ['machines', MACHINE_LIST_EXAMPLES],
    ['actions', ACTION_LIST_EXAMPLES],
    ['alerts', ALERT_LIST_EXAMPLES],
    ['investigations', INVESTIGATION_LIST_EXAMPLES],
  ] as const)('%s list --help should show examples that the server accepts', async ([noun, examples]) => {
    const help = await cli.run([noun, 'list', '--help'], env);
    expect(help.stdout).toContain(formatExamples(examples));
    for (const example of examples) {
      const res = await cli.run(example.args, env);
      expect({ args: example.args, code: res.code, stderr: res.stderr }).toEqual({ args: example.args, code: 0, stderr: '' });
    }
  });

  it('should refuse to isolate by a name two live machines share, print both candidates, and create no action', async () => {
    const name = 'twin.contoso.local';
    const twins = [makeMachine({ tenantId, computerDnsName: name }), makeMachine({ tenantId, computerDnsName: name })];
    for (const m of twins) await store.machines.upsert(m);
    const res = await cli.run(['isolate', name, '--comment', 'contain host'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^cordon: BadRequest: Machine ${name.replaceAll('.', '\\.')} is ambiguous: it matches 2 machines; use a machine id: .+ \\(request \\S+\\)\n$`));
    for (const m of twins) expect(res.stderr).toContain(`${m.id} (${name}, last seen ${m.lastSeen})`);
    const created = await store.db.selectFrom('machine_actions').select('id').where('machine_id', 'in', twins.map((m) => m.id)).execute();
    expect(created).toEqual([]);
  });

  it('should print a permission error from the server as code and message', async () => {
    const res = await cli.run(['offboard', machineId, '--comment', 'x'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^cordon: Forbidden: The application does not have any of the required application permissions \(Machine\.Offboard\) to access the resource\. \(request \S+\)\n$/);
  });

  it('should sign a person in with --user, keep the session in a 0600 profile, and act as that person', async () => {
    const userEnv = { CORDON_PROFILE: join(cli.dir, 'alice.json') };
    const login = await cli.run(['login', '--server', url, '--user', 'alice', '--password', 'correct horse'], userEnv);
    expect(login).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toMatch(/as user alice;/);
    expect((await stat(userEnv.CORDON_PROFILE)).mode & 0o777).toBe(0o600);

    const isolate = await cli.run(['isolate', machineId, '--comment', 'by hand', '--type', 'Selective', '--json'], userEnv);
    expect(isolate.stderr).toBe('');
    expect(JSON.parse(isolate.stdout)).toMatchObject({ type: 'Isolate', status: 'Pending', requestor: 'alice', scope: 'Selective' });
    const cancel = await cli.run(['actions', 'cancel', JSON.parse(isolate.stdout).id, '--comment', 'undo'], userEnv);
    expect(cancel.code).toBe(0);
  });

  it('should refuse a wrong password with the server error and save no profile', async () => {
    const userEnv = { CORDON_PROFILE: join(cli.dir, 'mallory.json') };
    const res = await cli.run(['login', '--server', url, '--user', 'alice', '--password', 'wrong password'], userEnv);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^cordon: Unauthorized: Wrong user name or password \(request \S+\)\n$/);
    await expect(stat(userEnv.CORDON_PROFILE)).rejects.toThrow(/ENOENT/);
  });

  it('should upload, list and delete library files, and start a live response with a library script', async () => {
    await writeFile(join(cli.dir, 'probe.sh'), '#!/bin/sh\necho probe\n');
    const up = await cli.run(['library', 'upload', 'probe.sh', '--description', 'says probe', '--json'], responderEnv);
    expect(up.stderr).toBe('');
    expect(JSON.parse(up.stdout)).toMatchObject({ fileName: 'probe.sh', description: 'says probe', createdBy: 'cli-responder' });

    const list = await cli.run(['library', 'list', '--json'], responderEnv);
    expect((JSON.parse(list.stdout) as Array<{ fileName: string }>).map((f) => f.fileName)).toEqual(['probe.sh']);

    const live = await cli.run(['live', 'run', machineId, '--comment', 'triage', '--script', 'probe.sh', '--get', '/etc/hostname', '--json'], responderEnv);
    expect(live.stderr).toBe('');
    const action = JSON.parse(live.stdout);
    expect(action).toMatchObject({ type: 'LiveResponse', status: 'Pending', requestor: 'cli-responder' });
    expect(action.commands.map((c: { command: { type: string } }) => c.command.type)).toEqual(['RunScript', 'GetFile']);

    const link = await cli.run(['package', 'download', action.id, '-o', 'x.zip'], responderEnv);
    expect(link.code).toBe(1);
    expect(link.stderr).toMatch(/^cordon: ResourceNotFound: .+ \(request \S+\)\n$/);

    expect((await cli.run(['library', 'delete', 'probe.sh'], responderEnv)).stdout).toBe('deleted probe.sh\n');
    const gone = await cli.run(['library', 'delete', 'probe.sh'], responderEnv);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^cordon: ResourceNotFound: /);
  });
});
