import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadFs } from './read-fs.js';
import { createZipWriter } from './zip.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cordon-readfs-'));
  mkdirSync(join(root, 'etc/d'), { recursive: true });
  writeFileSync(join(root, 'etc/big'), '0123456789');
  symlinkSync('../big', join(root, 'etc/d/link'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('createReadFs', () => {
  it('should resolve device paths under the root, never above it', () => {
    const fs = createReadFs(root);
    expect(fs.resolve('/etc/big')).toBe(join(root, 'etc/big'));
    expect(fs.resolve('/../../etc/passwd')).toBe(join(root, 'etc/passwd'));
  });

  it('should cap head and tail reads and say when it cut', async () => {
    const fs = createReadFs(root);
    expect(await fs.readFile('/etc/big', 4)).toEqual({ data: Buffer.from('0123'), truncated: true });
    expect(await fs.readFile('/etc/big', 10)).toEqual({ data: Buffer.from('0123456789'), truncated: false });
    expect(await fs.readTail('/etc/big', 3)).toEqual({ data: Buffer.from('789'), truncated: true });
    expect(await fs.readFile('/etc/missing', 4)).toBeUndefined();
  });

  it('should read /proc files whose size is reported as 0', async () => {
    const data = (await createReadFs('/').readFile('/proc/self/status', 1 << 20))!.data.toString();
    expect(data).toMatch(/^Name:/);
  });

  it('should list without following symlinks and stat either way', async () => {
    const fs = createReadFs(root);
    expect(await fs.readDir('/etc/d')).toEqual([{ name: 'link', type: 'symlink' }]);
    expect((await fs.stat('/etc/d/link', { follow: false }))?.type).toBe('symlink');
    expect((await fs.stat('/etc/d/link'))?.type).toBe('file');
    expect(await fs.readLink('/etc/d/link')).toBe('../big');
    expect(await fs.readDir('/nope')).toBeUndefined();
  });

  it('should hash up to a cap', async () => {
    const fs = createReadFs(root);
    expect(await fs.sha256('/etc/big', 100)).toBe('84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882');
    expect(await fs.sha256('/etc/big', 5)).toBeUndefined();
  });

  it('should give SHA-256 and SHA-1 from one read, with the same cap', async () => {
    const fs = createReadFs(root);
    expect(await fs.sha256AndSha1('/etc/big', 100)).toEqual({
      sha256: '84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882',
      sha1: '87acec17cd9dcd20a716cc2cf67417b71c8a7016',
    });
    expect(await fs.sha256AndSha1('/etc/big', 5)).toBeUndefined();
    expect(await fs.sha256AndSha1('/etc/nope', 100)).toBeUndefined();
  });
});

describe('createZipWriter', () => {
  it('should write directories and files that unzip lists', async () => {
    const dest = join(root, 'out.zip');
    const res = await createZipWriter().writeZip(dest, [{ name: 'A/' }, { name: 'A/x.txt', data: Buffer.from('hello') }, { name: 'top.csv', data: Buffer.from('a,b\r\n') }]);
    expect(res.size).toBeGreaterThan(0);
    expect(execFileSync('unzip', ['-Z1', dest], { encoding: 'utf8' })).toBe('A/\nA/x.txt\ntop.csv\n');
    expect(execFileSync('unzip', ['-p', dest, 'A/x.txt'], { encoding: 'utf8' })).toBe('hello');
  });
});
