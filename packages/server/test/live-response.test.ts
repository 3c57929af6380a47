import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';
import { multipart } from './forensics-helpers.js';
import { CommandReports } from '@cordon/core';

const MACHINE_ID = 'a46b9bb259ed4a7fb9981b73510e3cc7aa81ec1f';
let t: TestApp;
let admin: string;

beforeEach(async () => {
  t = await startTestApp();
  admin = await t.token(ALL_ROLES);
  await t.seedMachine({ id: MACHINE_ID, computerDnsName: 'web-01' });
  for (const name of ['tool.bin', 'collect.sh']) {
    const { payload, headers } = await multipart({ File: { name, content: `content of ${name}` } });
    await t.call({ method: 'POST', url: '/api/libraryfiles', payload, headers, token: admin });
  }
});
afterEach(() => t.close());

const cmd = (type: string, params: Record<string, string>) => ({ type, params: Object.entries(params).map(([key, value]) => ({ key, value })) });
const run = (body: unknown, machine = MACHINE_ID, token = admin) => t.call({ method: 'POST', url: `/api/machines/${machine}/runliveresponse`, payload: body as Record<string, unknown>, token });
const valid = {
  Commands: [cmd('PutFile', { FileName: 'tool.bin' }), cmd('RunScript', { ScriptName: 'collect.sh', Args: '-v out' }), cmd('GetFile', { Path: '/var/log/syslog' })],
  Comment: 'Collect evidence',
};

describe('POST /api/machines/{id}/runliveresponse', () => {
  it('should answer 201 with a Pending LiveResponse action whose commands are Created', async () => {
    const res = await run(valid);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ type: 'LiveResponse', status: 'Pending', errorHResult: 0, machineId: MACHINE_ID, requestorComment: 'Collect evidence' });
    expect(body.commands).toEqual([
      { index: 0, startTime: null, endTime: null, commandStatus: 'Created', errors: [], command: valid.Commands[0] },
      { index: 1, startTime: null, endTime: null, commandStatus: 'Created', errors: [], command: valid.Commands[1] },
      { index: 2, startTime: null, endTime: null, commandStatus: 'Created', errors: [], command: valid.Commands[2] },
    ]);
  });

  it('should refuse a second live response on the same device with ActiveRequestAlreadyExists', async () => {
    expect((await run(valid)).statusCode).toBe(201);
    const again = await run(valid);
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' });
  });

  it('should refuse commands out of the documented order, naming the index', async () => {
    const res = await run({ Commands: [cmd('GetFile', { Path: '/etc/hosts' }), cmd('PutFile', { FileName: 'tool.bin' })], Comment: 'c' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'InvalidRequestBody', message: 'Commands[1] (PutFile) is out of order: commands must be ordered PutFile, then RunScript, then GetFile' });
  });

  it('should refuse a missing parameter, naming the index', async () => {
    const res = await run({ Commands: [cmd('RunScript', { Args: 'x' })], Comment: 'c' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'MissingRequiredParameter', message: 'Commands[0] (RunScript): parameter ScriptName is missing' });
  });

  it('should refuse library files the tenant does not have, before anything runs', async () => {
    const res = await run({ Commands: [cmd('PutFile', { FileName: 'nope.bin' }), cmd('RunScript', { ScriptName: 'missing.sh' })], Comment: 'c' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'InvalidRequestBody', message: 'Library files nope.bin, missing.sh not found in the live response library; upload them first' });
  });

  it('should refuse an unknown command type, a wrong-case key and no commands through the body schema', async () => {
    for (const body of [{ Commands: [cmd('RunCommand', { X: 'y' })], Comment: 'c' }, { commands: valid.Commands, Comment: 'c' }, { Commands: [], Comment: 'c' }]) {
      const res = await run(body);
      expect(res.statusCode).toBe(400);
      expect(['InvalidRequestBody', 'MissingRequiredParameter']).toContain(res.json().error.code);
    }
  });

  it('should answer 404 for an unknown machine', async () => {
    const res = await run(valid, 'b'.repeat(40));
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ResourceNotFound');
  });

  it('should allow 25 concurrent sessions per tenant, then answer 429', async () => {
    const machines = [];
    for (let i = 0; i < 26; i++) machines.push((await t.seedMachine()).id);
    const one = { Commands: [cmd('GetFile', { Path: '/etc/hosts' })], Comment: 'c' };
    for (let i = 0; i < 25; i++) {
      if (i % 10 === 9) t.clock.advance(60_000); // stay under the 10 calls/min rate limit
      expect((await run(one, machines[i])).statusCode).toBe(201);
    }
    const over = await run(one, machines[25]);
    expect(over.statusCode).toBe(429);
    expect(over.json().error).toMatchObject({ code: 'TooManyRequests', message: 'The tenant already has 25 live response sessions running, the maximum is 25; retry when one finishes' });
  });

  it('should rate-limit at 10 calls per minute per caller', async () => {
    const token = await t.token(['Machine.LiveResponse']);
    const codes = [];
    for (let i = 0; i < 11; i++) codes.push((await run({ Commands: [], Comment: 'c' }, MACHINE_ID, token)).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 400)).toBe(true);
    expect(codes[10]).toBe(429);
  });

  it('should need Machine.LiveResponse', async () => {
    const res = await run(valid, MACHINE_ID, await t.token(['Machine.Read.All']));
    expect(res.statusCode).toBe(403);
  });
});

describe('live response command status', () => {
  const get = async (id: string) => (await t.call({ method: 'GET', url: `/api/machineactions/${id}`, token: admin })).json();
  const statuses = async (id: string) => (await get(id)).commands.map((c: { commandStatus: string }) => c.commandStatus);
  const report = (reports: CommandReports, id: string, commandIndex: number, commandStatus: string, endTime: string | null = null) =>
    reports.progress(t.tenantId, id, MACHINE_ID, { commandIndex, commandStatus, startTime: '2026-11-21T10:00:00Z', endTime, errors: [], result: null } as never);

  it('should move each command Created -> InProgress -> Completed as the agent reports, and Cancel the unfinished ones', async () => {
    const id = (await run(valid)).json().id as string;
    await t.actions.accept(t.tenantId, id, MACHINE_ID);
    const reports = new CommandReports(t.actions);
    await report(reports, id, 0, 'InProgress');
    expect(await statuses(id)).toEqual(['InProgress', 'Created', 'Created']);
    await report(reports, id, 0, 'Completed', '2026-11-21T10:00:01Z');
    await report(reports, id, 1, 'InProgress');
    expect(await statuses(id)).toEqual(['Completed', 'InProgress', 'Created']);
    const cancel = await t.call({ method: 'POST', url: `/api/machineactions/${id}/cancel`, payload: { Comment: 'stop' }, token: admin });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().commands.map((c: { commandStatus: string }) => c.commandStatus)).toEqual(['Completed', 'Cancelled', 'Cancelled']);
    const after = await get(id);
    expect(after.status).toBe('Cancelled');
    expect(after.commands[1]).toMatchObject({ commandStatus: 'Cancelled', startTime: '2026-11-21T10:00:00.0000000Z', endTime: after.cancellationDateTimeUtc });
    expect(after.commands[2]).toMatchObject({ commandStatus: 'Cancelled', startTime: null, endTime: null });
    // The agent's late report of the killed command changes nothing.
    await expect(report(reports, id, 1, 'Failed', '2026-11-21T10:00:05Z')).rejects.toMatchObject({ code: 'ActionAlreadyCompleted' });
    expect(await statuses(id)).toEqual(['Completed', 'Cancelled', 'Cancelled']);
  });

  it('should end a failed command Failed and leave the commands after it Created (not run)', async () => {
    const id = (await run(valid)).json().id as string;
    await t.actions.accept(t.tenantId, id, MACHINE_ID);
    const reports = new CommandReports(t.actions);
    await report(reports, id, 0, 'InProgress');
    await report(reports, id, 0, 'Failed', '2026-11-21T10:00:01Z');
    expect(await statuses(id)).toEqual(['Failed', 'Created', 'Created']);
  });

  it('should cancel every command of a Pending live response', async () => {
    const id = (await run(valid)).json().id as string;
    const cancel = await t.call({ method: 'POST', url: `/api/machineactions/${id}/cancel`, payload: { Comment: 'never mind' }, token: admin });
    expect(cancel.json().commands.map((c: { commandStatus: string }) => c.commandStatus)).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
  });
});
