/**
 * CollectInvestigationPackage (mde-api.md §4.7, §6): builds the zip in the agent's temp dir,
 * uploads it as the action's result blob, and deletes the local copy.
 */
import type { ActionExecutor } from '../types.js';
import { buildInvestigationPackage } from './build-package.js';

export { buildInvestigationPackage, DEFAULT_COLLECTOR_MAX_BYTES, DEFAULT_COLLECTOR_TIMEOUT_MS } from './build-package.js';
export { COLLECTORS } from './collectors/index.js';
export type { Collector, CollectorContext, CollectorOutput } from './collector.js';
export { NotAvailableError } from './collector.js';

export const PACKAGE_NAME = 'InvestigationPackage.zip';

export const collectInvestigationPackage: ActionExecutor = {
  type: 'CollectInvestigationPackage',
  capability: 'collectInvestigationPackage',
  validate() {
    return undefined; // the request's only field is the Comment, which the server keeps
  },
  async run(_params, ctx) {
    const { readFs, zip } = ctx.platform;
    if (!readFs || !zip) {
      return { status: 'Failed', error: { code: 'NotSupported', message: 'this agent platform has no readFs/zip support for investigation packages' } };
    }
    const tmpDir = `${ctx.stateDir}/tmp`;
    const zipPath = `${tmpDir}/${PACKAGE_NAME.replace('.zip', '')}-${ctx.actionId}.zip`;
    await ctx.platform.fs.mkdirp(tmpDir, 0o700);
    try {
      const built = await buildInvestigationPackage({ fs: readFs, exec: ctx.platform.exec, zip, destPath: zipPath, signal: ctx.signal, now: ctx.now });
      const failed = built.rows.filter((r) => r.status === 'Failed' || r.status === 'TimedOut').length;
      ctx.log.info({ size: built.size, collectors: built.rows.length, failed }, 'investigation package built');
      const uploaded = await ctx.files.uploadResult(zipPath, { name: PACKAGE_NAME, contentType: 'application/zip', signal: ctx.signal });
      return {
        status: 'Succeeded',
        output: { blobId: uploaded.blobId, size: uploaded.size, sha256: uploaded.sha256, collectors: built.rows.length, failed },
      };
    } finally {
      await ctx.platform.fs.remove(zipPath);
    }
  },
};
