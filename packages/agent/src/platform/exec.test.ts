import { describe, expect, it } from 'vitest';
import { createExec } from './exec.js';

describe('createExec', () => {
  it('should pass argv without a shell and feed stdin', async () => {
    const exec = createExec();
    const r = await exec('cat', ['-'], { input: 'a; echo $HOME' });
    expect(r).toEqual({ exitCode: 0, stdout: 'a; echo $HOME', stderr: '' });
  });

  it('should report a missing program as exit 127', async () => {
    const r = await createExec()('cordon-no-such-program', []);
    expect(r.exitCode).toBe(127);
  });

  it('should keep only maxOutputBytes of output', async () => {
    const r = await createExec()('head', ['-c', '5000', '/dev/zero'], { maxOutputBytes: 10 });
    expect(r.stdout.length).toBe(10);
  });

  it('should run through the prefix when one is set', async () => {
    const r = await createExec({ prefix: ['env', 'CORDON_X=1'] })('printenv', ['CORDON_X']);
    expect(r.stdout).toBe('1\n');
  });

  it('should reject when the signal aborts', async () => {
    const ac = new AbortController();
    const p = createExec()('sleep', ['30'], { signal: ac.signal });
    ac.abort(new Error('cancelled'));
    await expect(p).rejects.toThrow('cancelled');
  });
});
