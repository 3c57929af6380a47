/** The EICAR anti-malware test file (68 bytes), which the agent's built-in signatures detect. */
export const EICAR = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;
