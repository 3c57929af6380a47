/**
 * The live response library and deployment secrets over Kysely, written once for both
 * engines. Tables are typed here so the change stays in new files (like kysely-user-store.ts).
 */
import type { Kysely } from 'kysely';
import { toMdeTimestamp } from '@cordon/protocol';
import type { LibraryFileRecord, LibraryStore, SecretStore } from '@cordon/core';
import { fromDbBool, toDbBool } from './rows/json.js';

export interface LibraryTables {
  library_files: {
    tenant_id: string;
    file_name: string;
    blob_id: string;
    size: number | string;
    sha256: string;
    description: string | null;
    creation_time: string;
    last_updated_time: string;
    created_by: string;
    has_parameters: number | boolean;
    parameters_description: string | null;
  };
  server_secrets: { name: string; value: string; created_at: string };
}

type Row = LibraryTables['library_files'];

function toRow(r: LibraryFileRecord): Row {
  return {
    tenant_id: r.tenantId,
    file_name: r.fileName,
    blob_id: r.blobId,
    size: r.size,
    sha256: r.sha256,
    description: r.description,
    creation_time: r.creationTime,
    last_updated_time: r.lastUpdatedTime,
    created_by: r.createdBy,
    has_parameters: toDbBool(r.hasParameters),
    parameters_description: r.parametersDescription,
  };
}

function toRecord(row: Row): LibraryFileRecord {
  return {
    tenantId: row.tenant_id,
    fileName: row.file_name,
    blobId: row.blob_id,
    size: Number(row.size),
    sha256: row.sha256,
    description: row.description,
    creationTime: row.creation_time,
    lastUpdatedTime: row.last_updated_time,
    createdBy: row.created_by,
    hasParameters: fromDbBool(row.has_parameters),
    parametersDescription: row.parameters_description,
  };
}

export class KyselyLibraryStore implements LibraryStore {
  readonly #db: Kysely<LibraryTables>;

  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see LibraryTables
    this.#db = db as Kysely<LibraryTables>;
  }

  async list(tenantId: string): Promise<LibraryFileRecord[]> {
    const rows = await this.#db.selectFrom('library_files').selectAll().where('tenant_id', '=', tenantId).orderBy('file_name').execute();
    return rows.map(toRecord);
  }

  async get(tenantId: string, fileName: string): Promise<LibraryFileRecord | undefined> {
    const row = await this.#db.selectFrom('library_files').selectAll().where('tenant_id', '=', tenantId).where('file_name', '=', fileName).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async create(record: LibraryFileRecord): Promise<boolean> {
    const result = await this.#db
      .insertInto('library_files')
      .values(toRow(record))
      .onConflict((oc) => oc.columns(['tenant_id', 'file_name']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async replace(record: LibraryFileRecord): Promise<LibraryFileRecord | undefined> {
    // Read then compare-and-set on the blob id, so two concurrent replacements cannot both
    // believe they removed the same old blob.
    const old = await this.get(record.tenantId, record.fileName);
    if (!old) return undefined;
    const row = toRow(record);
    const result = await this.#db
      .updateTable('library_files')
      .set({ blob_id: row.blob_id, size: row.size, sha256: row.sha256, description: row.description, last_updated_time: row.last_updated_time, has_parameters: row.has_parameters, parameters_description: row.parameters_description })
      .where('tenant_id', '=', record.tenantId)
      .where('file_name', '=', record.fileName)
      .where('blob_id', '=', old.blobId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 ? old : undefined;
  }

  async delete(tenantId: string, fileName: string): Promise<LibraryFileRecord | undefined> {
    const old = await this.get(tenantId, fileName);
    if (!old) return undefined;
    const result = await this.#db.deleteFrom('library_files').where('tenant_id', '=', tenantId).where('file_name', '=', fileName).where('blob_id', '=', old.blobId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0 ? old : undefined;
  }
}

export class KyselySecretStore implements SecretStore {
  readonly #db: Kysely<LibraryTables>;
  readonly #now: () => number;

  constructor(db: Kysely<any>, now: () => number = Date.now) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see LibraryTables
    this.#db = db as Kysely<LibraryTables>;
    this.#now = now;
  }

  async getOrCreate(name: string, create: () => string): Promise<string> {
    await this.#db
      .insertInto('server_secrets')
      .values({ name, value: create(), created_at: toMdeTimestamp(this.#now()) })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.#db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }
}
