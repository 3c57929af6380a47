/**
 * One rule for tests that need something of the machine (root, namespaces, systemd-analyze, ...):
 * on a developer's machine they are skipped with a printed reason; under
 * `CORDON_REQUIRE_PRIVILEGED=1` (set by .ci/run) they fail instead, so a CI machine that lost root or
 * a tool turns the run red rather than green with the suite unrun.
 */

/** Read on each call, not at import, so one process (a test of this rule) can try both settings. */
export function privilegedRequired(): boolean {
  return process.env.CORDON_REQUIRE_PRIVILEGED === '1';
}

/**
 * Whether to skip `suite`: `reason` says why it cannot run here (undefined: it can).
 * Throws, failing the test file, when the run requires privileged tests.
 * @example describe.skipIf(skipUnlessAble('isolation', isRoot ? undefined : 'not running as root'))(...)
 */
export function skipUnlessAble(suite: string, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  if (privilegedRequired()) throw new Error(`${suite} cannot run (${reason}), and CORDON_REQUIRE_PRIVILEGED=1 forbids skipping it`);
  console.warn(`[privileged] SKIPPED ${suite}: ${reason}`);
  return true;
}
