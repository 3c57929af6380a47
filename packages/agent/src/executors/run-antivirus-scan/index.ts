/** RunAntiVirusScan (mde-api.md §4.4): a ClamAV scan, Quick or Full, with the tenant's signatures. */
import { SCAN_TYPES, type ScanType } from '@cordon/protocol';
import type { Platform } from '../../platform/types.js';
import type { ActionExecutor, ExecutorResult } from '../types.js';
import { quickLocations, readablePathError, type LocationOptions } from './locations.js';
import { writeTenantSignatures } from './signatures.js';

export interface ScanParams {
  ScanType: ScanType;
}

export const DEFAULT_SCAN_CPU_PERCENT = 50;

export interface ScanExecutorOptions {
  /** Overrides where each scan type looks (the privileged test points it at its own tree). */
  locations?: (type: ScanType, platform: Platform) => Promise<string[]>;
  quick?: LocationOptions;
}

export function createRunAntivirusScanExecutor(options: ScanExecutorOptions = {}): ActionExecutor<ScanParams> {
  const locate = options.locations ?? (async (type: ScanType, platform: Platform) => (type === 'Quick' ? quickLocations(platform, options.quick) : platform.fs.localMounts()));
  return {
    type: 'RunAntiVirusScan',
    capability: 'clamscan',
    validate(params) {
      if (params === null || typeof params !== 'object') return 'Parameters must be an object';
      const t = (params as Record<string, unknown>).ScanType;
      return (SCAN_TYPES as readonly unknown[]).includes(t) ? undefined : `ScanType must be one of ${SCAN_TYPES.join(', ')}`;
    },
    async run(params, ctx): Promise<ExecutorResult> {
      const targets = await locate(params.ScanType, ctx.platform);
      const refused = targets.map((t) => readablePathError(t, ctx.stateDir)).find(Boolean);
      if (refused) return { status: 'Failed', error: { code: 'ScanRefused', message: refused } };
      if (targets.length === 0) return { status: 'Failed', error: { code: 'ScanRefused', message: 'Nothing to scan' } };
      if (!(await ctx.platform.clamav.available())) return { status: 'Failed', error: { code: 'ScannerUnavailable', message: 'ClamAV (clamscan) is not installed' } };
      const sigDir = `${ctx.stateDir}/signatures`;
      const sigs = await writeTenantSignatures(ctx, sigDir);
      const systemDb = await ctx.platform.clamav.systemDatabaseDir();
      if (sigs.count === 0 && !systemDb) {
        return { status: 'Failed', error: { code: 'NoSignatures', message: 'No ClamAV database is installed and the tenant has no signatures: nothing to scan with' } };
      }
      const started = ctx.now();
      const cpu = Math.min(100, Math.max(1, Math.round(ctx.settings.scanCpuPercent ?? DEFAULT_SCAN_CPU_PERCENT)));
      const result = await ctx.platform.clamav.scan({
        targets,
        databaseDirs: [...(sigs.count > 0 ? [sigDir] : []), ...(systemDb ? [systemDb] : [])],
        excludeDirs: [ctx.stateDir],
        cpuPercent: cpu,
        signal: ctx.signal,
      });
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
          targets,
          errorCount: result.errors.length,
          droppedSignatures: sigs.dropped,
        },
      };
    },
  };
}

export const runAntivirusScanExecutor = createRunAntivirusScanExecutor();
