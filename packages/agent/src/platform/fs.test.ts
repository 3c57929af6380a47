import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
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
