/** The privileged suites' guard: skip with a printed reason, or fail when CI requires them. */
import { describe, expect, it, vi } from 'vitest';
import { skipReason } from './helpers.js';

const MISSING = 'cordon-no-such-tool-7f3a';

describe('skipReason', () => {
  it('should return the reason and print it when a tool is missing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(skipReason('demo', [MISSING], false, {})).toBe(`missing ${MISSING}`);
    expect(warn).toHaveBeenCalledWith(`[privileged] SKIPPED demo: missing ${MISSING}`);
    warn.mockRestore();
  });

  it('should throw instead of skipping when CORDON_REQUIRE_PRIVILEGED=1', () => {
    expect(() => skipReason('demo', [MISSING], false, { CORDON_REQUIRE_PRIVILEGED: '1' })).toThrow(
      `[privileged] demo cannot run: missing ${MISSING} (CORDON_REQUIRE_PRIVILEGED=1)`,
    );
  });

  it('should let a suite run when everything is there, whatever the switch says', () => {
    expect(skipReason('demo', ['sh'], false, { CORDON_REQUIRE_PRIVILEGED: '1' })).toBeUndefined();
  });
});
