/**
 * RestrictCodeExecution's mechanism: fanotify permission events, answered by a ~150-line C helper
 * (exec-guard/cordon-exec-guard.c). The packaged agent carries it prebuilt beside its executable;
 * run from the repository, it is compiled with the system C compiler on first use.
 *
 * Why not fapolicyd: it is a system-wide daemon with its own rules database and trust backends;
 * driving it means rewriting /etc/fapolicyd and restarting a service, which cannot be confined to a
 * test's private mount namespace, and "restore the previous policy exactly" would mean snapshotting
 * another program's configuration. Why not a node-gyp addon: a native module in the agent process
 * would block node's event loop on every exec of the device, and dies with the agent. The helper
 * marks only the mounts it is given (FAN_OPEN_EXEC_PERM, kernel >= 5.0), survives agent restarts
 * (detached, pid kept in the agent state), and when it dies the kernel allows pending events, so a
 * crash cannot wedge the device. Unrestrict is exactly "stop the helper": nothing else is changed.
 */
import { spawn } from 'node:child_process';
import { constants as C, existsSync, openSync, closeSync, statSync } from 'node:fs';
import { access, mkdir, readFile, readlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSea } from 'node:sea';
import type { Exec, ExecGuard } from './types.js';
import { parseLocalMounts } from './mounts.js';

/** The C source, found beside this module in src, or from dist via ../../src (tsc copies no .c). */
export function execGuardSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'exec-guard/cordon-exec-guard.c'), join(here, '../../src/platform/exec-guard/cordon-exec-guard.c')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`cordon-exec-guard.c not found (looked in ${candidates.join(', ')})`);
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const EXEC_GUARD_BINARY = 'cordon-exec-guard';

/**
 * Where the helper lives: beside the packaged executable (a single executable application, built
 * with the helper at package time, so a device needs no compiler), else in the tools directory.
 */
export function execGuardPath(toolsDir: string): string {
  return isSea() ? join(dirname(process.execPath), EXEC_GUARD_BINARY) : join(toolsDir, EXEC_GUARD_BINARY);
}

export function createExecGuard(exec: Exec, options: { toolsDir: string; mounts?: readonly string[] }): ExecGuard {
  const bin = execGuardPath(options.toolsDir);

  async function ensureBuilt(): Promise<void> {
    if (isSea()) {
      if (!existsSync(bin)) throw new Error(`the exec guard helper is missing: reinstall the package (${bin})`);
      return;
    }
    const src = execGuardSource();
    if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(src).mtimeMs) return;
    await mkdir(options.toolsDir, { recursive: true, mode: 0o700 });
    const r = await exec('cc', ['-O2', '-Wall', '-o', bin, src], { timeoutMs: 120_000 });
    if (r.exitCode !== 0) throw new Error(`cannot build the exec guard with cc: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }

  return {
    async available() {
      if (existsSync(bin)) return true;
      if (isSea()) return false; // the packaged agent never compiles on the device
      return (await exec('cc', ['--version']).catch(() => ({ exitCode: 127 }))).exitCode === 0;
    },
    async start({ trustFile, logFile, mounts }) {
      await ensureBuilt();
      const marks = mounts ?? options.mounts ?? parseLocalMounts(await readFile('/proc/self/mounts', 'utf8'));
      const logFd = openSync(logFile, 'a', 0o600);
      try {
        const child = spawn(bin, [trustFile, ...marks], { detached: true, stdio: ['ignore', 'pipe', logFd] });
        const ready = await new Promise<boolean>((resolve) => {
          let out = '';
          child.stdout!.on('data', (b: Buffer) => {
            out += b.toString();
            if (out.includes('ready\n')) resolve(true);
          });
          child.once('exit', () => resolve(false));
          child.once('error', () => resolve(false));
        });
        if (!ready) {
          const log = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join('; ');
          throw new Error(`exec guard failed to start: ${log || 'no output'}`);
        }
        child.stdout!.destroy();
        child.unref();
        return { pid: child.pid! };
      } finally {
        closeSync(logFd);
      }
    },
    async isRunning(pid) {
      try {
        return (await readlink(`/proc/${pid}/exe`)) === bin;
      } catch {
        return false;
      }
    },
    async stop(pid) {
      if (!(await this.isRunning(pid))) return;
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && (await this.isRunning(pid)); i++) await sleep(20);
      if (await this.isRunning(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}

/** Whether `path` can be executed by us, for probe(). */
export async function isExecutable(path: string): Promise<boolean> {
  return access(path, C.X_OK).then(() => true, () => false);
}
