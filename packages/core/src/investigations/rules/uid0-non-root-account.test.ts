import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, cleanFiles, planted } from '../package.fixture.js';
import { rule } from './uid0-non-root-account.js';

describe(rule.id, () => {
  it('should flag a second UID-0 account', () => {
    const pkg = planted({ [PACKAGE_FILES.users]: `${cleanFiles()[PACKAGE_FILES.users]}sysupd,0,0,,/var/lib/sysupd,/bin/bash,Set,2026-11-20\r\n` });
    expect(rule.evaluate(pkg).map((h) => h.accountName)).toEqual(['sysupd']);
  });

  it('should find nothing on a clean host', () => {
    expect(rule.evaluate(clean())).toEqual([]);
  });
});
