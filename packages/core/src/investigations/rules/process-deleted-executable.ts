import type { Rule } from '../rule.js';
import { isDeletedExe, processHit, processRows, stripDeleted } from '../linux-facts.js';

export const rule: Rule = {
  id: 'process-deleted-executable',
  title: 'Process whose executable was deleted',
  severity: 'Medium',
  category: 'DefenseEvasion',
  rationale:
    'Malware deletes its binary after start (or runs from a memfd) so nothing is left on disk to scan. ' +
    'The kernel keeps the exe link and marks it "(deleted)". A package upgrade that replaced a running ' +
    'daemon gives the same mark, hence Medium: the hash and path in the evidence tell the two apart.',
  mitreTechniques: ['T1070.004', 'T1620'],
  evaluate(pkg) {
    return processRows(pkg)
      .filter((p) => isDeletedExe(p.executable))
      .map((p) => processHit(p, `Process ${p.pid} (${p.user}) runs ${stripDeleted(p.executable)}, which was deleted from disk after it started.`));
  },
};
