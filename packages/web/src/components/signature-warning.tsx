/**
 * The device page's warning for an agent that has no antivirus database: with only the built-in
 * signature set (EICAR) a scan "succeeds" on an infected device, which an analyst must not mistake
 * for a clean result.
 */

/** True when the device reported its signature sets and none is more than the built-in one. */
export function hasOnlyBuiltInSignatures(sources: readonly string[] | null | undefined): boolean {
  return Array.isArray(sources) && sources.every((s) => s === 'builtin');
}

/** What the device page shows for the sources: the list, or that the agent has not said. */
export function signatureSourcesText(sources: readonly string[] | null | undefined): string {
  return Array.isArray(sources) ? sources.join(', ') || 'none' : 'not reported';
}

export function SignatureWarning({ sources }: { sources: readonly string[] | null | undefined }) {
  if (!hasOnlyBuiltInSignatures(sources)) return null;
  return (
    <p role="alert" className="warning">
      Antivirus scans on this device use only the built-in test signatures (EICAR) and your tenant&apos;s own scan signatures: no ClamAV
      database is installed, so a scan will not detect real malware. Install ClamAV and its signatures on the device.
    </p>
  );
}
