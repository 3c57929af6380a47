import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, planted, processesWith, SHA_A, SHA1_A } from '../package.fixture.js';
import { rule } from './known-bad-hash.js';

const BAD = 'c'.repeat(64);

describe(rule.id, () => {
  it("should flag processes whose executable hash is on the tenant's list (case-insensitive)", () => {
    const pkg = planted({ [PACKAGE_FILES.processes]: processesWith([6001, 1, 'root', '', '/usr/bin/xmr', 'xmr', BAD, SHA1_A]) }, [BAD.toUpperCase()]);
    expect(rule.evaluate(pkg).map((h) => [h.processId, h.sha256, h.sha1])).toEqual([[6001, BAD, SHA1_A]]);
  });

  it('should find nothing on a clean host, with or without indicators', () => {
    expect(rule.evaluate(clean())).toEqual([]);
    expect(rule.evaluate(clean([BAD]))).toEqual([]);
    // A hash that is on the list but not running is not a finding of this rule.
    expect(rule.evaluate(clean(['d'.repeat(64)]))).toEqual([]);
    expect(SHA_A).not.toBe(BAD);
  });
});
