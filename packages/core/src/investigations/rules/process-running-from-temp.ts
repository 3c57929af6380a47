import type { Rule } from '../rule.js';
import { inTempDir, processHit, processRows, stripDeleted } from '../linux-facts.js';

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
      .map((p) => processHit(p, `Process ${p.pid} (${p.user}) runs ${stripDeleted(p.executable)}, which is in a world-writable temporary directory.`));
  },
};
