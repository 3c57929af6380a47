/**
 * AgentStore over Kysely, written once for both engines. Its tables are typed here rather than in
 * schema.ts so the agent tables stay one self-contained change.
 */
import type { Kysely } from 'kysely';
import type { AgentStore, DeviceCredentialRecord, EnrollmentSecretRecord } from '@cordon/core';

export interface AgentTables {
  enrollment_secrets: {
    id: string;
    tenant_id: string;
    secret_hash: string;
    created_at: string;
    expires_at: string;
    max_uses: number;
    uses: number;
  };
  agent_devices: {
    machine_id: string;
    tenant_id: string;
    public_key: string;
    enrolled_at: string;
    revoked_at: string | null;
  };
}

export class KyselyAgentStore implements AgentStore {
  readonly #db: Kysely<AgentTables>;

  /** Takes the store's Kysely instance; the agent tables are typed locally (see AgentTables). */
  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see AgentTables
    this.#db = db as Kysely<AgentTables>;
  }

  async createEnrollmentSecret(s: EnrollmentSecretRecord): Promise<void> {
    await this.#db
      .insertInto('enrollment_secrets')
      .values({ id: s.id, tenant_id: s.tenantId, secret_hash: s.secretHash, created_at: s.createdAt, expires_at: s.expiresAt, max_uses: s.maxUses, uses: s.uses })
      .execute();
  }

  async getEnrollmentSecret(id: string): Promise<EnrollmentSecretRecord | undefined> {
    const r = await this.#db.selectFrom('enrollment_secrets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return { id: r.id, tenantId: r.tenant_id, secretHash: r.secret_hash, createdAt: r.created_at, expiresAt: r.expires_at, maxUses: Number(r.max_uses), uses: Number(r.uses) };
  }

  async spendEnrollmentSecret(id: string, now: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('enrollment_secrets')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', id)
      .where((eb) => eb('uses', '<', eb.ref('max_uses')))
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async addDevice(d: DeviceCredentialRecord): Promise<boolean> {
    // ON CONFLICT DO NOTHING is spelled the same on both engines; 0 rows means the id was taken.
    const result = await this.#db
      .insertInto('agent_devices')
      .values({ machine_id: d.machineId, tenant_id: d.tenantId, public_key: d.publicKey, enrolled_at: d.enrolledAt, revoked_at: d.revokedAt })
      .onConflict((oc) => oc.column('machine_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async getDevice(machineId: string): Promise<DeviceCredentialRecord | undefined> {
    const r = await this.#db.selectFrom('agent_devices').selectAll().where('machine_id', '=', machineId).executeTakeFirst();
    if (!r) return undefined;
    return { machineId: r.machine_id, tenantId: r.tenant_id, publicKey: r.public_key, enrolledAt: r.enrolled_at, revokedAt: r.revoked_at };
  }

  async revokeDevice(machineId: string, at: string): Promise<void> {
    await revokeAgentDevices(this.#db, machineId, at);
  }
}

/** Revokes the machine's device credentials not revoked yet (also inside the action store's finish transaction). */
export async function revokeAgentDevices(db: Kysely<any>, machineId: string, at: string): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- see AgentTables
  await (db as Kysely<AgentTables>).updateTable('agent_devices').set({ revoked_at: at }).where('machine_id', '=', machineId).where('revoked_at', 'is', null).execute();
}
