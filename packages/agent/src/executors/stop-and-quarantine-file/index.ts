/**
 * StopAndQuarantineFile (mde-api.md §4.6): kills every process whose executable has the SHA-1, then
 * moves every copy found (those executables, the Quick-scan locations, configured paths) into the
 * quarantine store. Finding nothing is a success that says so.
 */
import type { FileStat } from '../../platform/types.js';
import type { ActionExecutor, ExecutorContext, ExecutorResult } from '../types.js';
import { quickLocations, readablePathError, type LocationOptions } from '../run-antivirus-scan/locations.js';
import { quarantineFile, sha1ParamError } from './quarantine-store.js';

export interface Sha1Params {
  Sha1: string;
}

/** Files larger than this are not hashed in the search (malware droppers are far smaller). */
const MAX_SEARCH_FILE = 512 * 1024 * 1024;
const KILL_CHECKS = 50;

export interface StopAndQuarantineOptions {
  quick?: LocationOptions;
  killWaitMs?: number;
  /**
   * Where copies are searched besides the killed processes' executables and the configured paths;
   * default the Quick-scan locations. The console's `remediate file <path>` searches that path only.
   */
  searchRoots?: (ctx: ExecutorContext) => Promise<string[]>;
}

export function createStopAndQuarantineFileExecutor(options: StopAndQuarantineOptions = {}): ActionExecutor<Sha1Params> {
  const waitMs = options.killWaitMs ?? 20;
  return {
    type: 'StopAndQuarantineFile',
    capability: 'proc',
    validate: sha1ParamError,
    async run(params, ctx): Promise<ExecutorResult> {
      const sha1 = params.Sha1.toLowerCase();
      const extra = ctx.settings.quarantineSearchPaths ?? [];
      const refused = extra.map((p) => readablePathError(p, ctx.stateDir)).find(Boolean);
      if (refused) return { status: 'Failed', error: { code: 'QuarantineRefused', message: refused } };

      // Stats are taken before hashing: reading a file updates its atime, which must be kept as it was.
      const firstStat = new Map<string, FileStat>();
      const { killed, survivors, exePaths } = await killMatching(ctx, sha1, waitMs, firstStat);
      const candidates = new Set<string>(exePaths);
      const roots = [...(options.searchRoots ? await options.searchRoots(ctx) : await quickLocations(ctx.platform, options.quick)), ...extra];
      for await (const f of ctx.platform.fs.walkFiles(roots, { signal: ctx.signal, maxFileSize: MAX_SEARCH_FILE })) {
        if (f.path.startsWith(`${ctx.stateDir}/`)) continue;
        if (!firstStat.has(f.path)) firstStat.set(f.path, f.stat);
        const h = await ctx.platform.fs.hashFile(f.path, ['sha1'], ctx.signal).catch(() => undefined);
        if (h?.sha1 === sha1) candidates.add(f.path);
      }
      const quarantined: { path: string; storedAs: string }[] = [];
      const failures: { path: string; error: string }[] = [];
      for (const path of candidates) {
        // Re-check right before moving: the search result may be stale.
        const h = await ctx.platform.fs.hashFile(path, ['sha1']).catch(() => undefined);
        if (h?.sha1 !== sha1) continue;
        try {
          quarantined.push({ path, storedAs: await quarantineFile(ctx, sha1, path, firstStat.get(path)) });
        } catch (e) {
          failures.push({ path, error: (e as Error).message });
        }
      }
      const found = killed.length + survivors.length + quarantined.length + failures.length > 0;
      const output = {
        sha1, found, killedProcesses: killed, survivingProcesses: survivors, quarantined, failures,
        message: found ? `Stopped ${killed.length} process(es), quarantined ${quarantined.length} file(s)` : 'No running process or file with this SHA-1 was found',
      };
      if (survivors.length > 0 || failures.length > 0) {
        return { status: 'Failed', error: { code: 'QuarantineIncomplete', message: `${survivors.length} process(es) survived, ${failures.length} file(s) not quarantined` }, output };
      }
      return { status: 'Succeeded', output };
    },
  };
}

async function killMatching(ctx: ExecutorContext, sha1: string, waitMs: number, firstStat: Map<string, FileStat>) {
  const cache = new Map<string, string | undefined>();
  const killed: { pid: number; exe: string }[] = [];
  const survivors: { pid: number; exe: string }[] = [];
  const exePaths = new Set<string>();
  for (const p of await ctx.platform.proc.list()) {
    if (p.pid === ctx.platform.proc.selfPid || p.pid === 1) continue; // never the agent or init
    if (!cache.has(p.exe)) {
      const st = p.exe.endsWith(' (deleted)') ? undefined : await ctx.platform.fs.lstat(p.exe);
      if (st && !firstStat.has(p.exe)) firstStat.set(p.exe, st);
      cache.set(p.exe, (await ctx.platform.fs.hashFile(ctx.platform.proc.exePath(p.pid), ['sha1']).catch(() => undefined))?.sha1);
    }
    if (cache.get(p.exe) !== sha1) continue;
    await ctx.platform.proc.kill(p.pid, 'SIGKILL');
    let alive = true;
    for (let i = 0; i < KILL_CHECKS && (alive = await ctx.platform.proc.isAlive(p.pid)); i++) await new Promise((r) => setTimeout(r, waitMs));
    (alive ? survivors : killed).push(p);
    if (!p.exe.endsWith(' (deleted)')) exePaths.add(p.exe);
  }
  return { killed, survivors, exePaths };
}

export const stopAndQuarantineFileExecutor = createStopAndQuarantineFileExecutor();
