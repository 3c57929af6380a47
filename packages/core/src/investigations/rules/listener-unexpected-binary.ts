import type { Rule, RuleHit } from '../rule.js';
import { cap, inManagedPrefix, isDeletedExe, PACKAGE_FILES, processRows, stripDeleted } from '../linux-facts.js';

export const rule: Rule = {
  id: 'listener-unexpected-binary',
  title: 'Listening socket owned by an unexpected binary',
  severity: 'High',
  category: 'CommandAndControl',
  rationale:
    'Bind shells and implants listen for the attacker. Services installed by packages run from package-managed ' +
    'directories; a listening socket (TCP LISTEN or bound UDP) owned by a deleted binary or one outside those ' +
    'directories (home, temp, /var/www uploads) is not a service anyone installed.',
  mitreTechniques: ['T1571', 'T1205'],
  evaluate(pkg) {
    const procs = new Map(processRows(pkg).map((p) => [p.pid, p]));
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const c of pkg.csv(PACKAGE_FILES.connections)) {
      const listening = c.State === 'LISTEN' || (c.Protocol?.startsWith('udp') && c.State === 'UNCONN');
      if (!listening) continue;
      for (const pid of (c.Pids ?? '').split(' ').filter(Boolean).map(Number)) {
        const p = procs.get(pid);
        if (!p?.executable) continue;
        const exe = stripDeleted(p.executable);
        if (!isDeletedExe(p.executable) && inManagedPrefix(exe)) continue;
        const key = `${pid}/${c.Protocol}/${c.LocalAddress}/${c.LocalPort}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push({
          description: `${exe}${isDeletedExe(p.executable) ? ' (deleted)' : ''} (pid ${pid}, ${p.user}) listens on ${c.Protocol} ${c.LocalAddress}:${c.LocalPort}.`,
          packagePath: PACKAGE_FILES.connections,
          filePath: exe,
          processId: pid,
          commandLine: cap(p.commandLine),
          accountName: p.user,
          sha256: p.sha256 || null,
          sha1: p.sha1 || null,
          detail: cap(Object.values(c).join(',')),
        });
      }
    }
    return hits;
  },
};
