/**
 * RestrictCodeExecution for real: fanotify marks on a tmpfs and a private bind of /usr/bin inside
 * a private mount namespace (unshare -m --propagation private), so the host is never restricted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, skipReason, tsNode } from './helpers.js';

const skip = skipReason('restriction (fanotify in a mount namespace)', ['unshare', 'cc', 'mount']);
const SCENARIO = fileURLToPath(new URL('./restrict-scenario.ts', import.meta.url));

describe.skipIf(skip)('code execution restriction in a private mount namespace', () => {
  let work: string;
  let obs: Record<string, any>;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cordon-rce-priv-'));
    const r = run(['unshare', '-m', '--propagation', 'private', ...tsNode(SCENARIO, work)]);
    obs = JSON.parse(r.stdout.trim().split('\n').pop()!);
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('should let everything run before restriction', () => {
    expect(obs.before).toBe('exit 0');
    expect(obs.restrict.status).toBe('Succeeded');
  });

  it('should deny an untrusted binary with a permission error and keep trusted ones running', () => {
    expect(obs.restricted).toEqual({ untrusted: 'EPERM', byPath: 'exit 0', byHash: 'exit 0', packageOwned: 'exit 0' });
  });

  it('should re-apply the restriction from a fresh agent process after the guard died', () => {
    expect(obs.guardDead).toBe('exit 0'); // a dead guard allows (never wedges the device)...
    expect(JSON.parse(obs.restoreInFreshAgent)).toEqual({ restored: true });
    expect(obs.afterRestore).toEqual({ untrusted: 'EPERM', packageOwned: 'exit 0' }); // ...and restore closes it again
  });

  it('should run the untrusted binary again after removal and leave no state', () => {
    expect(obs.unrestrict).toEqual({ status: 'Succeeded', output: { wasRestricted: true } });
    expect(obs.afterUnrestrict).toEqual({ untrusted: 'exit 0', byPath: 'exit 0' });
    expect(obs.stateLeft).toBe(false);
  });
});
