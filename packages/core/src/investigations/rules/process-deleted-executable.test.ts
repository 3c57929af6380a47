import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, planted, processesWith } from '../package.fixture.js';
import { rule } from './process-deleted-executable.js';

describe(rule.id, () => {
  it('should flag processes whose exe link says (deleted), memfd included', () => {
    const pkg = planted({
      [PACKAGE_FILES.processes]: processesWith(
        [4001, 1, 'root', '', '/usr/local/bin/agentx (deleted)', 'agentx', ''],
        [4002, 1, 'nobody', '', '/memfd:payload (deleted)', '[kworker/0:1]', ''],
      ),
    });
    expect(rule.evaluate(pkg).map((h) => [h.processId, h.filePath])).toEqual([
      [4001, '/usr/local/bin/agentx'],
      [4002, '/memfd:payload'],
    ]);
  });

  it('should find nothing on a clean host', () => {
    expect(rule.evaluate(clean())).toEqual([]);
  });
});
