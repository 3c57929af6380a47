import type { Rule, RuleHit } from '../rule.js';
import { cap, PACKAGE_FILES } from '../linux-facts.js';

/** Writes (redirect, tee, sed -i, cp/mv onto, echo >>) into an authorized_keys file. */
const WRITES = [/>>?\s*\S*authorized_keys2?\b/, /\btee\b(\s+-a)?\s+\S*authorized_keys2?\b/, /\bsed\s+-i\S*\s.*authorized_keys2?\b/, /\b(cp|mv|install)\s+\S+\s+\S*authorized_keys2?\b/, /\bcurl\b.*-o\s*\S*authorized_keys2?\b/, /\bwget\b.*-O\s*\S*authorized_keys2?\b/];

export const rule: Rule = {
  id: 'history-authorized-keys-write',
  title: 'Shell history shows authorized_keys being written',
  severity: 'Medium',
  category: 'Persistence',
  rationale:
    'Adding a key to ~/.ssh/authorized_keys is the most common SSH backdoor. The package does not hold the key ' +
    "files' modification times, so this rule looks for the write itself in users' shell histories; ssh-copy-id " +
    'and reading the file are normal and ignored. Admins who manage keys by hand will trigger it: Medium.',
  mitreTechniques: ['T1098.004'],
  evaluate(pkg) {
    const hits: RuleHit[] = [];
    for (const path of pkg.paths().filter((p) => p.startsWith(PACKAGE_FILES.historyFolder))) {
      const account = path.slice(PACKAGE_FILES.historyFolder.length).replace(/_(bash|zsh|sh|ash|fish)_history\.txt$/, '');
      for (const line of (pkg.text(path) ?? '').split('\n')) {
        // zsh extended history lines start with ": <epoch>:<elapsed>;".
        const command = line.replace(/^: \d+:\d+;/, '').trim();
        if (WRITES.some((re) => re.test(command))) {
          hits.push({ description: `${account}'s shell history shows a write to an authorized_keys file: ${cap(command, 200)}`, packagePath: path, accountName: account, commandLine: cap(command), detail: cap(line) });
        }
      }
    }
    return hits;
  },
};
