/**
 * The signatures every device has, whatever else it has: the EICAR anti-malware test file (68 bytes),
 * by MD5, SHA-1 and SHA-256, as every antivirus ships it. A scan therefore always has something to
 * scan with, and a security team can check the whole path (scan, detection, alert, quarantine) on
 * any device by dropping the EICAR file. Tenant signatures and ClamAV databases add to this set.
 */
import type { AvSignatureSource } from '@cordon/protocol';

/** ClamAV hash database lines (`hash:size:Name`), matched like tenant hash signatures. */
export const BUILTIN_HASH_SIGNATURES: readonly string[] = [
  '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature',
  '3395856ce81f2b7382dee72602f798b642f14140:68:Eicar-Test-Signature',
  '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f:68:Eicar-Test-Signature',
];

/** What the device has on its own (tenant signatures are the server's): hello's `avSignatureSources`. */
export function deviceSignatureSources(hasClamAvDatabase: boolean): AvSignatureSource[] {
  return ['builtin', ...(hasClamAvDatabase ? (['clamav'] as const) : [])];
}
