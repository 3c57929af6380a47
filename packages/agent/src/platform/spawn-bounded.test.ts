import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnBounded } from './spawn-bounded.js';

/** Running, as opposed to gone or a zombie (orphans may wait for an init that does not reap). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/**
 * The output pipes close while the killed process is still finishing its exit (files are released
 * before it turns zombie), so poll briefly for the state the kernel reaches next.
 */
async function goneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 10));
  return !alive(pid);
}

describe('spawnBounded', () => {
  it('should pass argv verbatim, with only the given environment', async () => {
    const res = await spawnBounded('/bin/sh', ['-c', 'printf "%s|" "$@"; printf "%s" "$ONLY"; echo err >&2; exit 4', 'sh', 'a b', '$HOME', ''], { env: { ONLY: 'yes' } });
    expect(res).toEqual({
      exitCode: 4, signal: null, stdout: Buffer.from('a b|$HOME||yes'), stderr: Buffer.from('err\n'),
      stdoutTruncated: false, stderrTruncated: false, timedOut: false, aborted: false,
    });
  });

  it('should keep only maxOutputBytes per stream and flag the cut', async () => {
    const res = await spawnBounded('/bin/sh', ['-c', 'head -c 5000 /dev/zero'], { maxOutputBytes: 100 });
    expect([res.stdout.length, res.stdoutTruncated, res.stderrTruncated]).toEqual([100, true, false]);
  });

  it('should kill the whole process group on timeout', async () => {
    // The grandchild would outlive a plain kill of the shell.
    const res = await spawnBounded('/bin/sh', ['-c', 'sleep 1000 & echo $!; wait'], { timeoutMs: 200, killGraceMs: 100 });
    expect(res.timedOut).toBe(true);
    expect(await goneSoon(Number(res.stdout.toString().trim()))).toBe(true);
  });

  it('should kill what the program left running when it exits', async () => {
    const res = await spawnBounded('/bin/sh', ['-c', 'sleep 1000 & echo $!']);
    expect(res.exitCode).toBe(0);
    expect(await goneSoon(Number(res.stdout.toString().trim()))).toBe(true);
  });

  it('should stop when aborted and say so', async () => {
    const c = new AbortController();
    c.abort();
    const res = await spawnBounded('/bin/sh', ['-c', 'sleep 1000'], { signal: c.signal, killGraceMs: 100 });
    expect(res.aborted).toBe(true);
    expect(['SIGTERM', 'SIGKILL']).toContain(res.signal);
  });

  it('should reject with ENOENT when the program does not exist', async () => {
    await expect(spawnBounded('/nonexistent/pwsh', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
