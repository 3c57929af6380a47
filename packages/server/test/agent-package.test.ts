/**
 * The cordon-agent package, built from the `npm run build:agent` artifact and unpacked into a
 * throwaway directory (dpkg-deb -x; the tarball's own install.sh --root), never onto this host:
 * what is installed where with which mode, that the bundle holds none of the server, store or web
 * code, that the unit is the repository's hardened one run from the package, that the maintainer
 * scripts parse, and that the installed executable takes the options of `cordon agent`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgentOptions } from '@cordon/agent';
import { AgentPackageError, buildAgentPackage } from '../src/agent-package/build.js';
import { skipUnlessAble } from '../../../e2e/support/require-privileged.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const hasDpkg = spawnSync('sh', ['-c', 'command -v dpkg-deb'], { stdio: 'ignore' }).status === 0;
const skip = skipUnlessAble('agent package', hasDpkg ? undefined : "dpkg-deb not installed (Debian's dpkg package)");

const onboarding = JSON.stringify({
  version: 1,
  serverUrl: 'https://cordon.example.org:8443',
  tenantId: 'tenant-1',
  enrollmentSecret: 'id.secret',
  expiresAt: '2030-01-01T00:00:00Z',
  tlsCertSha256: null,
  tlsCertPem: null,
  actionSigningKeys: [{ keyId: 'k1', publicKey: 'AAAA' }],
});

const mode = (path: string) => statSync(path).mode & 0o7777;

/** [Service] key=value lines of a unit, comments dropped. */
function serviceLines(unit: string): string[] {
  return unit.split('\n').filter((l) => l && !l.startsWith('#') && l.includes('='));
}

/** Checks shared by both formats: `root` is the installed tree. */
function expectInstalledTree(root: string, withOnboarding: boolean): void {
  const exe = join(root, 'usr/lib/cordon-agent/cordon-agent');
  expect(mode(exe)).toBe(0o755);
  expect(mode(join(root, 'usr/lib/cordon-agent/cordon-exec-guard'))).toBe(0o755);
  expect(lstatSync(join(root, 'usr/bin/cordon-agent')).isSymbolicLink()).toBe(true);
  expect(readlinkSync(join(root, 'usr/bin/cordon-agent'))).toBe('../lib/cordon-agent/cordon-agent');

  const unit = readFileSync(join(root, 'lib/systemd/system/cordon-agent.service'), 'utf8');
  const repoUnit = readFileSync(join(REPO, 'deploy/systemd/cordon-agent.service'), 'utf8');
  expect(unit).toMatch(/^ExecStart=\/usr\/bin\/cordon-agent$/m);
  // Everything but where it runs from is the repository's unit: same capabilities and protections.
  const differing = (l: string) => l.startsWith('ExecStart=') || l.startsWith('Documentation=');
  expect(serviceLines(unit).filter((l) => !differing(l))).toEqual(serviceLines(repoUnit).filter((l) => !differing(l)));
  expect(unit).toMatch(/^CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_KILL CAP_SYS_PTRACE CAP_DAC_OVERRIDE CAP_FOWNER CAP_CHOWN$/m);
  expect(unit).toMatch(/^RestartPreventExitStatus=3$/m);
  expect(unit).toMatch(/^ConditionPathExists=!\/var\/lib\/cordon-agent\/offboarded$/m);

  const installedOnboarding = join(root, 'etc/cordon/onboarding.json');
  if (withOnboarding) {
    expect(mode(installedOnboarding)).toBe(0o600);
    expect(readFileSync(installedOnboarding, 'utf8')).toBe(onboarding);
  } else {
    expect(existsSync(installedOnboarding)).toBe(false);
  }

  // The bundle is plain text inside the executable: the agent's own strings are found, and none of
  // the server's, the store's (database drivers) or the web UI's.
  const binary = readFileSync(exe).toString('latin1');
  expect(binary).toContain('Cordon agent running as machine');
  for (const foreign of ['fastify', 'kysely', 'better-sqlite3', 'pg-protocol', 'pg-pool', 'react-dom', '@cordon/store', '@cordon/server']) {
    expect(binary, foreign).not.toContain(foreign);
  }
}

describe.skipIf(skip)('cordon-agent package', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cordon-agent-package-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should unpack from the .deb into the agent, its helper, the hardened unit and the 0600 onboarding file, with maintainer scripts that parse', async () => {
    const deb = await buildAgentPackage({ format: 'deb', outDir: join(dir, 'out'), onboardingJson: onboarding });
    expect(deb).toMatch(/\/cordon-agent_\d+\.\d+\.\d+_amd64\.deb$/);
    expect(statSync(deb).size).toBeLessThan(150 * 1024 * 1024);
    const root = join(dir, 'deb-root');
    execFileSync('dpkg-deb', ['-x', deb, root]);
    expectInstalledTree(root, true);

    const control = join(dir, 'deb-control');
    execFileSync('dpkg-deb', ['-e', deb, control]);
    const fields = readFileSync(join(control, 'control'), 'utf8');
    expect(fields).toMatch(/^Package: cordon-agent$/m);
    expect(fields).toMatch(/^Depends: .*nftables/m);
    expect(readFileSync(join(control, 'conffiles'), 'utf8')).toBe('/etc/cordon/onboarding.json\n');
    for (const script of ['postinst', 'prerm', 'postrm']) {
      expect(mode(join(control, script))).toBe(0o755);
      expect(spawnSync('sh', ['-n', join(control, script)]).status, `${script} parses`).toBe(0);
    }
    // Owned by root whatever user built it (--root-owner-group).
    const listing = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' });
    expect(listing.split('\n').filter(Boolean).every((l) => l.split(/\s+/)[1] === 'root/root')).toBe(true);
  }, 300_000);

  it('should install from the tarball with its install.sh into a chosen root, without an onboarding file when none was given', async () => {
    const tarball = await buildAgentPackage({ format: 'tar', outDir: join(dir, 'out') });
    expect(tarball).toMatch(/\/cordon-agent_\d+\.\d+\.\d+_amd64\.tar\.gz$/);
    const unpacked = join(dir, 'tar');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-C', unpacked, '-xzf', tarball]);
    const [top] = readdirSync(unpacked);
    const installSh = join(unpacked, top!, 'install.sh');
    expect(spawnSync('sh', ['-n', installSh]).status).toBe(0);
    expect(spawnSync('sh', ['-n', join(unpacked, top!, 'postinst')]).status).toBe(0);
    const root = join(dir, 'tar-root');
    execFileSync('sh', [installSh, '--root', root]);
    expectInstalledTree(root, false);
  }, 300_000);

  it('should run from the installed tree with exactly the options of `cordon agent`', () => {
    const exe = join(dir, 'deb-root/usr/lib/cordon-agent/cordon-agent');
    const help = execFileSync(exe, ['--help'], { encoding: 'utf8' });
    const cli = addAgentOptions(new Command('agent'));
    const flags = cli.options.map((o) => o.long!);
    expect(flags).toEqual(['--onboarding', '--state', '--transport', '--platform', '--name']);
    for (const flag of flags) expect(help).toContain(flag);
    expect(execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // Without an identity or onboarding file it says what to do and fails; nothing to compile or load.
    const r = spawnSync(exe, ['--state', join(dir, 'empty-state')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('run once with --onboarding');
    expect(r.stderr).not.toContain('Warning');
  });

  it('should refuse an onboarding file that is not an onboarding package, writing nothing', async () => {
    const out = join(dir, 'refused');
    await expect(buildAgentPackage({ format: 'deb', outDir: out, onboardingJson: '{"hello":1}' })).rejects.toThrow(AgentPackageError);
    await expect(buildAgentPackage({ format: 'tar', outDir: out, onboardingJson: 'not json' })).rejects.toThrow('not JSON');
    expect(existsSync(out)).toBe(false);
  });
});
