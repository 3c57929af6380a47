/**
 * RestoreQuarantinedFile (Cordon extension): puts every quarantined copy of the SHA-1 back
 * exactly as it was (content, owner, mode, timestamps). It never overwrites a different file that
 * now sits at the original path: that copy stays in quarantine and the result says so.
 */
import { dirname } from 'node:path';
import type { ActionExecutor, ExecutorResult } from '../types.js';
import { listQuarantined, QUARANTINE_KEY, quarantineDir, sha1ParamError } from '../stop-and-quarantine-file/quarantine-store.js';
import type { Sha1Params } from '../stop-and-quarantine-file/index.js';

export const restoreQuarantinedFileExecutor: ActionExecutor<Sha1Params> = {
  type: 'RestoreQuarantinedFile',
  capability: 'proc',
  validate: sha1ParamError,
  async run(params, ctx): Promise<ExecutorResult> {
    const sha1 = params.Sha1.toLowerCase();
    const dir = quarantineDir(ctx.stateDir, sha1);
    const fs = ctx.platform.fs;
    const restored: string[] = [];
    const alreadyPresent: string[] = [];
    const conflicts: { path: string; reason: string }[] = [];
    for (const { n, record } of await listQuarantined(ctx, sha1)) {
      const existing = await fs.lstat(record.path);
      if (existing) {
        const same = existing.isFile && (await fs.hashFile(record.path, ['sha1']).catch(() => undefined))?.sha1 === sha1;
        if (!same) {
          conflicts.push({ path: record.path, reason: 'a different file now exists at this path' });
          continue;
        }
        alreadyPresent.push(record.path);
      } else {
        await fs.mkdirp(dirname(record.path), 0o755);
        const tmp = `${dirname(record.path)}/.cordon-restore-${sha1.slice(0, 8)}-${n}`;
        await fs.remove(tmp);
        await fs.decodeCopy(`${dir}/${n}.bin`, tmp, QUARANTINE_KEY);
        await fs.setMetadata(tmp, record);
        await fs.rename(tmp, record.path); // rename keeps mode, owner and times
        restored.push(record.path);
      }
      await fs.remove(`${dir}/${n}.bin`);
      await fs.remove(`${dir}/${n}.json`);
    }
    if ((await fs.readDir(dir)).length === 0) await fs.remove(dir);
    const output = {
      sha1, restored, alreadyPresent, conflicts,
      message: restored.length + alreadyPresent.length + conflicts.length === 0 ? 'Nothing with this SHA-1 is in quarantine' : `Restored ${restored.length} file(s)`,
    };
    if (conflicts.length > 0) return { status: 'Failed', error: { code: 'RestoreConflict', message: `${conflicts.length} file(s) left in quarantine: ${conflicts.map((c) => c.path).join(', ')}` }, output };
    return { status: 'Succeeded', output };
  },
};
