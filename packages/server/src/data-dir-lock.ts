/**
 * One server process per SQLite data directory. A second process on the same cordon.db would start
 * and answer the API, but the devices connected to the first would never hear of its actions
 * (SQLite has no NOTIFY to fan them out), so it must refuse to start and say what to do instead.
 *
 * The lock is a file naming its holder: pid plus that process's start time (so a reused pid is not
 * mistaken for the holder). Written by hand rather than with proper-lockfile: that library judges a
 * lock stale by its age (10 s by default), so a server restarted right after a crash, as systemd
 * does, would be refused; here a holder that is gone is known at once.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const DATA_DIR_LOCK_FILE = 'server.lock';

export interface DataDirLock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  startTime: string;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `another Cordon server (pid ${pid}) serves the data directory ${dataDir}: with embedded SQLite one server process ` +
        `serves a data directory (stop it first, or give this one its own --data); to run several server processes, ` +
        `use PostgreSQL (--database postgres://...)`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** Takes the data directory for this process, or throws DataDirInUseError naming the holder. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  const me: Holder = { pid: process.pid, startTime: await startTimeOf(process.pid) ?? '' };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(JSON.stringify(me));
      await file.close();
      return { release: () => releaseIfMine(path, me) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(path);
    if (holder && (await isAlive(holder))) throw new DataDirInUseError(dataDir, holder.pid);
    // Left by a process that is gone (a crash, a kill): take it over.
    await rm(path, { force: true });
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}

async function releaseIfMine(path: string, me: Holder): Promise<void> {
  const holder = await readHolder(path);
  if (holder && holder.pid === me.pid && holder.startTime === me.startTime) await rm(path, { force: true });
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) return { pid: parsed.pid, startTime: String(parsed.startTime ?? '') };
  } catch {
    // Unreadable or half-written (a crash while writing it): nobody holds it.
  }
  return undefined;
}

async function isAlive(holder: Holder): Promise<boolean> {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTime = await startTimeOf(holder.pid);
  // Without /proc (not Linux) the pid alone decides.
  return startTime === undefined || holder.startTime === '' || startTime === holder.startTime;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
async function startTimeOf(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}
