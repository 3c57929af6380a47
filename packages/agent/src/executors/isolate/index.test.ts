import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { unisolateExecutor } from '../unisolate/index.js';
import { createIsolateExecutor } from './index.js';
import { refreshIsolation, stopIsolationKeeper } from './isolation.js';

const EXPECTED_FULL = `table inet cordon_isolation
delete table inet cordon_isolation
table inet cordon_isolation {
\tset server4 {
\t\ttype ipv4_addr . inet_service
\t\telements = { 10.0.0.5 . 443, 10.0.0.6 . 443 }
\t}
\tset server6 {
\t\ttype ipv6_addr . inet_service
\t\telements = { fd00::5 . 443 }
\t}
\tset dns4 {
\t\ttype ipv4_addr
\t\telements = { 10.255.255.53 }
\t}
\tset dns6 {
\t\ttype ipv6_addr
\t}
\tset except4 {
\t\ttype ipv4_addr . inet_service
\t}
\tset except6 {
\t\ttype ipv6_addr . inet_service
\t}
\tset exceptnet4 {
\t\ttype ipv4_addr
\t\tflags interval
\t}
\tset exceptnet6 {
\t\ttype ipv6_addr
\t\tflags interval
\t}
\tchain input {
\t\ttype filter hook input priority -10; policy drop;
\t\tiif "lo" accept
\t\tip saddr . tcp sport @server4 ct state established,related accept
\t\tip6 saddr . tcp sport @server6 ct state established,related accept
\t\tip saddr @dns4 meta l4proto { tcp, udp } th sport 53 ct state established accept
\t\tip6 saddr @dns6 meta l4proto { tcp, udp } th sport 53 ct state established accept
\t\tudp sport 67 udp dport 68 accept
\t\tudp sport 547 udp dport 546 accept
\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, nd-redirect } accept
\t}
\tchain output {
\t\ttype filter hook output priority -10; policy drop;
\t\toif "lo" accept
\t\tip daddr . tcp dport @server4 accept
\t\tip6 daddr . tcp dport @server6 accept
\t\tip daddr @dns4 meta l4proto { tcp, udp } th dport 53 accept
\t\tip6 daddr @dns6 meta l4proto { tcp, udp } th dport 53 accept
\t\tudp sport 68 udp dport 67 accept
\t\tudp sport 546 udp dport 547 accept
\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept
\t}
\tchain forward {
\t\ttype filter hook forward priority -10; policy drop;
\t}
}
`;

describe('Isolate / Unisolate executors', () => {
  const isolate = createIsolateExecutor({ refreshIntervalMs: 0 });
  let dir: string;
  let p: FakePlatform;
  const ctx = (settings = {}) =>
    makeTestContext(p, { stateDir: dir, settings, serverUrls: () => ['https://cordon.example'] });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-iso-'));
    p = createFakePlatform();
    p.state.dns['cordon.example'] = ['10.0.0.6', '10.0.0.5', 'fd00::5'];
    p.state.resolvers = ['10.255.255.53'];
  });
  afterEach(async () => {
    stopIsolationKeeper();
    await rm(dir, { recursive: true, force: true });
  });

  it('should refuse unknown or unmanaged isolation types before anything is touched', () => {
    expect(isolate.validate({ IsolationType: 'Partial' })).toBe('IsolationType must be one of Full, Selective, UnManagedDevice');
    expect(isolate.validate({ IsolationType: 'UnManagedDevice' })).toMatch(/not supported/);
    expect(isolate.validate(null)).toBe('Parameters must be an object');
    expect(isolate.validate({ IsolationType: 'Selective' })).toBeUndefined();
    expect(isolate.validate({})).toBeUndefined();
  });

  it('should apply the exact Full ruleset, persist the state 0600 and notify users', async () => {
    const r = await isolate.run({ IsolationType: 'Full' }, ctx());
    expect(r.status).toBe('Succeeded');
    expect(p.calls.nft).toEqual([EXPECTED_FULL]);
    const st = JSON.parse(await readFile(join(dir, 'isolation.json'), 'utf8'));
    expect(st).toMatchObject({ isolated: true, type: 'Full', appliedAt: 1_700_000_000_000 });
    expect((await stat(join(dir, 'isolation.json'))).mode & 0o777).toBe(0o600);
    expect(p.calls.notify.map((n) => n.title)).toEqual(['This device has been isolated']);
    expect(p.calls.probes).toEqual([{ host: '10.0.0.6', port: 443 }, { host: '10.0.0.6', port: 443 }]);
  });

  it('should add the tenant exceptions for Selective isolation', async () => {
    p.state.dns['updates.example'] = ['192.0.2.7'];
    const r = await isolate.run({ IsolationType: 'Selective' }, ctx({ isolationExceptions: ['10.20.0.0/16', 'updates.example:8443', '2001:db8::/32'] }));
    expect(r.status).toBe('Succeeded');
    const script = p.calls.nft[0];
    expect(script).toContain('\tset except4 {\n\t\ttype ipv4_addr . inet_service\n\t\telements = { 192.0.2.7 . 8443 }\n\t}');
    expect(script).toContain('\tset exceptnet4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.20.0.0/16 }\n\t}');
    expect(script).toContain('\tset exceptnet6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n\t\telements = { 2001:db8::/32 }\n\t}');
    expect(script).toContain('\t\tip daddr @exceptnet4 accept\n');
    expect(script).toContain('\t\tmeta l4proto { tcp, udp } ip daddr . th dport @except4 accept\n');
  });

  it('should refuse when no server URL is known or it does not resolve, touching nothing', async () => {
    const r1 = await isolate.run({}, makeTestContext(p, { stateDir: dir, serverUrls: () => [] }));
    expect(r1).toMatchObject({ status: 'Failed', error: { code: 'IsolationRefused' } });
    const r2 = await isolate.run({}, makeTestContext(p, { stateDir: dir, serverUrls: () => ['https://nowhere.example'] }));
    expect(r2).toMatchObject({ status: 'Failed', error: { code: 'IsolationRefused', message: expect.stringMatching(/cut the device off/) } });
    const r3 = await isolate.run({ IsolationType: 'Selective' }, ctx({ isolationExceptions: ['10.0.0.0/99'] }));
    expect(r3).toMatchObject({ status: 'Failed', error: { message: 'Malformed isolation exception "10.0.0.0/99" (expected a CIDR or host:port)' } });
    expect(p.calls.nft).toEqual([]);
    expect(await readFile(join(dir, 'isolation.json'), 'utf8').catch(() => 'absent')).toBe('absent');
  });

  it('should fail with the nft error and leave no state when nft rejects the ruleset', async () => {
    p.state.nftResults.push({ ok: false, stderr: 'Error: Could not process rule: Operation not supported' });
    const r = await isolate.run({}, ctx());
    expect(r).toEqual({ status: 'Failed', error: { code: 'IsolationFailed', message: 'nft: Error: Could not process rule: Operation not supported' } });
    expect(await readFile(join(dir, 'isolation.json'), 'utf8').catch(() => 'absent')).toBe('absent');
    expect(p.calls.notify).toEqual([]);
  });

  it('should roll back when the server was reachable before and not after', async () => {
    p.state.reachable.push(true, false);
    const r = await isolate.run({}, ctx());
    expect(r).toMatchObject({ status: 'Failed', error: { code: 'IsolationFailed' } });
    expect(p.calls.nft[1]).toBe('table inet cordon_isolation\ndelete table inet cordon_isolation\n');
    expect(await readFile(join(dir, 'isolation.json'), 'utf8').catch(() => 'absent')).toBe('absent');
  });

  it('should re-apply on restore after a restart, with the last addresses when DNS is down', async () => {
    await isolate.run({}, ctx());
    const fresh = createFakePlatform(); // a new agent process: nothing resolves yet
    p = fresh;
    await isolate.restore!(ctx());
    expect(fresh.calls.nft).toEqual([EXPECTED_FULL]);
  });

  it('should do nothing on restore when not isolated', async () => {
    await isolate.restore!(ctx());
    expect(p.calls.nft).toEqual([]);
  });

  it('should update the server sets in place when the name resolves elsewhere', async () => {
    await isolate.run({}, ctx());
    p.state.dns['cordon.example'] = ['10.0.0.9'];
    expect(await refreshIsolation(ctx())).toBe('updated');
    expect(p.calls.nft[1]).toBe(
      [
        'flush set inet cordon_isolation server4',
        'add element inet cordon_isolation server4 { 10.0.0.9 . 443 }',
        'flush set inet cordon_isolation server6',
        'flush set inet cordon_isolation dns4',
        'add element inet cordon_isolation dns4 { 10.255.255.53 }',
        'flush set inet cordon_isolation dns6',
        'flush set inet cordon_isolation except4',
        'flush set inet cordon_isolation except6',
        '',
      ].join('\n'),
    );
    expect(await refreshIsolation(ctx())).toBe('unchanged');
  });

  it('should keep every server URL reachable, each on its own port, and add ones advertised later', async () => {
    let urls = ['https://cordon.example:8443', 'http://[fd00::7]', 'https://10.0.0.8'];
    const c = () => makeTestContext(p, { stateDir: dir, serverUrls: () => urls });
    expect(await isolate.run({}, c())).toMatchObject({ status: 'Succeeded' });
    expect(p.calls.nft[0]).toContain('\tset server4 {\n\t\ttype ipv4_addr . inet_service\n\t\telements = { 10.0.0.5 . 8443, 10.0.0.6 . 8443, 10.0.0.8 . 443 }\n\t}');
    expect(p.calls.nft[0]).toContain('\t\telements = { fd00::5 . 8443, fd00::7 . 80 }\n');
    urls = [...urls, 'https://10.0.0.9:9443'];
    expect(await refreshIsolation(c())).toBe('updated');
    expect(p.calls.nft[1]).toContain('add element inet cordon_isolation server4 { 10.0.0.5 . 8443, 10.0.0.6 . 8443, 10.0.0.8 . 443, 10.0.0.9 . 9443 }\n');
  });

  it('should refuse a malformed server URL, touching nothing', async () => {
    const r = await isolate.run({}, makeTestContext(p, { stateDir: dir, serverUrls: () => ['https://cordon.example', 'ftp://cordon.example'] }));
    expect(r).toEqual({ status: 'Failed', error: { code: 'IsolationRefused', message: 'Malformed server URL(s): ftp://cordon.example' } });
    expect(p.calls.nft).toEqual([]);
  });

  it('should release exactly the isolation table, clear the state and notify', async () => {
    await isolate.run({}, ctx());
    const r = await unisolateExecutor.run({}, ctx());
    expect(r).toEqual({ status: 'Succeeded', output: { wasIsolated: true } });
    expect(p.calls.nft[1]).toBe('table inet cordon_isolation\ndelete table inet cordon_isolation\n');
    expect(await readFile(join(dir, 'isolation.json'), 'utf8').catch(() => 'absent')).toBe('absent');
    expect(p.calls.notify.map((n) => n.title)).toEqual(['This device has been isolated', 'This device has been released from isolation']);
  });

  it('should keep the state when release fails', async () => {
    await isolate.run({}, ctx());
    p.state.nftResults.push({ ok: false, stderr: 'Error: busy' });
    expect(await unisolateExecutor.run({}, ctx())).toEqual({ status: 'Failed', error: { code: 'ReleaseFailed', message: 'nft: Error: busy' } });
    expect(JSON.parse(await readFile(join(dir, 'isolation.json'), 'utf8')).isolated).toBe(true);
  });
});
