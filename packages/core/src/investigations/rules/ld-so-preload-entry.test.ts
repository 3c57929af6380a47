import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, planted } from '../package.fixture.js';
import { rule } from './ld-so-preload-entry.js';

describe(rule.id, () => {
  it('should flag every library listed, ignoring comments', () => {
    const pkg = planted({ [PACKAGE_FILES.ldSoPreload]: '==> /etc/ld.so.preload <==\n# hide\n/usr/local/lib/libprocesshider.so /lib/x.so\n\n' });
    expect(rule.evaluate(pkg).map((h) => h.filePath)).toEqual(['/usr/local/lib/libprocesshider.so', '/lib/x.so']);
  });

  it('should find nothing when the file is absent or holds only comments', () => {
    expect(rule.evaluate(clean())).toEqual([]);
    expect(rule.evaluate(planted({ [PACKAGE_FILES.ldSoPreload]: '==> /etc/ld.so.preload <==\n# nothing\n\n' }))).toEqual([]);
  });
});
