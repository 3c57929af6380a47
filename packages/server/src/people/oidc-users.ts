/**
 * The local user record behind an OIDC person. Keyed by issuer + subject (the only stable pair,
 * OIDC Core §5.7), never by `preferred_username` or email: an IdP account named `admin` must not
 * become the local `admin`. The record has no password, so only OIDC can sign in as it; the IdP is
 * the source of the person's name and roles, refreshed at every sign-in. Disabling the record
 * locally (CLI) still locks the person out.
 */
import { createHash } from 'node:crypto';
import type { Clock, IdGenerator } from '@cordon/core';
import type { UserRecord, UserStore } from '@cordon/store';
import type { OidcIdentity } from './oidc.js';
import { createUser } from './users.js';

/** `oidc-` + 32 hex of SHA-256(issuer, subject): a valid, lower-case, collision-free user name. */
export function oidcUserName(issuer: string, subject: string): string {
  return `oidc-${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 32)}`;
}

export class OidcUserRefused extends Error {
  override name = 'OidcUserRefused';
}

export async function upsertOidcUser(users: UserStore, identity: OidcIdentity, tenantId: string, deps: { clock: Clock; ids: IdGenerator }): Promise<UserRecord> {
  const name = oidcUserName(identity.issuer, identity.subject);
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await users.findUserByName(name);
    if (existing) {
      if (existing.passwordHash !== null) throw new OidcUserRefused(`the local user '${name}' has a password and is not an OIDC person`);
      if (existing.tenantId !== tenantId) throw new OidcUserRefused('this person belongs to another tenant than CORDON_OIDC_TENANT');
      if (existing.disabled) throw new OidcUserRefused('this person is disabled in Cordon');
      const patch = { displayName: identity.displayName, roles: identity.roles };
      await users.updateUser(existing.id, patch);
      return { ...existing, ...patch, roles: [...patch.roles] };
    }
    try {
      return await createUser(users, { tenantId, name, displayName: identity.displayName, roles: identity.roles }, deps);
    } catch (err) {
      // Two first sign-ins at once: the other one created the record; read it on the next pass.
      if (attempt === 0 && err instanceof Error && err.message.includes('exists already')) continue;
      throw err;
    }
  }
  throw new OidcUserRefused('could not create the user record');
}
