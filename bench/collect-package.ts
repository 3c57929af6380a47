/**
 * Builds the investigation package on this host N times (default 10) and prints p50/max seconds
 * and the zip size. The target (issue: collect investigation package) is under 5 s per package.
 *
 *   npx tsx bench/collect-package.ts [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInvestigationPackage } from '../packages/agent/src/executors/collect-investigation-package/index.js';
import { createExec } from '../packages/agent/src/platform/exec.js';
import { createReadFs } from '../packages/agent/src/platform/read-fs.js';
import { createZipWriter } from '../packages/agent/src/platform/zip.js';

const runs = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-'));
const seconds: number[] = [];
let last = { size: 0, rows: [] as { dataPoint: string; status: string; durationMs: number }[] };
try {
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await buildInvestigationPackage({
      fs: createReadFs('/'),
      exec: createExec(),
      zip: createZipWriter(),
      destPath: join(dir, `package-${i}.zip`),
      signal: new AbortController().signal,
      now: Date.now,
    });
    seconds.push((performance.now() - t0) / 1000);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
seconds.sort((a, b) => a - b);
const p50 = seconds[Math.floor((seconds.length - 1) / 2)];
const slowest = [...last.rows].sort((a, b) => b.durationMs - a.durationMs).slice(0, 3);
console.log(`collect-package: runs=${runs} p50=${p50.toFixed(3)}s max=${seconds[seconds.length - 1].toFixed(3)}s zip=${last.size} bytes (${(last.size / 1024 / 1024).toFixed(2)} MiB)`);
console.log(`statuses: ${Object.entries(last.rows.reduce<Record<string, number>>((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {})).map(([k, v]) => `${k}=${v}`).join(' ')}`);
console.log(`slowest collectors (last run): ${slowest.map((r) => `${r.dataPoint} ${r.durationMs} ms`).join(', ')}`);
