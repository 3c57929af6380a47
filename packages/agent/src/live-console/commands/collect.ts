/**
 * `collect`: builds the investigation package with the CollectInvestigationPackage executor and
 * uploads it as the result of the command's MachineAction (command index 0, like getfile's file),
 * reporting resultFile.
 */
import { collectInvestigationPackage, PACKAGE_NAME } from '../../executors/collect-investigation-package/index.js';
import type { ServerFiles } from '../../executors/types.js';
import { failed, type LiveCommandModule } from '../types.js';

export const collect: LiveCommandModule = {
  async run(ctx) {
    if (!ctx.actionId) return failed('collect needs the action recording it (the server sent none)');
    const ectx = ctx.executorContext();
    // The console's action records the package as its command 0's file (today's result slots: a
    // LiveResponse action's results are per command, as application/octet-stream files).
    const files: ServerFiles = { ...ectx.files, uploadResult: (src, o) => ectx.files.uploadResult(src, { ...o, commandIndex: 0, contentType: 'application/octet-stream' }) };
    ctx.write('Collecting the investigation package...\n');
    const result = await collectInvestigationPackage.run({}, { ...ectx, files });
    if (result.status === 'Failed') return failed(result.error.message);
    const out = result.output as { size: number; sha256: string; collectors: number; failed: number };
    ctx.write(`Uploaded ${PACKAGE_NAME}: ${out.size} bytes, sha256 ${out.sha256} (${out.collectors} data points, ${out.failed} failed)\n`);
    return { resultFile: { name: PACKAGE_NAME, size: out.size, sha256: out.sha256 } };
  },
};
