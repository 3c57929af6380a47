/**
 * Client secrets: generated here, shown once, stored only as a scrypt hash whose parameters and
 * salt travel inside the stored string, so parameters can be raised later without breaking old hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/**
 * N = 2^14, r = 8, p = 1 (16 MiB, a few ms). Secrets are 256 random bits, so a slow hash adds little
 * against guessing; it is there so a leaked table is not directly usable, and it runs on every token
 * request, hence the moderate cost.
 */
const DEFAULT_PARAMS = { ln: 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** Refuse stored parameters beyond this, so a tampered row cannot make verification eat the host. */
const MAX_LN = 20;

/** A new client secret: 32 random bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Hashes a secret as `$scrypt$ln=14,r=8,p=1$<salt>$<hash>` (base64url parts).
 * @example const stored = await hashSecret(secret); await verifySecret(secret, stored) === true
 */
export async function hashSecret(secret: string, params: { ln: number; r: number; p: number } = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, KEY_LENGTH, scryptOptions(params));
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Checks a secret against a stored hash in constant time; false for any malformed hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await scrypt(secret, parsed.salt, parsed.hash.length, scryptOptions(parsed.params));
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

function scryptOptions(params: { ln: number; r: number; p: number }): ScryptOptions {
  const N = 2 ** params.ln;
  // Node refuses when 128*N*r reaches maxmem (default 32 MiB); give it the room the parameters need.
  return { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
}

function parseHash(stored: string): { params: { ln: number; r: number; p: number }; salt: Buffer; hash: Buffer } | undefined {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.p < 1) return undefined;
  const salt = Buffer.from(m[4]!, 'base64url');
  const hash = Buffer.from(m[5]!, 'base64url');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { params, salt, hash };
}
