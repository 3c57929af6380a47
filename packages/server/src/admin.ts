/**
 * The admin surface `cordon apps …` and `cordon users …` compose: creating and disabling
 * applications and people, with ONE rule for the tenant they land in.
 *
 * The tenant rule, the same for applications and people:
 * - `tenant` given: it must exist, unless `createTenant` is set (then it is created with that id).
 * - no `tenant`: the only tenant; with several, refuse and list them.
 * - no tenant at all: refuse, unless `createTenant` is set (then a 'default' tenant is created).
 * Why refuse by default: a tenant made on the side by an admin command pre-empts the server's first
 * start, which only creates the admin application and credentials.json when it finds no tenant;
 * and a mistyped `--tenant` must never mint a tenant nobody can reach. Creating one is therefore an
 * explicit choice (`--create-tenant`).
 */
import { APP_PERMISSIONS, toMdeTimestamp } from '@cordon/protocol';
import { type AppRecord, type Clock, type IdentityStore, type IdGenerator } from '@cordon/core';
import type { Store, UserRecord } from '@cordon/store';
import { createApplication, type CreatedApplication } from './auth/applications.js';
import { generateSecret, hashSecret } from './auth/secret-hash.js';
import { createUser, setUserPassword, userStoreOf } from './people/index.js';
import { parseRoles } from './roles.js';

export interface AdminDeps {
  store: Pick<Store, 'identity' | 'db'>;
  clock: Clock;
  ids: IdGenerator;
}

export interface TenantChoice {
  /** The tenant id; default: the only tenant. */
  tenant?: string;
  /** Create the tenant when it (or any tenant) does not exist yet, instead of refusing. */
  createTenant?: boolean;
}

export class AdminError extends Error {
  override name = 'AdminError';
}

/** The tenant an admin command acts in, by the rule above. */
export async function resolveTenant(identity: IdentityStore, choice: TenantChoice, deps: { clock: Clock; ids: IdGenerator }): Promise<string> {
  const create = async (id: string, name: string) => {
    await identity.createTenant({ id, name, createdAt: toMdeTimestamp(deps.clock.now()) });
    return id;
  };
  if (choice.tenant) {
    if (await identity.getTenant(choice.tenant)) return choice.tenant;
    if (choice.createTenant) return create(choice.tenant, choice.tenant);
    throw new AdminError(`tenant ${choice.tenant} does not exist (pass --create-tenant to create it)`);
  }
  const tenants = await identity.listTenants();
  if (tenants.length === 1) return tenants[0]!.id;
  if (tenants.length === 0) {
    if (choice.createTenant) return create(deps.ids.uuid(), 'default');
    throw new AdminError('no tenant yet: start the server once (it creates the default tenant), or pass --create-tenant');
  }
  throw new AdminError(`several tenants exist; pass --tenant (${tenants.map((t) => t.id).join(', ')})`);
}

/** Splits `R1,R2` and refuses names that are not application permissions. */
export function parseAppRoles(input: string): string[] {
  const roles = input.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(APP_PERMISSIONS as readonly string[]).includes(r));
  if (unknown.length > 0) throw new AdminError(`unknown role(s): ${unknown.join(', ')}; known: ${APP_PERMISSIONS.join(', ')}`);
  return roles;
}

export interface NewAdminApplication extends TenantChoice {
  name: string;
  /** Comma-separated application permissions. */
  roles: string;
}

export async function adminCreateApplication(deps: AdminDeps, input: NewAdminApplication): Promise<CreatedApplication> {
  const roles = parseAppRoles(input.roles);
  const tenantId = await resolveTenant(deps.store.identity, input, deps);
  return createApplication(deps.store.identity, { tenantId, name: input.name, roles }, deps);
}

export async function adminSetApplicationDisabled(deps: Pick<AdminDeps, 'store'>, clientId: string, disabled: boolean): Promise<void> {
  if (!(await deps.store.identity.setAppDisabled(clientId, disabled))) throw new AdminError(`no application with client id ${clientId}`);
}

/** The tenants a listing covers: the one given (it must exist), else every tenant. */
async function listedTenants(identity: IdentityStore, tenant: string | undefined): Promise<string[]> {
  if (!tenant) return (await identity.listTenants()).map((t) => t.id);
  if (!(await identity.getTenant(tenant))) throw new AdminError(`tenant ${tenant} does not exist`);
  return [tenant];
}

/** Every application (of `tenant`, else of every tenant), oldest first; secret hashes left out. */
export async function adminListApplications(deps: Pick<AdminDeps, 'store'>, tenant?: string): Promise<Omit<AppRecord, 'secretHash'>[]> {
  const apps = [];
  for (const tenantId of await listedTenants(deps.store.identity, tenant)) apps.push(...(await deps.store.identity.listApps(tenantId)));
  return apps.map(({ secretHash: _hash, ...app }) => app);
}

/**
 * A new client secret for an application, returned once (only its hash is stored). The token
 * endpoint reads the application on every request, so the old secret is refused at once; tokens
 * already issued with it stay valid until they expire, as with a rotated Entra ID secret.
 */
export async function adminRotateApplicationSecret(deps: Pick<AdminDeps, 'store'>, clientId: string): Promise<CreatedApplication> {
  const app = await deps.store.identity.getApp(clientId);
  if (!app) throw new AdminError(`no application with client id ${clientId}`);
  const clientSecret = generateSecret();
  if (!(await deps.store.identity.setAppSecretHash(clientId, await hashSecret(clientSecret)))) throw new AdminError(`no application with client id ${clientId}`);
  return { tenantId: app.tenantId, clientId, clientSecret };
}

export interface NewAdminUser extends TenantChoice {
  name: string;
  displayName?: string;
  password: string;
  /** Comma-separated roles as in MDE, or 'all'. */
  roles: string;
}

export async function adminCreateUser(deps: AdminDeps, input: NewAdminUser): Promise<UserRecord> {
  const roles = parseRoles(input.roles);
  const tenantId = await resolveTenant(deps.store.identity, input, deps);
  return createUser(userStoreOf(deps.store), { tenantId, name: input.name, displayName: input.displayName, password: input.password, roles }, deps);
}

export async function adminSetUserDisabled(deps: Pick<AdminDeps, 'store'>, name: string, disabled: boolean): Promise<UserRecord> {
  const people = userStoreOf(deps.store);
  const user = await people.findUserByName(name);
  if (!user || !(await people.updateUser(user.id, { disabled }))) throw new AdminError(`no user named '${name}'`);
  return user;
}


/** Every person (of `tenant`, else of every tenant), by name; password hashes left out. */
export async function adminListUsers(deps: Pick<AdminDeps, 'store'>, tenant?: string): Promise<Omit<UserRecord, 'passwordHash'>[]> {
  const people = userStoreOf(deps.store);
  const users = [];
  for (const tenantId of await listedTenants(deps.store.identity, tenant)) users.push(...(await people.listUsers(tenantId)));
  return users.map(({ passwordHash: _hash, ...user }) => user);
}

/** Replaces a person's password; their sessions and tokens keep working (disable them to end those). */
export async function adminSetUserPassword(deps: Pick<AdminDeps, 'store'>, name: string, password: string): Promise<UserRecord> {
  const people = userStoreOf(deps.store);
  const user = await people.findUserByName(name);
  if (!user) throw new AdminError(`no user named '${name}'`);
  await setUserPassword(people, user, password);
  return user;
}
