/**
 * `scan [path]`: the RunAntiVirusScan executor — a Quick scan of the device, or a custom scan of the
 * path — with its detections as a table.
 */
import { createRunAntivirusScanExecutor, runAntivirusScanExecutor } from '../../executors/run-antivirus-scan/index.js';
import { renderTable, resolvePath } from './format.js';
import { failed, type LiveCommandModule } from '../types.js';

export const SCAN_COLUMNS = ['path', 'signatureName', 'sha1', 'sha256', 'size'];

interface Detection { path: string; signatureName: string; sha1: string | null; sha256: string | null; size: number | null }

export const scan: LiveCommandModule = {
  async run(ctx) {
    const path = ctx.argv[0] === undefined ? undefined : resolvePath(ctx.cwd, ctx.argv[0]);
    if (path && !(await ctx.platform.fs.lstat(path))) return failed(`${path} does not exist`);
    const executor = path ? createRunAntivirusScanExecutor({ locations: async () => [path] }) : runAntivirusScanExecutor;
    ctx.write(path ? `Scanning ${path}...\n` : 'Quick scan of the device...\n');
    const result = await executor.run({ ScanType: 'Quick' }, ctx.executorContext());
    if (result.status === 'Failed') return failed(result.error.message);
    const out = result.output as { scannedFiles: number; detections: Detection[]; engine: string };
    const table = { columns: SCAN_COLUMNS, rows: out.detections.map((d) => [d.path, d.signatureName, d.sha1, d.sha256, d.size]) };
    if (table.rows.length > 0) ctx.write(renderTable(table));
    ctx.write(`${out.scannedFiles} files scanned (${out.engine}), ${out.detections.length} detections\n`);
    return { table };
  },
};
