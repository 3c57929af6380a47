import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, cleanFiles, CONNECTIONS_HEADER, csv, planted, processesWith } from '../package.fixture.js';
import { rule } from './listener-unexpected-binary.js';

describe(rule.id, () => {
  it('should flag listeners owned by binaries outside package directories or deleted, not outbound connections', () => {
    const extra = csv(CONNECTIONS_HEADER, [
      ['tcp', '0.0.0.0', 4444, '0.0.0.0', 0, 'LISTEN', 'alice', '5001', 'bd', '2001'],
      ['tcp6', '::', 8443, '::', 0, 'LISTEN', 'root', '5002', 'nginx', '2002'],
      ['tcp', '10.0.0.5', 40000, '203.0.113.9', 443, 'ESTABLISHED', 'alice', '5003', 'beacon', '2003'],
    ]).split('\r\n').slice(1).join('\r\n');
    const pkg = planted({
      [PACKAGE_FILES.processes]: processesWith(
        [5001, 1, 'alice', '', '/home/alice/bd', '/home/alice/bd -l 4444', ''],
        [5002, 1, 'root', '', '/usr/sbin/nginx (deleted)', 'nginx: master process', ''],
        [5003, 1, 'alice', '', '/home/alice/beacon', '/home/alice/beacon', ''],
      ),
      [PACKAGE_FILES.connections]: cleanFiles()[PACKAGE_FILES.connections] + extra,
    });
    expect(rule.evaluate(pkg).map((h) => [h.processId, h.filePath])).toEqual([
      [5001, '/home/alice/bd'],
      [5002, '/usr/sbin/nginx'],
    ]);
  });

  it('should find nothing on a clean host', () => {
    expect(rule.evaluate(clean())).toEqual([]);
  });
});
