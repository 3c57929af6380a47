import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, csv, planted, processesWith, PROCESS_HEADER_SHA256_ONLY, SHA_A, SHA1_A } from '../package.fixture.js';
import { rule } from './process-running-from-temp.js';

describe(rule.id, () => {
  it('should flag processes whose executable is in /tmp, /var/tmp or /dev/shm (deleted or not)', () => {
    const pkg = planted({
      [PACKAGE_FILES.processes]: processesWith(
        [3001, 1, 'www-data', '', '/tmp/.x/kworker', '/tmp/.x/kworker -c pool', SHA_A, SHA1_A.toUpperCase()],
        [3002, 1, 'alice', '', '/dev/shm/m (deleted)', './m', ''],
        [3003, 1, 'alice', '', '/tmpfoo/ok', 'not a temp dir', ''],
      ),
    });
    const hits = rule.evaluate(pkg);
    expect(hits.map((h) => [h.processId, h.filePath, h.sha256, h.sha1])).toEqual([
      [3001, '/tmp/.x/kworker', SHA_A, SHA1_A],
      [3002, '/dev/shm/m', null, null],
    ]);
    expect(hits[0]!.packagePath).toBe('Processes/Processes.csv');
  });

  it('should read packages from agents without the ExecutableSha1 column, and drop a malformed SHA-1', () => {
    const old = planted({ [PACKAGE_FILES.processes]: csv(PROCESS_HEADER_SHA256_ONLY, [[3001, 1, 'www-data', '', '/tmp/x', '/tmp/x', SHA_A]]) });
    expect(rule.evaluate(old).map((h) => [h.processId, h.sha256, h.sha1])).toEqual([[3001, SHA_A, null]]);
    const bad = planted({ [PACKAGE_FILES.processes]: processesWith([3001, 1, 'www-data', '', '/tmp/x', '/tmp/x', SHA_A, 'not-a-sha1']) });
    expect(rule.evaluate(bad).map((h) => h.sha1)).toEqual([null]);
  });

  it('should find nothing on a clean host', () => {
    expect(rule.evaluate(clean())).toEqual([]);
  });
});
