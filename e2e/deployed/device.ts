/**
 * The device of the deployed suite: a network namespace (made by the harness) plus its own mount
 * and PID namespaces. Its root is an overlay of the host's / whose writes go to a tmpfs, with fresh
 * /tmp, /var/tmp, /dev/shm and /proc, and the checkout bound in read-only. A device action that deletes files by hash (quarantine) or
 * kills processes by executable therefore reaches only the device's copies and processes, never the
 * host's: with a shared root, StopAndQuarantineFile of a copied /usr/bin/sleep would remove the
 * host's sleep and kill every host process running it. Everything vanishes with the device's init.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, waitForOutput, type Child, type Children, type Cmd } from './processes.js';

const PROBE = `const s = require('net').connect(+process.argv[2], process.argv[1]);
s.setTimeout(1500, () => process.exit(1)); s.on('error', () => process.exit(1));
s.on('connect', () => s.write('ping')); s.on('data', () => process.exit(0));`;

/**
 * The checkout the agent runs from. The overlay shows only the host's root filesystem, and /tmp is
 * fresh, so a checkout under /tmp or on another mount (as CI's clone may be) would be missing:
 * it is bound in at the same path, read-only, so nothing the agent does can change it.
 */
const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

export class Device {
  #holder: Child | undefined;
  /** The device's init (host pid) and PID namespace, known once it is set up; never the host's. */
  #ns: { init: number; pidNs: string } | undefined;

  constructor(readonly netns: string, readonly dir: string, readonly children: Children) {}

  async start(): Promise<void> {
    const disk = join(this.dir, 'device-disk');
    await mkdir(disk);
    const root = `${disk}/root`;
    const setup = [
      'set -e',
      `mount -t tmpfs -o mode=0755 cordon-device-disk ${disk}`,
      `mkdir ${disk}/upper ${disk}/work ${root}`,
      `mount -t overlay overlay -o lowerdir=/,upperdir=${disk}/upper,workdir=${disk}/work ${root}`,
      `mount --rbind /dev ${root}/dev`,
      `mount --rbind /sys ${root}/sys`,
      `mount -t proc proc ${root}/proc`,
      `for d in tmp var/tmp dev/shm; do mount -t tmpfs -o mode=1777 cordon-device ${root}/$d; done`,
      `mkdir -p ${root}${REPO}`,
      `mount --bind ${REPO} ${root}${REPO}`,
      `mount -o remount,bind,ro ${root}${REPO}`,
      `cd ${root}`,
      'mkdir -p .host-root',
      'pivot_root . .host-root',
      'umount -l /.host-root',
      'rmdir /.host-root',
      'echo ready',
      'exec sleep infinity',
    ].join('\n');
    const holder = this.children.spawn('ip', ['netns', 'exec', this.netns, 'unshare', '-m', '-p', '--fork', '--propagation', 'private', 'sh', '-c', setup]);
    this.#holder = holder;
    await waitForOutput(holder, 'ready', 'the device namespaces', 10_000);
    const init = Number(readFileSync(`/proc/${holder.child.pid}/task/${holder.child.pid}/children`, 'utf8').trim().split(' ')[0]);
    const pidNs = readlinkSync(`/proc/${init}/ns/pid`);
    // Processes are found (and killed on reboot) by this namespace: it must not be the host's.
    if (!init || pidNs === readlinkSync('/proc/self/ns/pid') || readlinkSync(`/proc/${init}/ns/mnt`) === readlinkSync('/proc/self/ns/mnt')) {
      throw new Error('the device is not in namespaces of its own');
    }
    this.#ns = { init, pidNs };
  }

  /** A path on the device's filesystem, as the host sees it. */
  path(path: string): string {
    return `/proc/${this.#ns!.init}/root${path}`;
  }

  /** Runs a command in the device's namespaces (where the agent enforces), to completion. */
  exec(argv: string[], opts: { allowFail?: boolean; input?: string } = {}): Cmd {
    return run(['nsenter', '-t', String(this.#ns!.init), '-m', '-n', '-p', ...argv], opts);
  }

  /** Starts a long-running command on the device. */
  spawn(argv: string[]): Child {
    return this.children.spawn('nsenter', ['-t', String(this.#ns!.init), '-m', '-n', '-p', ...argv]);
  }

  /** Whether the device can open a TCP connection to host:port and get the echo back. */
  reaches(host: string, port: number): boolean {
    return this.exec([process.execPath, '-e', PROBE, host, String(port)], { allowFail: true }).status === 0;
  }

  /** Host pids of the processes on the device (its PID namespace), its init excepted. */
  pids(): number[] {
    if (!this.#ns) return [];
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === this.#ns.init) continue;
      try {
        if (readlinkSync(`/proc/${pid}/ns/pid`) === this.#ns.pidNs) pids.push(pid);
      } catch {
        // exited meanwhile
      }
    }
    return pids;
  }

  /** Host pids of the device's processes whose command line holds every one of `args`. */
  pidsRunning(...args: string[]): number[] {
    return this.pids().filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.every((a) => argv.includes(a));
      } catch {
        return false;
      }
    });
  }

  /** SIGKILLs every process on the device (what a power cut does); with `init`, the device itself too. */
  killAll(opts: { init: boolean }): void {
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (!opts.init) return;
    if (this.#ns) process.kill(this.#ns.init, 'SIGKILL');
    this.#holder?.child.kill('SIGKILL');
  }
}
