import type { Rule, RuleHit } from '../rule.js';
import { cap, firstWord, inManagedPrefix, PACKAGE_FILES } from '../linux-facts.js';

/**
 * The package has no dpkg/rpm file lists, so "no package owns it" is decided by location: package
 * managers install only under the managed prefixes (/usr, /bin, /lib*, /opt, /etc, /snap...). An
 * autostart entry whose program is an absolute path anywhere else (a home, /tmp, /var/www, /dev/shm)
 * cannot be package-owned.
 */
function unmanaged(program: string): boolean {
  return program.startsWith('/') && !inManagedPrefix(program);
}

export const rule: Rule = {
  id: 'autorun-unmanaged-executable',
  title: 'Autostart entry runs an executable no package owns',
  severity: 'High',
  category: 'Persistence',
  rationale:
    'Persistence through cron, systemd, rc.local or XDG autostart is the usual way Linux malware survives reboots. ' +
    'Entries that start programs installed by packages are normal; an entry that starts a program outside every ' +
    'package-managed directory (home directories, temp, /var/www...) is not something a package set up.',
  mitreTechniques: ['T1053.003', 'T1543.002', 'T1037.004', 'T1547.013'],
  evaluate(pkg) {
    const hits: RuleHit[] = [];
    for (const t of pkg.csv(PACKAGE_FILES.scheduledTasks)) {
      const program = firstWord(t.Command ?? '');
      if (unmanaged(program)) {
        hits.push({
          description: `Scheduled task in ${t.Source} runs ${program} as ${t.User || 'its owner'}, outside every package-managed directory.`,
          packagePath: PACKAGE_FILES.scheduledTasks,
          filePath: program,
          commandLine: cap(t.Command ?? ''),
          accountName: t.User || null,
          detail: cap(Object.values(t).join(',')),
        });
      }
    }
    for (const s of pkg.sections(PACKAGE_FILES.rcLocal)) {
      for (const line of s.body.split('\n').map((l) => l.trim())) {
        if (!line || line.startsWith('#')) continue;
        const program = firstWord(line);
        if (unmanaged(program)) hits.push({ description: `${s.source} runs ${program} at boot, outside every package-managed directory.`, packagePath: PACKAGE_FILES.rcLocal, filePath: program, commandLine: cap(line), detail: cap(line) });
      }
    }
    for (const s of pkg.sections(PACKAGE_FILES.xdgAutostart)) {
      for (const m of s.body.matchAll(/^Exec=(.*)$/gm)) {
        const program = firstWord(m[1]!);
        if (unmanaged(program)) hits.push({ description: `${s.source} starts ${program} at login, outside every package-managed directory.`, packagePath: PACKAGE_FILES.xdgAutostart, filePath: program, commandLine: cap(m[1]!), detail: cap(m[0]) });
      }
    }
    for (const line of (pkg.text(PACKAGE_FILES.systemdEnabledUnits) ?? '').split('\n')) {
      const target = / -> (.*)$/.exec(line)?.[1];
      if (target && unmanaged(target)) {
        hits.push({ description: `Enabled systemd unit ${line.split(' -> ')[0]} is a link to ${target}, outside every package-managed directory.`, packagePath: PACKAGE_FILES.systemdEnabledUnits, filePath: target, detail: cap(line) });
      }
    }
    return hits;
  },
};
