import type { Rule } from '../rule.js';
import { processHit, processRows, stripDeleted } from '../linux-facts.js';

export const rule: Rule = {
  id: 'known-bad-hash',
  title: "Running executable matches a tenant indicator",
  severity: 'High',
  category: 'Malware',
  rationale:
    "The tenant's known-bad SHA-256 list (the scan signature hashes) is the analyst's own verdict; a running " +
    'process whose executable hashes to one of them is that malware, running now. No false positive beyond a ' +
    'wrong indicator.',
  mitreTechniques: ['T1204.002'],
  evaluate(pkg) {
    if (pkg.indicators.sha256.size === 0) return [];
    return processRows(pkg)
      .filter((p) => p.sha256 && pkg.indicators.sha256.has(p.sha256))
      .map((p) => processHit(p, `Process ${p.pid} (${p.user}) runs ${stripDeleted(p.executable)}, whose SHA-256 is on the tenant's known-bad list.`));
  },
};
