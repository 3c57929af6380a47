/**
 * `cordon alerts list|show|update` and `cordon investigations list|show|approve|reject` against a
 * fake API server: the requests they send, flags refused before any request, the confirmation of
 * approve on a terminal, and what they print.
 */
import { describe, expect, vi } from 'vitest';
import { it, type Ctx } from './cli-fixture.js';
import { replay, runInTerminal } from './terminal.js';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

const ALERT_ID = 'da637292082891366787_1236758045';
const MACHINE = { id: 'f00dbabe00000000000000000000000000000001', computerDnsName: 'web01.contoso.local' };

function wireAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ALERT_ID, incidentId: null, investigationId: 63004, assignedTo: null, severity: 'High', status: 'New', classification: null, determination: null,
    investigationState: 'PendingApproval', detectionSource: 'AutomatedInvestigation', detectorId: null, category: 'Execution', threatFamilyName: null,
    title: 'Process running from a temporary directory', description: 'A process runs /tmp/.x/miner.', alertCreationTime: '2026-11-22T10:00:00.0000000Z',
    firstEventTime: '2026-11-22T10:00:00.0000000Z', lastEventTime: '2026-11-22T10:00:00.0000000Z', lastUpdateTime: '2026-11-22T10:00:00.0000000Z', resolvedTime: null,
    machineId: MACHINE.id, computerDnsName: MACHINE.computerDnsName, rbacGroupName: null, aadTenantId: 't1', threatName: 'Cordon.Investigation.process-running-from-temp',
    mitreTechniques: ['T1059'], relatedUser: null, loggedOnUsers: [],
    comments: [{ comment: 'looking into it', createdBy: 'alice', createdTime: '2026-11-22T10:05:00.0000000Z' }],
    evidence: [{ entityType: 'File', evidenceCreationTime: '2026-11-22T10:00:00.0000000Z', sha1: 'f'.repeat(40), sha256: 'e'.repeat(64), fileName: 'miner', filePath: '/tmp/.x', fileSize: 1234, detectionName: 'Cordon.Investigation.process-running-from-temp', detectionStatus: 'Detected' }],
    actionId: null,
    ...overrides,
  };
}

function wireInvestigation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '63004', startTime: '2026-11-22T10:00:00.0000000Z', endTime: '2026-11-22T10:02:00.0000000Z', state: 'PendingApproval', cancelledBy: null,
    statusDetails: "1 finding(s); the tenant's remediation level (None) leaves remediation to an analyst.", machineId: MACHINE.id, computerDnsName: MACHINE.computerDnsName,
    triggeringAlertId: null, packageActionId: 'p1', scanActionId: 's1', remediationActionIds: [], alertIds: [ALERT_ID],
    findings: [{
      ruleId: 'process-running-from-temp', title: 'Process running from a temporary directory', severity: 'High', category: 'Execution', description: 'A process runs /tmp/.x/miner.',
      evidence: { packageBlobId: 'b', packagePath: 'Processes/Processes.csv', filePath: '/tmp/.x/miner', processId: 4242, commandLine: '/tmp/.x/miner -o pool', accountName: 'www-data', sha256: 'e'.repeat(64), sha1: 'f'.repeat(40), detail: null },
      alertId: ALERT_ID, remediationActionId: null,
    }],
    decision: null, decidedBy: null, decisionTime: null, decisionComment: null,
    ...overrides,
  };
}

const calls = (ctx: Ctx) => ctx.api().map((r) => `${r.method} ${decodeURIComponent(r.url.replace(/\+/g, " "))}`);

describe.concurrent('cordon alerts', () => {
  it('list should combine --machine, --status, --severity and --filter into one $filter and print a table', async ({ ctx }) => {
    ctx.handler = (req) => (req.url.startsWith('/api/machines/') ? { body: MACHINE } : { body: { value: [wireAlert()] } });
    const res = await ctx.cli.run(['alerts', 'list', '--machine', 'web01', '--status', 'New', '--severity', 'High', '--filter', "category eq 'Execution'"], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(calls(ctx)).toEqual(['GET /api/machines/web01', `GET /api/alerts?$filter=(category eq 'Execution') and machineId eq '${MACHINE.id}' and status eq 'New' and severity eq 'High'`]);
    expect(res.stdout.split('\n')[0]).toMatch(/^ID +SEVERITY +STATUS +MACHINE +CREATED \(UTC\) +TITLE$/);
    expect(res.stdout).toContain(`${ALERT_ID}  High      New     web01.contoso.local  2026-11-22 10:00:00  Process running from a temporary directory`);
  });

  it('list should refuse a status the API does not have before any request', async ({ ctx }) => {
    const res = await ctx.cli.run(['alerts', 'list', '--status', 'Open'], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("argument 'Open' is invalid");
    expect(ctx.api()).toEqual([]);
  });

  it('show should print every field, the evidence and the comments', async ({ ctx }) => {
    ctx.handler = () => ({ body: wireAlert() });
    const res = await ctx.cli.run(['alerts', 'show', ALERT_ID], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(calls(ctx)).toEqual([`GET /api/alerts/${ALERT_ID}`]);
    for (const line of [
      `id:             ${ALERT_ID}`,
      'investigation:  63004 (PendingApproval)',
      'mitre:          T1059',
      'evidence (1):',
      '  File /tmp/.x/miner  Cordon.Investigation.process-running-from-temp  Detected',
      `    sha1    ${'f'.repeat(40)}`,
      '    size    1234 bytes',
      'comments (1):',
      '  2026-11-22 10:05:00  alice: looking into it',
    ]) expect(res.stdout).toContain(line);
  });

  it('update should send the camelCase PATCH body of the flags given and print the result', async ({ ctx }) => {
    ctx.handler = () => ({ body: wireAlert({ status: 'Resolved', assignedTo: 'secop2@contoso.com', classification: 'FalsePositive', determination: 'NotMalicious' }) });
    const res = await ctx.cli.run(['alerts', 'update', ALERT_ID, '--status', 'Resolved', '--assign-to', 'secop2@contoso.com', '--classification', 'FalsePositive', '--determination', 'NotMalicious', '--comment', 'benign'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(calls(ctx)).toEqual([`PATCH /api/alerts/${ALERT_ID}`]);
    expect(ctx.body(0)).toEqual({ status: 'Resolved', assignedTo: 'secop2@contoso.com', classification: 'FalsePositive', determination: 'NotMalicious', comment: 'benign' });
    expect(res.stdout).toBe(`${ALERT_ID}: Resolved, assigned to secop2@contoso.com, FalsePositive (NotMalicious); 1 comment(s)\n`);
  });

  it('update --dry-run should print the request and send nothing', async ({ ctx }) => {
    const res = await ctx.cli.run(['alerts', 'update', ALERT_ID, '--comment', 'looking', '--assign-to', '', '--dry-run', '--json'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(res.stdout)).toEqual({ method: 'PATCH', url: `${ctx.server.url}/api/alerts/${ALERT_ID}`, body: { assignedTo: '', comment: 'looking' } });
    expect(ctx.server.requests).toEqual([]);
  });

  it.for([
    [[], 'pass at least one of --status, --assign-to, --classification, --determination, --comment'],
    [['--status', 'Closed'], "argument 'Closed' is invalid"],
    [['--classification', 'Unknown'], "argument 'Unknown' is invalid"],
    [['--determination', 'Apt'], "argument 'Apt' is invalid"],
    [['--comment', ' '], '--comment must not be empty'],
  ] as const)('update %j should be refused before any request', async ([flags, message], { ctx }) => {
    const res = await ctx.cli.run(['alerts', 'update', ALERT_ID, ...flags], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(message);
    expect(ctx.server.requests).toEqual([]);
  });

  it.for([['list'], ['show'], ['update']])('alerts %s --help should show examples', async ([sub], { ctx }) => {
    const res = await ctx.cli.run(['alerts', sub!, '--help'], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/\nExamples:\n {2}# .+\n {2}cordon alerts /);
  });
});

describe.concurrent('cordon investigations', () => {
  const inTerminal = (ctx: Ctx, args: string[], input: string) => {
    const { argv, env } = ctx.cli.command(args, ctx.creds());
    return runInTerminal(argv, env, 160, ctx.cli.dir, input);
  };
  const serve = (ctx: Ctx) => {
    ctx.handler = (req) => (req.method === 'GET' ? { body: wireInvestigation() } : { body: wireInvestigation({ state: 'Running', endTime: null, remediationActionIds: ['a1'], decision: 'Approved', decidedBy: 'cli' }) });
  };

  it('list --machine should filter on the machine id and print a table', async ({ ctx }) => {
    ctx.handler = (req) => (req.url.startsWith('/api/machines/') ? { body: MACHINE } : { body: { value: [wireInvestigation()] } });
    const res = await ctx.cli.run(['investigations', 'list', '--machine', 'web01', '-o', 'wide'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(calls(ctx)).toEqual(['GET /api/machines/web01', `GET /api/investigations?$filter=machineId eq '${MACHINE.id}'`]);
    expect(res.stdout).toMatch(/^ID +STATE +MACHINE +STARTED \(UTC\) +ENDED \(UTC\) +FINDINGS +DECISION +DECIDED BY +DETAILS\n63004 +PendingApproval +web01\.contoso\.local +2026-11-22 10:00:00 +2026-11-22 10:02:00 +1 /);
  });

  it('show should print the findings with their evidence', async ({ ctx }) => {
    ctx.handler = () => ({ body: wireInvestigation() });
    const res = await ctx.cli.run(['investigations', 'show', '63004'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    for (const line of ['state:          PendingApproval', 'findings (1):', '  [High] Process running from a temporary directory (process-running-from-temp)', '    file        /tmp/.x/miner', `    sha1        ${'f'.repeat(40)}`]) {
      expect(res.stdout).toContain(line);
    }
  });

  it('approve on a terminal should show the files, ask, and send nothing when declined', async ({ ctx }) => {
    serve(ctx);
    const { code, drawn } = await inTerminal(ctx, ['investigations', 'approve', '63004', '--comment', 'miner'], 'n\n');
    const screen = replay(drawn, 160).rows.join('\n');
    expect(screen).toContain(`approve will stop and quarantine 1 file(s) on web01.contoso.local (id ${MACHINE.id}) for investigation 63004 (PendingApproval):`);
    expect(screen).toContain(`${'f'.repeat(40)}  /tmp/.x/miner  Process running from a temporary directory`);
    expect(screen).toContain('cordon: not confirmed; nothing was sent');
    expect(code).toBe(1);
    expect(calls(ctx)).toEqual(['GET /api/investigations/63004']);
  });

  it('approve on a terminal should send the approval when the answer is y', async ({ ctx }) => {
    serve(ctx);
    const { code } = await inTerminal(ctx, ['investigations', 'approve', '63004', '--comment', 'miner'], 'y\n');
    expect(code).toBe(0);
    expect(calls(ctx)).toEqual(['GET /api/investigations/63004', 'POST /api/investigations/63004/approve']);
    expect(ctx.body(1)).toEqual({ Comment: 'miner' });
  });

  it('approve should not ask with --yes, nor when stdin is not a terminal', async ({ ctx }) => {
    serve(ctx);
    const { code, drawn } = await inTerminal(ctx, ['investigations', 'approve', '63004', '--comment', 'miner', '--yes'], '');
    expect(drawn).not.toContain('Proceed?');
    expect(code).toBe(0);
    const piped = await ctx.cli.run(['investigations', 'approve', '63004', '--comment', 'miner'], ctx.creds());
    expect(piped).toMatchObject({ code: 0, stderr: '', stdout: 'investigation 63004: Running; remediating with a1\n' });
    expect(calls(ctx)).toEqual(['POST /api/investigations/63004/approve', 'POST /api/investigations/63004/approve']);
  });

  it('reject should send the comment and print the final state; a server refusal exits 1 with its code', async ({ ctx }) => {
    ctx.handler = () => ({ body: wireInvestigation({ state: 'TerminatedByUser', decision: 'Rejected' }) });
    const res = await ctx.cli.run(['investigations', 'reject', '63004', '--comment', 'expected admin tool'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '', stdout: 'investigation 63004: TerminatedByUser\n' });
    expect(ctx.body(0)).toEqual({ Comment: 'expected admin tool' });
    ctx.handler = () => ({ status: 400, body: { error: { code: 'InvalidRequest', message: 'Investigation 63004 is TerminatedByUser; only a PendingApproval investigation can be rejected', target: 'r1' } } });
    const again = await ctx.cli.run(['investigations', 'reject', '63004', '--comment', 'again'], ctx.creds());
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('cordon: InvalidRequest: Investigation 63004 is TerminatedByUser; only a PendingApproval investigation can be rejected (request r1)\n');
  });

  it.for([['approve'], ['reject']])('%s without --comment should be refused before any request', async ([verb], { ctx }) => {
    for (const args of [['investigations', verb!, '63004'], ['investigations', verb!, '63004', '--comment', '']]) {
      const res = await ctx.cli.run(args, ctx.creds());
      expect(res.code, args.join(' ')).toBe(1);
    }
    expect(ctx.server.requests).toEqual([]);
  });

  it.for([['list'], ['show'], ['approve'], ['reject']])('investigations %s --help should show examples', async ([sub], { ctx }) => {
    const res = await ctx.cli.run(['investigations', sub!, '--help'], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/\nExamples:\n {2}# .+\n {2}cordon investigations /);
  });
});
