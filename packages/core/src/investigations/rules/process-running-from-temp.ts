import type { Rule } from '../rule.js';
import { inTempDir, PACKAGE_FILES, processRows, stripDeleted, cap } from '../linux-facts.js';

export const rule: Rule = {
  id: 'process-running-from-temp',
  title: 'Process running from a temporary directory',
  severity: 'High',
  category: 'Execution',
  rationale:
    'Droppers and cryptominers run payloads from /tmp, /var/tmp and /dev/shm because any user can write there and ' +
    'they are often tmpfs (gone at reboot). Packages never install executables there, so a false positive is an ' +
    'admin running a one-off binary from /tmp: rare, and worth a look anyway.',
  mitreTechniques: ['T1059', 'T1036.005'],
  evaluate(pkg) {
    return processRows(pkg)
      .filter((p) => p.executable && inTempDir(stripDeleted(p.executable)))
      .map((p) => ({
        description: `Process ${p.pid} (${p.user}) runs ${stripDeleted(p.executable)}, which is in a world-writable temporary directory.`,
        packagePath: PACKAGE_FILES.processes,
        filePath: stripDeleted(p.executable),
        processId: p.pid,
        commandLine: cap(p.commandLine),
        accountName: p.user,
        sha256: p.sha256 || null,
        sha1: p.sha1 || null,
        detail: cap(p.raw),
      }));
  },
};
