/**
 * Users and web sessions over Kysely, written once for both engines. Like the agent
 * tables, these are typed here so the whole change stays in new files; the server's people module
 * is the only consumer (no core port yet: nothing in core needs people).
 */
import type { Kysely } from 'kysely';
import { fromDbBool, toDbBool } from './rows/json.js';

export interface UserRecord {
  id: string;
  tenantId: string;
  /** Sign-in name, lower-case. */
  name: string;
  /** Shown in the UI and written as `requestor` of the person's actions. */
  displayName: string;
  /** `$scrypt$...` (server auth/secret-hash.ts), or null for OIDC-only people. */
  passwordHash: string | null;
  roles: string[];
  disabled: boolean;
  createdAt: string;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the cookie value. */
  idHash: string;
  userId: string;
  tenantId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface UserStore {
  /** False when the name is taken. */
  createUser(user: UserRecord): Promise<boolean>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUserByName(name: string): Promise<UserRecord | undefined>;
  listUsers(tenantId: string): Promise<UserRecord[]>;
  updateUser(id: string, patch: Partial<Pick<UserRecord, 'displayName' | 'passwordHash' | 'roles' | 'disabled'>>): Promise<boolean>;
  createSession(session: SessionRecord): Promise<void>;
  /** The session unless it expired at `now` (MDE timestamp). */
  getSession(idHash: string, now: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: string): Promise<number>;
}

export interface UserTables {
  users: {
    id: string;
    tenant_id: string;
    name: string;
    display_name: string;
    password_hash: string | null;
    roles: string;
    disabled: number | boolean;
    created_at: string;
  };
  user_sessions: {
    id_hash: string;
    user_id: string;
    tenant_id: string;
    csrf_token: string;
    created_at: string;
    expires_at: string;
  };
}

type UserRow = UserTables['users'];

export class KyselyUserStore implements UserStore {
  readonly #db: Kysely<UserTables>;

  /** Takes the store's Kysely instance (`store.db`); the tables are typed locally (see UserTables). */
  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see UserTables
    this.#db = db as Kysely<UserTables>;
  }

  async createUser(u: UserRecord): Promise<boolean> {
    // ON CONFLICT DO NOTHING is spelled the same on both engines; 0 rows means the name was taken.
    const result = await this.#db
      .insertInto('users')
      .values({
        id: u.id,
        tenant_id: u.tenantId,
        name: u.name.toLowerCase(),
        display_name: u.displayName,
        password_hash: u.passwordHash,
        roles: JSON.stringify(u.roles),
        disabled: toDbBool(u.disabled),
        created_at: u.createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findUserByName(name: string): Promise<UserRecord | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('name', '=', name.toLowerCase()).executeTakeFirst();
    return row && toUser(row);
  }

  async listUsers(tenantId: string): Promise<UserRecord[]> {
    const rows = await this.#db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
    return rows.map(toUser);
  }

  async updateUser(id: string, patch: Partial<Pick<UserRecord, 'displayName' | 'passwordHash' | 'roles' | 'disabled'>>): Promise<boolean> {
    const set: Partial<UserRow> = {};
    if (patch.displayName !== undefined) set.display_name = patch.displayName;
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    if (patch.roles !== undefined) set.roles = JSON.stringify(patch.roles);
    if (patch.disabled !== undefined) set.disabled = toDbBool(patch.disabled);
    if (Object.keys(set).length === 0) return (await this.getUser(id)) !== undefined;
    const result = await this.#db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.#db
      .insertInto('user_sessions')
      .values({ id_hash: s.idHash, user_id: s.userId, tenant_id: s.tenantId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt })
      .execute();
  }

  async getSession(idHash: string, now: string): Promise<SessionRecord | undefined> {
    const r = await this.#db.selectFrom('user_sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
    return r && { idHash: r.id_hash, userId: r.user_id, tenantId: r.tenant_id, csrfToken: r.csrf_token, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#db.deleteFrom('user_sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    const result = await this.#db.deleteFrom('user_sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toUser(r: UserRow): UserRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    roles: JSON.parse(r.roles) as string[],
    disabled: fromDbBool(r.disabled),
    createdAt: r.created_at,
  };
}
