/**
 * `createLinuxPlatform()`: the real platform, built once by the agent's composition root.
 * @example
 *   const platform = createLinuxPlatform({ toolsDir: `${stateDir}/tools` });
 *   const features = await platform.probe(); // { nft: true, clamscan: true, fanotify: true, dpkg: true }
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createClamAv } from './clamav.js';
import { createExec } from './exec.js';
import { createExecGuard, execGuardPath } from './exec-guard.js';
import { createHashScanner } from './hash-scan.js';
import { createLiveFs } from './live-fs.js';
import { createPlatformFs } from './fs.js';
import { createNet } from './net.js';
import { createNft } from './nft.js';
import { createNotifier } from './notify.js';
import { createPackageTrust } from './packages.js';
import { createProc } from './proc.js';
import { createReadFs } from './read-fs.js';
import { spawnBounded } from './spawn-bounded.js';
import { createZipWriter } from './zip.js';
import type { Notifier, Platform } from './types.js';

export interface LinuxPlatformOptions {
  /**
   * Where the agent keeps helpers it builds (the exec guard): `<state dir>/tools`, so everything an
   * agent writes stays under its state directory. No default, so no caller writes elsewhere by accident.
   */
  toolsDir: string;
  /** Mounts the exec guard marks; default every local filesystem. Tests pass their private mount. */
  restrictMounts?: readonly string[];
  /** Replaces wall/notify-send (tests must not write to the host's terminals). */
  notifier?: Notifier;
  /** Wrapper for every exec (e.g. `['ip', 'netns', 'exec', 'ns']`). */
  execPrefix?: readonly string[];
  /** ClamAV's system database directory. Default /var/lib/clamav. */
  clamavDbDir?: string;
}

export function createLinuxPlatform(options: LinuxPlatformOptions): Platform {
  const exec = createExec({ prefix: options.execPrefix });
  const { toolsDir } = options;
  const execGuard = createExecGuard(exec, { toolsDir, mounts: options.restrictMounts });
  const clamav = createClamAv(exec, { systemDbDir: options.clamavDbDir });
  const nft = createNft(exec);
  return {
    exec,
    fs: createPlatformFs(),
    nft,
    net: createNet(),
    proc: createProc(),
    clamav,
    execGuard,
    packages: createPackageTrust({ runtimeFiles: () => [process.execPath, execGuardPath(toolsDir)] }),
    notify: options.notifier ?? createNotifier(exec),
    // Forensics (collect package, live response): read-only file access rooted at '/', zip, and
    // bounded process runs.
    readFs: createReadFs('/'),
    zip: createZipWriter(),
    spawnBounded,
    hashScan: createHashScanner(),
    liveFs: createLiveFs(),
    cpuCount: () => availableParallelism(),
    async probe() {
      const ok = async (file: string, args: string[]) => (await exec(file, args).catch(() => ({ exitCode: 1 }))).exitCode === 0;
      return {
        nft: await ok('nft', ['--version']),
        clamscan: await clamav.available(),
        fanotify: await execGuard.available(),
        dpkg: existsSync('/var/lib/dpkg/info'),
        proc: existsSync('/proc/self/exe'),
        collectInvestigationPackage: true,
        liveResponse: true,
      };
    },
  };
}
