/**
 * Disk full and read-only data directory on the server, for real: the scenario
 * (support/storage-faults-scenario.ts) runs in a private mount namespace on a 16 MiB tmpfs, fills
 * it, frees it, and makes it read-only, with API calls at each step. Needs root and unshare;
 * skipped with a printed reason otherwise
 * (a failure under CORDON_REQUIRE_PRIVILEGED=1). The host's file systems are never touched.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipUnlessAble } from '../../../e2e/support/require-privileged.js';

const isRoot = process.getuid?.() === 0;
// A private mount namespace needs root and unshare.
const skip = skipUnlessAble('server storage faults', !isRoot ? 'not running as root' : existsSync('/usr/bin/unshare') ? undefined : 'unshare missing (util-linux)');
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('server storage faults', () => {
  it.skipIf(skip)('should answer 503 while the disk is full, lose nothing, recover when space returns, and name a read-only data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-disk-'));
    try {
      const out = execFileSync(
        'unshare',
        ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=16m tmpfs "$0" && exec "$@"', dir, process.execPath, '--import', 'tsx', '--import', join(root, 'e2e/support/register.mjs'), join(root, 'packages/server/test/support/storage-faults-scenario.ts'), dir],
        { cwd: root, encoding: 'utf8', timeout: 120_000 },
      );
      const report = JSON.parse(/^REPORT (.*)$/m.exec(out)![1]!) as Record<string, unknown> & { fullWrites: { status: number; body?: { error: { code: string } } }[] };
      expect(report.before).toEqual({ status: 201 });
      expect(report.fillError).toBe('ENOSPC');
      // Writes keep succeeding while SQLite has free pages, then fail cleanly with 503.
      const refused = report.fullWrites.filter((w) => w.status !== 201);
      expect(refused.length).toBeGreaterThan(0);
      for (const w of refused) expect(w).toEqual({ status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Service unavailable', target: expect.any(String) } } });
      expect(report.fullRead).toBe(200); // reads still work on a full disk
      expect(report.afterFree).toEqual({ status: 201 });
      expect(report.integrityAfterFull).toBe('ok');
      expect(report.acceptedAll).toBe(true);
      expect(report.storedCount).toBe(report.acceptedCount); // no refused create left a row
      expect(report.openReadOnly).toMatch(/data directory .* is not writable \(EROFS\)/);
      expect(report.integrityAfterRo).toBe('ok');
      expect(report.storedAfterRo).toBe(report.acceptedCount);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
