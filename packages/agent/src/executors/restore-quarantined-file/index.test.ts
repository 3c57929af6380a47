import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { createStopAndQuarantineFileExecutor } from '../stop-and-quarantine-file/index.js';
import { restoreQuarantinedFileExecutor as restore } from './index.js';

describe('restoreQuarantinedFileExecutor', () => {
  let root: string;
  let state: string;
  let p: FakePlatform;
  let sha1: string;
  const file = () => join(root, 'tmp/tool');
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cordon-rqf-'));
    state = join(root, 'state');
    await mkdir(join(root, 'tmp'), { recursive: true });
    await mkdir(state);
    const bytes = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 0, 255]);
    await writeFile(file(), bytes);
    await chmod(file(), 0o4751);
    await utimes(file(), 1_500_000_000, 1_500_000_500);
    p = createFakePlatform();
    sha1 = createHash('sha1').update(bytes).digest('hex');
    await createStopAndQuarantineFileExecutor({ quick: { root }, killWaitMs: 0 }).run({ Sha1: sha1 }, makeTestContext(p, { stateDir: state }));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('should refuse a malformed Sha1', () => {
    expect(restore.validate({ Sha1: '../../etc/passwd' })).toBe('Sha1 must be 40 hexadecimal characters');
  });

  it('should put the file back byte-identical with its mode and times, and empty the store', async () => {
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    const r = await restore.run({ Sha1: sha1 }, makeTestContext(p, { stateDir: state }));
    expect(r).toEqual({ status: 'Succeeded', output: { sha1, restored: [file()], alreadyPresent: [], conflicts: [], message: 'Restored 1 file(s)' } });
    const st = await stat(file()); // before reading it, which moves atime
    expect([...(await readFile(file()))]).toEqual([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 0, 255]);
    expect(st.mode & 0o7777).toBe(0o4751);
    expect(st.mtimeMs).toBe(1_500_000_500_000);
    expect(st.atimeMs).toBe(1_500_000_000_000);
    expect(await readdir(join(state, 'quarantine'))).toEqual([]);
  });

  it('should not overwrite a different file now at the path, and keep the copy in quarantine', async () => {
    await writeFile(file(), 'someone else');
    const r = await restore.run({ Sha1: sha1 }, makeTestContext(p, { stateDir: state }));
    expect(r).toMatchObject({ status: 'Failed', error: { code: 'RestoreConflict' }, output: { conflicts: [{ path: file(), reason: 'a different file now exists at this path' }] } });
    expect(await readFile(file(), 'utf8')).toBe('someone else');
    expect(await readdir(join(state, 'quarantine', sha1))).toEqual(['0.bin', '0.json']);
  });

  it('should say when nothing is in quarantine', async () => {
    const r = await restore.run({ Sha1: 'e'.repeat(40) }, makeTestContext(p, { stateDir: state }));
    expect(r).toMatchObject({ status: 'Succeeded', output: { message: 'Nothing with this SHA-1 is in quarantine' } });
  });
});
