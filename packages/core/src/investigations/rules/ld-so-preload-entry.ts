import type { Rule, RuleHit } from '../rule.js';
import { cap, PACKAGE_FILES } from '../linux-facts.js';

export const rule: Rule = {
  id: 'ld-so-preload-entry',
  title: 'Library listed in /etc/ld.so.preload',
  severity: 'High',
  category: 'DefenseEvasion',
  rationale:
    'Every dynamically linked program loads the libraries in /etc/ld.so.preload first; userland rootkits ' +
    '(Jynx, Azazel, libprocesshider) use it to hide processes and files from ps, ls and the agent alike. ' +
    'No distribution ships the file with entries; a few commercial tools use it, which an admin can confirm.',
  mitreTechniques: ['T1574.006'],
  evaluate(pkg) {
    const hits: RuleHit[] = [];
    for (const s of pkg.sections(PACKAGE_FILES.ldSoPreload)) {
      // ld.so splits the file on whitespace; '#' starts a comment.
      for (const entry of s.body.split('\n').flatMap((l) => l.replace(/#.*/, '').trim().split(/\s+/)).filter(Boolean)) {
        hits.push({ description: `${s.source} makes every program load ${entry}.`, packagePath: PACKAGE_FILES.ldSoPreload, filePath: entry, detail: cap(entry) });
      }
    }
    return hits;
  },
};
