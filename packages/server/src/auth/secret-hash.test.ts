import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, verifySecret } from './secret-hash.js';

describe('hashSecret / verifySecret', () => {
  it('should generate 32-byte base64url secrets that differ each time', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });

  it('should encode algorithm, parameters and salt in the hash, never the secret', async () => {
    const secret = generateSecret();
    const stored = await hashSecret(secret);
    expect(stored).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(secret);
    expect(await hashSecret(secret)).not.toBe(stored); // per-secret salt
  });

  it('should accept the right secret and refuse others', async () => {
    const secret = generateSecret();
    const stored = await hashSecret(secret);
    expect(await verifySecret(secret, stored)).toBe(true);
    expect(await verifySecret(`${secret}x`, stored)).toBe(false);
    expect(await verifySecret('', stored)).toBe(false);
  });

  it('should verify hashes made with other parameters', async () => {
    const stored = await hashSecret('s3cret', { ln: 10, r: 8, p: 2 });
    expect(stored.startsWith('$scrypt$ln=10,r=8,p=2$')).toBe(true);
    expect(await verifySecret('s3cret', stored)).toBe(true);
  });

  it('should refuse malformed or abusive stored hashes without throwing', async () => {
    for (const bad of ['', 'plaintext', '$scrypt$ln=14,r=8,p=1$$', '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA', '$bcrypt$...']) {
      expect(await verifySecret('x', bad)).toBe(false);
    }
  });
});
