import { afterEach, describe, expect, it, vi } from 'vitest';
import { skipUnlessAble } from './require-privileged.js';

describe(skipUnlessAble.name, () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('should run a suite that can run, whatever the setting', () => {
    vi.stubEnv('CORDON_REQUIRE_PRIVILEGED', '1');
    expect(skipUnlessAble('isolation', undefined)).toBe(false);
  });

  it('should skip with a printed reason on a machine that cannot run the suite', () => {
    vi.stubEnv('CORDON_REQUIRE_PRIVILEGED', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(skipUnlessAble('isolation', 'not running as root')).toBe(true);
    expect(warn).toHaveBeenCalledWith('[privileged] SKIPPED isolation: not running as root');
  });

  it('should fail instead of skipping under CORDON_REQUIRE_PRIVILEGED=1', () => {
    vi.stubEnv('CORDON_REQUIRE_PRIVILEGED', '1');
    expect(() => skipUnlessAble('isolation', 'not running as root')).toThrow('isolation cannot run (not running as root), and CORDON_REQUIRE_PRIVILEGED=1 forbids skipping it');
  });
});
