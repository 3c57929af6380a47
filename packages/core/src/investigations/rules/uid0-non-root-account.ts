import type { Rule } from '../rule.js';
import { cap, PACKAGE_FILES } from '../linux-facts.js';

export const rule: Rule = {
  id: 'uid0-non-root-account',
  title: 'Account other than root with UID 0',
  severity: 'High',
  category: 'PrivilegeEscalation',
  rationale:
    'Every account with UID 0 is root, whatever its name. Attackers add a second UID-0 line to /etc/passwd as a ' +
    'backdoor that survives a root password change. Stock distributions have exactly one (root); "toor" on BSD ' +
    'ports is the classic exception and is worth flagging too.',
  mitreTechniques: ['T1136.001', 'T1078.003'],
  evaluate(pkg) {
    return pkg
      .csv(PACKAGE_FILES.users)
      .filter((u) => u.Uid === '0' && u.User !== 'root')
      .map((u) => ({
        description: `Account ${u.User} has UID 0 (root privileges); password ${u.PasswordStatus || 'status unknown'}, shell ${u.Shell || 'none'}.`,
        packagePath: PACKAGE_FILES.users,
        accountName: u.User ?? null,
        detail: cap(Object.values(u).join(',')),
      }));
  },
};
