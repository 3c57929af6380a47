/**
 * Disk full and read-only state directory on the agent, for real: the journal scenario
 * (support/journal-faults-scenario.ts) runs in a private mount namespace on a 1 MiB tmpfs. The
 * journal is what keeps an action from running twice, so a write it cannot make must fail loudly
 * (the runner then neither accepts nor runs the action), leave the previous journal intact and no
 * debris behind, and work again once space returns. Needs root and unshare; skipped otherwise (a failure under
 * CORDON_REQUIRE_PRIVILEGED=1).
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
const skip = skipUnlessAble('agent journal storage faults', !isRoot ? 'not running as root' : existsSync('/usr/bin/unshare') ? undefined : 'unshare missing (util-linux)');
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('agent journal storage faults', () => {
  it.skipIf(skip)('should refuse journal writes on a full or read-only disk with ENOSPC/EROFS, keep the last good journal, and recover', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-agent-disk-'));
    try {
      const out = execFileSync(
        'unshare',
        ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0" && exec "$@"', dir, process.execPath, '--import', 'tsx', '--import', join(root, 'e2e/support/register.mjs'), join(root, 'packages/agent/test/support/journal-faults-scenario.ts'), dir],
        { cwd: root, encoding: 'utf8', timeout: 60_000 },
      );
      expect(JSON.parse(/^REPORT (.*)$/m.exec(out)![1]!)).toEqual({
        fillError: 'ENOSPC',
        putWhenFull: 'ENOSPC',
        onDiskWhenFull: ['a'],
        leftoversWhenFull: [],
        putAfterFree: 'ok',
        reopenedAfterFree: ['a', 'b'],
        putWhenReadOnly: 'EROFS',
        reopenedWhenReadOnly: ['a', 'b'],
        putAfterRw: 'ok',
        onDiskAtEnd: ['a', 'b', 'c'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
