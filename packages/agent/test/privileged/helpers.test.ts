/** The privileged suites' guard follows the repository's rule: skip with a printed reason, or fail when CI requires them. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { skipReason } from './helpers.js';

const MISSING = 'cordon-no-such-tool-7f3a';
const saved = process.env.CORDON_REQUIRE_PRIVILEGED;

describe('skipReason', () => {
  afterEach(() => {
    if (saved === undefined) delete process.env.CORDON_REQUIRE_PRIVILEGED;
    else process.env.CORDON_REQUIRE_PRIVILEGED = saved;
    vi.restoreAllMocks();
  });

  it('should return the reason and print it when a tool is missing', () => {
    delete process.env.CORDON_REQUIRE_PRIVILEGED;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(skipReason('demo', [MISSING], false)).toBe(`missing ${MISSING}`);
    expect(warn).toHaveBeenCalledWith(`[privileged] SKIPPED demo: missing ${MISSING}`);
  });

  it('should throw instead of skipping when CORDON_REQUIRE_PRIVILEGED=1', () => {
    process.env.CORDON_REQUIRE_PRIVILEGED = '1';
    expect(() => skipReason('demo', [MISSING], false)).toThrow(`demo cannot run (missing ${MISSING}), and CORDON_REQUIRE_PRIVILEGED=1 forbids skipping it`);
  });

  it('should let a suite run when everything is there, whatever the switch says', () => {
    process.env.CORDON_REQUIRE_PRIVILEGED = '1';
    expect(skipReason('demo', ['sh'], false)).toBeUndefined();
  });
});
