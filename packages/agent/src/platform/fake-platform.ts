/**
 * A platform for unit tests: every OS-facing member records what it was asked and answers from
 * data the test set. Files are real (node:fs in the test's temp dir), because executors' file logic
 * (quarantine encoding, atomic state) is exactly what those tests must exercise.
 */
import { DEFAULT_TENANT_SETTINGS, toAgentSettings, type TenantSettings } from '@cordon/protocol';
import type { ExecutorContext } from '../executors/types.js';
import { createPlatformFs } from './fs.js';
import { createHashScanner } from './hash-scan.js';
import { createLiveFs } from './live-fs.js';
import { createReadFs } from './read-fs.js';
import type { ClamScanRequest, ClamScanResult, ExecGuardStart, HashScanRequest, Platform } from './types.js';

export interface FakeProcess {
  pid: number;
  exe: string;
  /** File whose content stands for /proc/<pid>/exe. */
  exeFile: string;
  alive: boolean;
}

export interface FakePlatform extends Platform {
  calls: {
    nft: string[];
    notify: { title: string; body: string }[];
    kills: { pid: number; signal: string }[];
    scans: ClamScanRequest[];
    guardStarts: ExecGuardStart[];
    guardStops: number[];
    probes: { host: string; port: number }[];
    /** Hash scans asked for (the real hasher runs over the test's temp files). */
    hashScans: HashScanRequest[];
    /** Pauses the hash scanner took to hold the CPU share, total ms per scan (virtual: never slept). */
    hashPausedMs: number[];
  };
  state: {
    /** Results nft.apply returns, consumed in order; default ok. */
    nftResults: { ok: boolean; stderr: string }[];
    tables: Set<string>;
    dns: Record<string, string[]>;
    resolvers: string[];
    /** Probe answers, consumed in order; default true. */
    reachable: boolean[];
    processes: FakeProcess[];
    /** Processes that ignore SIGKILL (to test verification). */
    unkillable: Set<number>;
    scanResult: ClamScanResult | ((req: ClamScanRequest) => Promise<ClamScanResult>);
    systemDb?: string;
    clamAvailable: boolean;
    guardRunning: Set<number>;
    nextGuardPid: number;
    guardStartError?: string;
    packageFiles: string[];
    runtimeFiles: string[];
    localMounts: string[];
    /** CPU microseconds the hash scanner's virtual clock adds per reading (default 0: never paced). */
    cpuMicrosStep: number;
  };
}

export function createFakePlatform(): FakePlatform {
  const calls: FakePlatform['calls'] = { nft: [], notify: [], kills: [], scans: [], guardStarts: [], guardStops: [], probes: [], hashScans: [], hashPausedMs: [] };
  const state: FakePlatform['state'] = {
    nftResults: [],
    tables: new Set(),
    dns: {},
    resolvers: [],
    reachable: [],
    processes: [],
    unkillable: new Set(),
    scanResult: { engine: 'clamscan', scannedFiles: 0, scannedBytes: 0, detections: [], errors: [] },
    clamAvailable: true,
    guardRunning: new Set(),
    nextGuardPid: 4242,
    packageFiles: [],
    runtimeFiles: [],
    localMounts: ['/'],
    cpuMicrosStep: 0,
  };
  const realFs = createPlatformFs();

  return {
    calls,
    state,
    exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    probe: async () => ({ nft: true, clamscan: true, fanotify: true, dpkg: true }),
    fs: { ...realFs, localMounts: async () => state.localMounts },
    // Reads are real, like the files above: console listings work in e2e runs on the fake platform.
    liveFs: createLiveFs(),
    // The same for /proc and /etc (read-only): the console's processes, connections and persistence
    // show the test host's, so the web console and `cordon live shell` e2e runs can list them.
    readFs: createReadFs('/'),
    nft: {
      async apply(script) {
        calls.nft.push(script);
        return state.nftResults.shift() ?? { ok: true, stderr: '' };
      },
      listTable: async (_family, name) => (state.tables.has(name) ? `table inet ${name} {}` : undefined),
    },
    net: {
      resolve: async (host) => state.dns[host] ?? (/^[\d.]+$|:/.test(host) ? [host] : []),
      resolvers: async () => state.resolvers,
      async tcpProbe(host, port) {
        calls.probes.push({ host, port });
        return state.reachable.shift() ?? true;
      },
    },
    proc: {
      selfPid: 1000,
      list: async () => state.processes.filter((p) => p.alive).map(({ pid, exe }) => ({ pid, exe })),
      exePath: (pid) => state.processes.find((p) => p.pid === pid)?.exeFile ?? `/nonexistent/${pid}`,
      async kill(pid, signal) {
        calls.kills.push({ pid, signal });
        const p = state.processes.find((x) => x.pid === pid);
        if (p && signal === 'SIGKILL' && !state.unkillable.has(pid)) p.alive = false;
        return p !== undefined;
      },
      isAlive: async (pid) => state.processes.some((p) => p.pid === pid && p.alive),
    },
    clamav: {
      available: async () => state.clamAvailable,
      systemDatabaseDir: async () => state.systemDb,
      async scan(req) {
        calls.scans.push(req);
        req.signal.throwIfAborted();
        return typeof state.scanResult === 'function' ? state.scanResult(req) : state.scanResult;
      },
    },
    hashScan: {
      async scan(req) {
        calls.hashScans.push(req);
        // The real hasher over the test's temp files, on a virtual clock (pauses are not slept).
        const r = await createHashScanner({ simulateCpuMicrosPerReading: state.cpuMicrosStep }).scan(req);
        calls.hashPausedMs.push(r.pausedMs);
        return r;
      },
    },
    execGuard: {
      available: async () => true,
      async start(opts) {
        calls.guardStarts.push(opts);
        if (state.guardStartError) throw new Error(state.guardStartError);
        const pid = state.nextGuardPid++;
        state.guardRunning.add(pid);
        return { pid };
      },
      isRunning: async (pid) => state.guardRunning.has(pid),
      async stop(pid) {
        calls.guardStops.push(pid);
        state.guardRunning.delete(pid);
      },
    },
    packages: {
      packageOwnedFiles: async () => state.packageFiles,
      runtimeFiles: async () => state.runtimeFiles,
    },
    notify: {
      async notifyUsers(title, body) {
        calls.notify.push({ title, body });
      },
    },
  };
}

/** An ExecutorContext over a fake platform for executor unit tests (time fixed, logs captured). */
export function makeTestContext(
  platform: Platform,
  overrides: Omit<Partial<ExecutorContext>, 'settings'> & { stateDir: string; settings?: Partial<TenantSettings> },
): ExecutorContext & { logs: { level: string; msg?: string; obj: Record<string, unknown> }[] } {
  const logs: { level: string; msg?: string; obj: Record<string, unknown> }[] = [];
  const log = (level: string) => (obj: Record<string, unknown>, msg?: string) => void logs.push({ level, obj, msg });
  return {
    actionId: 'action-1',
    signal: new AbortController().signal,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    platform,
    files: {
      downloadLibraryFile: async () => {
        throw new Error('not in this test');
      },
      uploadResult: async () => {
        throw new Error('not in this test');
      },
    },
    now: () => 1_700_000_000_000,
    serverUrls: () => ['https://cordon.example'],
    progress: () => undefined,
    logs,
    ...overrides,
    // Through the server's own conversion: a test can set only what the server sends.
    settings: toAgentSettings({ ...DEFAULT_TENANT_SETTINGS, ...overrides.settings }),
  };
}
