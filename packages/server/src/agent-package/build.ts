/**
 * The cordon-agent package: the agent artifact of `npm run build:agent` (a single executable and
 * its prebuilt exec guard) laid out as a Debian package, or as a tarball with an install.sh for
 * hosts without dpkg, optionally with an onboarding file so the device enrolls when installed.
 * The systemd unit is the repository's (deploy/systemd/cordon-agent.service) with ExecStart=
 * pointing at the installed executable; the maintainer scripts are deploy/package/.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { OnboardingPackage } from '@cordon/protocol';

const run = promisify(execFile);

export type AgentPackageFormat = 'deb' | 'tar';
export const AGENT_PACKAGE_FORMATS: readonly AgentPackageFormat[] = ['deb', 'tar'];

export class AgentPackageError extends Error {
  override name = 'AgentPackageError';
}

/** The repository root, from src or dist (both sit at packages/server/<dir>/agent-package/). */
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const DEFAULT_AGENT_ARTIFACT_DIR = join(REPO, 'packages/agent/artifact');
const UNIT_SOURCE = join(REPO, 'deploy/systemd/cordon-agent.service');
const SCRIPTS_DIR = join(REPO, 'deploy/package');

export const INSTALLED = {
  executable: '/usr/lib/cordon-agent/cordon-agent',
  execGuard: '/usr/lib/cordon-agent/cordon-exec-guard',
  command: '/usr/bin/cordon-agent',
  unit: '/lib/systemd/system/cordon-agent.service',
  onboarding: '/etc/cordon/onboarding.json',
  docs: '/usr/share/doc/cordon-agent',
  manual: '/usr/share/man/man8/cordon-agent.8.gz',
} as const;

export interface AgentPackageInput {
  format: AgentPackageFormat;
  /** Directory the package file is written to. */
  outDir: string;
  /** Onboarding package (JSON text) installed as /etc/cordon/onboarding.json, 0600. */
  onboardingJson?: string;
  artifactDir?: string;
}

const MAINTAINER = 'Cordon maintainers <maintainers@cordon.example.org>';

interface Manifest {
  version: string;
  arch: string;
}

/** Node's process.arch to Debian's architecture names. */
const DEBIAN_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ia32: 'i386', ppc64: 'ppc64el', s390x: 's390x' };

/** Writes the package into input.outDir and returns its path. */
export async function buildAgentPackage(input: AgentPackageInput): Promise<string> {
  const artifactDir = input.artifactDir ?? DEFAULT_AGENT_ARTIFACT_DIR;
  const manifest = await readManifest(artifactDir);
  const arch = DEBIAN_ARCH[manifest.arch];
  if (!arch) throw new AgentPackageError(`no Debian architecture for ${manifest.arch}`);
  if (input.onboardingJson !== undefined) checkOnboarding(input.onboardingJson);
  const name = `cordon-agent_${manifest.version}_${arch}`;
  const staging = await mkdtemp(join(tmpdir(), 'cordon-agent-package-'));
  try {
    const top = join(staging, name);
    const root = join(top, 'root');
    await layOutFiles(root, artifactDir, input.onboardingJson);
    await mkdir(input.outDir, { recursive: true });
    if (input.format === 'deb') {
      const out = join(input.outDir, `${name}.deb`);
      await writeDebianControl(root, manifest.version, arch, input.onboardingJson !== undefined);
      await run('dpkg-deb', ['--build', '--root-owner-group', '-Zgzip', root, out]).catch((err: Error) => {
        throw new AgentPackageError(`dpkg-deb failed (Debian's dpkg package is needed to build .deb): ${err.message}`);
      });
      return out;
    }
    const out = join(input.outDir, `${name}.tar.gz`);
    for (const script of ['install.sh', 'postinst']) await copyMode(join(SCRIPTS_DIR, script), join(top, script), 0o755);
    await run('tar', ['-C', staging, '--owner=0', '--group=0', '--numeric-owner', '-czf', out, name]);
    return out;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Throws AgentPackageError when `npm run build:agent` has not made the artifact packages are built from. */
export async function checkAgentArtifact(artifactDir: string = DEFAULT_AGENT_ARTIFACT_DIR): Promise<void> {
  await readManifest(artifactDir);
}

async function readManifest(artifactDir: string): Promise<Manifest> {
  try {
    const m = JSON.parse(await readFile(join(artifactDir, 'manifest.json'), 'utf8')) as Manifest;
    if (typeof m.version !== 'string' || typeof m.arch !== 'string') throw new Error('bad manifest');
    return m;
  } catch {
    throw new AgentPackageError(`no agent build in ${artifactDir}: run \`npm run build:agent\` on the server (it needs a C compiler and strip), then try again`);
  }
}

/** Refuses what the agent could not enroll with, so a bad file fails here and not on the device. */
function checkOnboarding(text: string): void {
  let pkg: Partial<OnboardingPackage>;
  try {
    pkg = JSON.parse(text) as Partial<OnboardingPackage>;
  } catch {
    throw new AgentPackageError('the onboarding file is not JSON');
  }
  if (pkg?.version !== 1 || typeof pkg.serverUrl !== 'string' || typeof pkg.enrollmentSecret !== 'string' || !Array.isArray(pkg.actionSigningKeys)) {
    throw new AgentPackageError('the onboarding file is not an onboarding package (see `cordon onboarding-package`)');
  }
}

/** The repository's unit, run from the package's executable. */
export function packagedUnit(unitText: string): string {
  if (!/^ExecStart=.*$/m.test(unitText)) throw new AgentPackageError('deploy/systemd/cordon-agent.service has no ExecStart=');
  return unitText
    .replace(/^ExecStart=.*$/m, `ExecStart=${INSTALLED.command}`)
    .replace(/^Documentation=.*$/m, `Documentation=file://${INSTALLED.docs}/SECURITY.md`);
}

async function layOutFiles(root: string, artifactDir: string, onboardingJson: string | undefined): Promise<void> {
  const at = (path: string) => join(root, path);
  await mkdir(at('/usr/lib/cordon-agent'), { recursive: true });
  await copyMode(join(artifactDir, 'cordon-agent'), at(INSTALLED.executable), 0o755);
  await copyMode(join(artifactDir, 'cordon-exec-guard'), at(INSTALLED.execGuard), 0o755);
  await mkdir(at('/usr/bin'), { recursive: true });
  await symlink('../lib/cordon-agent/cordon-agent', at(INSTALLED.command));
  await mkdir(at('/lib/systemd/system'), { recursive: true });
  await writeMode(at(INSTALLED.unit), packagedUnit(await readFile(UNIT_SOURCE, 'utf8')), 0o644);
  await mkdir(at(INSTALLED.docs), { recursive: true });
  await copyMode(join(SCRIPTS_DIR, 'copyright'), at(`${INSTALLED.docs}/copyright`), 0o644);
  await copyMode(join(REPO, 'SECURITY.md'), at(`${INSTALLED.docs}/SECURITY.md`), 0o644);
  await mkdir(at('/usr/share/man/man8'), { recursive: true });
  await writeMode(at(INSTALLED.manual), gzipSync(await readFile(join(SCRIPTS_DIR, 'cordon-agent.8')), { level: 9 }), 0o644);
  if (onboardingJson !== undefined) {
    await mkdir(at('/etc/cordon'), { recursive: true, mode: 0o755 });
    await writeMode(at(INSTALLED.onboarding), onboardingJson, 0o600);
  }
}

async function writeDebianControl(root: string, version: string, arch: string, withOnboarding: boolean): Promise<void> {
  const debian = join(root, 'DEBIAN');
  await mkdir(debian, { mode: 0o755 });
  const files = await listFiles(root, (rel) => !rel.startsWith('DEBIAN/'));
  let installedBytes = 0;
  const sums: string[] = [];
  for (const rel of files) {
    const info = await stat(join(root, rel));
    installedBytes += info.size;
    if (!rel.startsWith('etc/')) sums.push(`${createHash('md5').update(await readFile(join(root, rel))).digest('hex')}  ${rel}`);
  }
  // The changelog Debian policy asks for: one entry, this build (a native package: changelog.gz).
  const changelog = `cordon-agent (${version}) unstable; urgency=medium\n\n  * Cordon agent ${version}.\n\n -- ${MAINTAINER}  ${new Date().toUTCString().replace('GMT', '+0000')}\n`;
  const changelogPath = join(root, INSTALLED.docs, 'changelog.gz');
  await writeMode(changelogPath, gzipSync(changelog, { level: 9 }), 0o644);
  sums.push(`${createHash('md5').update(await readFile(changelogPath)).digest('hex')}  ${relative(root, changelogPath)}`);
  const control = [
    'Package: cordon-agent',
    `Version: ${version}`,
    `Architecture: ${arch}`,
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${Math.ceil(installedBytes / 1024)}`,
    // The executable embeds its own Node.js runtime; it links only the C and C++ runtime libraries.
    'Depends: libc6 (>= 2.28), libstdc++6, libgcc-s1, nftables',
    'Recommends: clamav',
    'Section: admin',
    'Priority: optional',
    'Description: Cordon endpoint response agent',
    ' Runs response actions from a Cordon server on this device: network isolation',
    ' (nftables), code execution restriction (fanotify), antivirus scans (ClamAV),',
    ' file quarantine, investigation packages and live response.',
    '',
  ].join('\n');
  await writeMode(join(debian, 'control'), control, 0o644);
  await writeMode(join(debian, 'md5sums'), `${sums.join('\n')}\n`, 0o644);
  if (withOnboarding) await writeMode(join(debian, 'conffiles'), `${INSTALLED.onboarding}\n`, 0o644);
  for (const script of ['postinst', 'prerm', 'postrm']) await copyMode(join(SCRIPTS_DIR, script), join(debian, script), 0o755);
}

async function listFiles(root: string, keep: (rel: string) => boolean): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter(keep)
    .sort();
}

async function copyMode(from: string, to: string, mode: number): Promise<void> {
  await copyFile(from, to);
  await chmod(to, mode);
}

async function writeMode(path: string, data: string | Buffer, mode: number): Promise<void> {
  await writeFile(path, data, { mode });
  await chmod(path, mode); // the umask may have narrowed it
}
