/**
 * Conflicting actions back to back with the real executors: restrict -> unrestrict and isolate ->
 * unisolate sent at once end with the device in the state the last action asked for. Everything
 * happens in a private mount and network namespace (unshare -m -n), so the host is never touched.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, skipReason, tsNode } from './helpers.js';

const skip = skipReason('ordering (fanotify + nft in private namespaces)', ['unshare', 'cc', 'mount', 'nft', 'ip']);
const SCENARIO = fileURLToPath(new URL('./ordering-scenario.ts', import.meta.url));

describe.skipIf(skip)('conflicting actions back to back on a real device', () => {
  let work: string;
  let obs: Record<string, any>;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cordon-order-priv-'));
    const r = run(['unshare', '-m', '-n', '--propagation', 'private', ...tsNode(SCENARIO, work)]);
    obs = JSON.parse(r.stdout.trim().split('\n').pop()!);
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('should run restrict then unrestrict one after the other and leave the device unrestricted', () => {
    expect(obs.before).toBe('exit 0');
    expect(obs.restrictThenUnrestrict).toEqual({ restrict: 'Succeeded', unrestrict: 'Succeeded', untrusted: 'exit 0', stateLeft: false });
  });

  it('should run isolate then unisolate one after the other and leave the device released', () => {
    expect(obs.isolateThenUnisolate).toEqual({ isolate: 'Succeeded', unisolate: 'Succeeded', isolated: false });
  });

  it('should refuse an older restriction arriving after a later unrestriction ran, leaving the device unrestricted', () => {
    expect(obs.overtaken).toEqual({ unrestrict: 'Succeeded', restrict: 'Superseded', untrusted: 'exit 0' });
  });
});
