import { describe, expect, it } from 'vitest';
import { canonicalise } from './packages.js';

describe('canonicalise', () => {
  it('should resolve each directory once and map merged-/usr paths', async () => {
    const asked: string[] = [];
    const real: Record<string, string> = { '/bin': '/usr/bin', '/usr/bin': '/usr/bin', '/etc': '/etc' };
    const out = await canonicalise(['/.', '/bin/ls', '/bin/cat', '/usr/bin/ls', '/etc/x', '/gone/y', 'relative'], async (d) => {
      asked.push(d);
      return real[d];
    });
    expect(out).toEqual(['/etc/x', '/usr/bin/cat', '/usr/bin/ls']);
    expect(asked).toEqual(['/', '/bin', '/usr/bin', '/etc', '/gone']);
  });
});
