/**
 * RunAntiVirusScan (mde-api.md §4.4): a scan, Quick or Full, with the built-in signatures, the
 * tenant's, and the ClamAV databases when installed. The tenant's scan exclusions (directories and
 * files) are never read by either scanner, and the result lists them (`excluded`).
 */
import { SCAN_TYPES, type AvSignatureSource, type ScanType } from '@cordon/protocol';
import type { ClamScanRequest, ClamScanResult, Platform } from '../../platform/types.js';
import type { ActionExecutor, ExecutorResult } from '../types.js';
import { fullLocations, isUnder, quickLocations, readablePathError, scanExclusions, type LocationOptions } from './locations.js';
import { buildHashIndex, CLAMAV_MIN_FILE_SIZE, isClamAvContainer } from './hash-signatures.js';
import { writeScanSignatures, type ScanSignatures } from './signatures.js';

export interface ScanParams {
  ScanType: ScanType;
}

export const DEFAULT_SCAN_CPU_PERCENT = 50;

/**
 * The tenant's scan CPU share is of the whole machine, like MDE's average CPU load factor (50% by
 * default). Both scanners (clamscan, the hash worker) run on one thread, so they get
 * `share × cores` of one CPU, capped at a whole CPU: on 2 cores the default no longer slows a scan,
 * on 1 core it halves its speed.
 * @example scannerCpuPercent(50, 2) === 100; scannerCpuPercent(50, 1) === 50; scannerCpuPercent(10, 4) === 40
 */
export function scannerCpuPercent(machinePercent: number, cores: number): number {
  const share = Math.min(100, Math.max(1, machinePercent));
  return Math.min(100, Math.max(1, Math.round(share * Math.max(1, Math.floor(cores)))));
}

export interface ScanExecutorOptions {
  /** Overrides where each scan type looks (the privileged test points it at its own tree). */
  locations?: (type: ScanType, platform: Platform, stateDir: string) => Promise<string[]>;
  quick?: LocationOptions;
}

export function createRunAntivirusScanExecutor(options: ScanExecutorOptions = {}): ActionExecutor<ScanParams> {
  const locate = options.locations ?? (async (type: ScanType, platform: Platform, stateDir: string) => (type === 'Quick' ? quickLocations(platform, options.quick) : fullLocations(platform, stateDir)));
  return {
    type: 'RunAntiVirusScan',
    capability: 'clamscan',
    validate(params) {
      if (params === null || typeof params !== 'object') return 'Parameters must be an object';
      const t = (params as Record<string, unknown>).ScanType;
      return (SCAN_TYPES as readonly unknown[]).includes(t) ? undefined : `ScanType must be one of ${SCAN_TYPES.join(', ')}`;
    },
    async run(params, ctx): Promise<ExecutorResult> {
      const targets = await locate(params.ScanType, ctx.platform, ctx.stateDir);
      const refused = targets.map((t) => readablePathError(t, ctx.stateDir)).find(Boolean);
      if (refused) return { status: 'Failed', error: { code: 'ScanRefused', message: refused } };
      if (targets.length === 0) return { status: 'Failed', error: { code: 'ScanRefused', message: 'Nothing to scan' } };
      const excluded = scanExclusions(ctx.settings.scanExclusions);
      // A location inside an exclusion is left out here: handed to a scanner as a target it would be read.
      const scanned = targets.filter((t) => !excluded.some((x) => isUnder(t, x)));
      if (scanned.length === 0) return { status: 'Failed', error: { code: 'ScanRefused', message: "Every location of this scan is in the tenant's scan exclusions" } };
      if (!(await ctx.platform.clamav.available())) return { status: 'Failed', error: { code: 'ScannerUnavailable', message: 'ClamAV (clamscan) is not installed' } };
      const sigDir = `${ctx.stateDir}/signatures`;
      const sigs = await writeScanSignatures(ctx, sigDir);
      const systemDb = await ctx.platform.clamav.systemDatabaseDir();
      const signatureSources: AvSignatureSource[] = ['builtin', ...(sigs.tenantCount > 0 ? (['tenant'] as const) : []), ...(systemDb ? (['clamav'] as const) : [])];
      const started = ctx.now();
      const cpu = scannerCpuPercent(ctx.settings.scanCpuPercent ?? DEFAULT_SCAN_CPU_PERCENT, ctx.platform.cpuCount?.() ?? 1);
      const req: ClamScanRequest = {
        targets: scanned,
        databaseDirs: [sigDir, ...(systemDb ? [systemDb] : [])],
        excludePaths: [ctx.stateDir, ...excluded],
        cpuPercent: cpu,
        signal: ctx.signal,
      };
      // Hash-only signature sets are matched by the agent (hash-signatures.ts says why); YARA rules
      // and the official databases need the ClamAV engine, which then matches the hashes as well.
      const hashOnly = sigs.yaraCount === 0 && !systemDb && ctx.platform.hashScan !== undefined;
      const result: ScanOutcome = hashOnly ? await hashScan(ctx.platform, req, sigs) : await ctx.platform.clamav.scan(req);
      const detections = [];
      for (const d of result.detections) {
        const st = await ctx.platform.fs.lstat(d.path);
        const h = st?.isFile ? await ctx.platform.fs.hashFile(d.path, ['sha1', 'sha256']).catch(() => undefined) : undefined;
        detections.push({ path: d.path, sha1: h?.sha1 ?? null, sha256: h?.sha256 ?? null, size: st?.size ?? null, signatureName: d.signature });
      }
      return {
        status: 'Succeeded',
        output: {
          scanType: params.ScanType,
          engine: result.engine,
          scannedFiles: result.scannedFiles,
          scannedBytes: result.scannedBytes,
          durationMs: ctx.now() - started,
          cpuPercent: cpu,
          detectionCount: detections.length,
          detections,
          targets: scanned,
          excluded,
          errorCount: result.errors.length,
          droppedSignatures: sigs.dropped,
          signatureSources,
        },
      };
    },
  };
}

/** Paths per clamscan run for the containers of a hash-only scan (keeps argv well under ARG_MAX). */
const CONTAINER_BATCH = 200;

/** A scan's result; `engine` is `clamscan`, `hash`, or `hash+clamscan` (containers handed over). */
type ScanOutcome = Omit<ClamScanResult, 'engine'> & { engine: string };

/**
 * A hash-only scan: every file's own hashes matched here; files ClamAV would unpack (archives, PE,
 * OLE2, PDF...) and that did not match on their own hash go to clamscan with the same database, so
 * their members are matched exactly as before. Same result shape as a clamscan run.
 */
async function hashScan(platform: Platform, req: ClamScanRequest, sigs: ScanSignatures): Promise<ScanOutcome> {
  const index = buildHashIndex(sigs.hashes);
  const detections: ClamScanResult['detections'] = [];
  const containers: string[] = [];
  const r = await platform.hashScan!.scan({
    targets: req.targets,
    excludePaths: req.excludePaths,
    algorithms: index.algorithms,
    sizes: index.sizes,
    cpuPercent: req.cpuPercent,
    signal: req.signal,
    onFile({ path, size, head, hashes }) {
      const name = hashes && index.match(size, hashes);
      if (name) detections.push({ path, signature: name });
      else if (size >= CLAMAV_MIN_FILE_SIZE && isClamAvContainer(head)) containers.push(path);
    },
  });
  const errors = [...r.errors];
  let engine = 'hash';
  for (let i = 0; i < containers.length; i += CONTAINER_BATCH) {
    engine = 'hash+clamscan';
    const c = await platform.clamav.scan({ ...req, targets: containers.slice(i, i + CONTAINER_BATCH) });
    detections.push(...c.detections);
    errors.push(...c.errors);
  }
  return { engine, scannedFiles: r.scannedFiles, scannedBytes: r.scannedBytes, detections, errors };
}

export const runAntivirusScanExecutor = createRunAntivirusScanExecutor();
