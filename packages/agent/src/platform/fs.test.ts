import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformFs } from './fs.js';

describe('createPlatformFs', () => {
  const fs = createPlatformFs();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-fs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should write atomically with the exact mode', async () => {
    await fs.writeFileAtomic(join(dir, 'a.json'), '{}', 0o600);
    expect((await stat(join(dir, 'a.json'))).mode & 0o777).toBe(0o600);
    expect(await fs.readText(join(dir, 'a.json'))).toBe('{}');
    expect(await fs.readText(join(dir, 'missing'))).toBeUndefined();
  });

  it('should round-trip encodeCopy/decodeCopy and the encoded copy differs', async () => {
    const data = Buffer.from('\x7fELF binary payload');
    await writeFile(join(dir, 'f'), data);
    await fs.encodeCopy(join(dir, 'f'), join(dir, 'f.bin'), 0xa5);
    const enc = await readFile(join(dir, 'f.bin'));
    expect(enc.equals(data)).toBe(false);
    expect(enc.subarray(0, 4).toString('latin1')).not.toBe('\x7fELF');
    expect((await stat(join(dir, 'f.bin'))).mode & 0o777).toBe(0o600);
    await fs.decodeCopy(join(dir, 'f.bin'), join(dir, 'g'), 0xa5);
    expect((await readFile(join(dir, 'g'))).equals(data)).toBe(true);
  });

  it('should snapshot a procfs file (st_size 0) in one read, with the hash of exactly what it holds', async () => {
    expect((await stat('/proc/self/status')).size).toBe(0);
    const dest = join(dir, 'status');
    const snap = await fs.snapshotFile('/proc/self/status', dest, { maxBytes: 1024 * 1024 });
    const copy = await readFile(dest);
    expect(copy.toString()).toMatch(/^Name:\t.+\n[\s\S]*\nPid:\t\d+\n/);
    expect(snap).toEqual({ ok: true, size: copy.length, sha256: createHash('sha256').update(copy).digest('hex') });
    expect((await stat(dest)).mode & 0o777).toBe(0o600);
  });

  it('should stop a snapshot past maxBytes even when st_size says 0, and leave no copy', async () => {
    expect(await fs.snapshotFile('/proc/self/status', join(dir, 'status'), { maxBytes: 16 })).toEqual({ ok: false, reason: 'TooLarge' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('should never overwrite an existing snapshot destination', async () => {
    await writeFile(join(dir, 'src'), 'new');
    await writeFile(join(dir, 'dest'), 'mine');
    await expect(fs.snapshotFile(join(dir, 'src'), join(dir, 'dest'), { maxBytes: 10 })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(dir, 'dest'), 'utf8')).toBe('mine');
  });

  it('should walk regular files without following symlinks', async () => {
    await writeFile(join(dir, 'x'), 'x');
    await symlink('/etc', join(dir, 'link'));
    const found: string[] = [];
    for await (const f of fs.walkFiles([dir, join(dir, 'nope')], {})) found.push(f.path);
    expect(found).toEqual([join(dir, 'x')]);
  });

  it('should hash with several algorithms at once', async () => {
    await writeFile(join(dir, 'h'), 'abc');
    expect(await fs.hashFile(join(dir, 'h'), ['sha1', 'sha256'])).toEqual({
      sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });
});
