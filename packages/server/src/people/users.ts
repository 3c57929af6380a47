/** Creating people and checking their passwords. Passwords are scrypt-hashed (auth/secret-hash.ts). */
import type { Clock, IdGenerator } from '@cordon/core';
import type { UserRecord, UserStore } from '@cordon/store';
import { toMdeTimestamp } from '@cordon/protocol';
import { hashSecret, verifySecret } from '../auth/secret-hash.js';
import { isUserRole } from '../roles.js';

export interface NewUser {
  tenantId: string;
  /** Sign-in name (kept lower-case). */
  name: string;
  /** Defaults to `name` as typed. */
  displayName?: string;
  /** Omit for an OIDC-only person. */
  password?: string;
  roles: readonly string[];
}

/** Scrypt cost for passwords: N = 2^15 (32 MiB, tens of ms), above the client-secret cost since passwords are guessable. */
const PASSWORD_PARAMS = { ln: 15, r: 8, p: 1 };
export const MIN_PASSWORD_LENGTH = 8;
const NAME = /^[A-Za-z0-9._@+-]{1,128}$/;

export class UserError extends Error {
  override name = 'UserError';
}

export async function createUser(users: UserStore, input: NewUser, deps: { clock: Clock; ids: IdGenerator }): Promise<UserRecord> {
  if (!NAME.test(input.name)) throw new UserError('a user name is 1-128 letters, digits or . _ @ + -');
  const unknown = input.roles.filter((r) => !isUserRole(r));
  if (unknown.length > 0) throw new UserError(`unknown role(s): ${unknown.join(', ')}`);
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) throw new UserError(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  const user: UserRecord = {
    id: deps.ids.uuid(),
    tenantId: input.tenantId,
    name: input.name.toLowerCase(),
    displayName: input.displayName?.trim() || input.name,
    passwordHash: input.password === undefined ? null : await hashSecret(input.password, PASSWORD_PARAMS),
    roles: [...new Set(input.roles)],
    disabled: false,
    createdAt: toMdeTimestamp(deps.clock.now()),
  };
  if (!(await users.createUser(user))) throw new UserError(`a user named '${user.name}' exists already`);
  return user;
}

/** Replaces a person's password (same length rule and hash cost as createUser). */
export async function setUserPassword(users: UserStore, user: UserRecord, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  if (!(await users.updateUser(user.id, { passwordHash: await hashSecret(password, PASSWORD_PARAMS) }))) throw new UserError(`no user named '${user.name}'`);
}

/** A dummy hash so an unknown name costs as much as a wrong password (no user enumeration by timing). */
let dummyHash: Promise<string> | undefined;

/** The user when name and password match an enabled account; undefined otherwise. */
export async function checkPassword(users: UserStore, name: string, password: string): Promise<UserRecord | undefined> {
  const user = await users.findUserByName(name);
  if (!user || user.passwordHash === null) {
    dummyHash ??= hashSecret('not-a-password', PASSWORD_PARAMS);
    await verifySecret(password, await dummyHash);
    return undefined;
  }
  const ok = await verifySecret(password, user.passwordHash);
  return ok && !user.disabled ? user : undefined;
}
