/**
 * The Kysely view of Cordon's tables. Columns are snake_case and mapped to the domain records
 * explicitly (rows/*.ts), so the wire shape never depends on the schema.
 *
 * Conventions, kept the same on both engines:
 * - Timestamps are TEXT in the MDE form (`2019-01-02T14:39:38.2262283Z`): fixed width, so text order
 *   is time order (PostgreSQL declares text `COLLATE "C"` to make that hold; dialects/postgres.ts).
 * - JSON-ish fields are TEXT holding JSON, (de)serialised by the row mappers.
 * - Booleans are INTEGER 0/1 on SQLite and BOOLEAN on PostgreSQL (the OData compiler compares them
 *   with TRUE/FALSE, which both read); the mappers write 0/1 (PostgreSQL accepts '1'/'0' as boolean
 *   input) and read with `Boolean()` (`DbBool` below).
 * - Every tenant-owned row carries `tenant_id`. Signing keys and rate-limit windows are global to the
 *   deployment and have none.
 */
import type { Generated } from 'kysely';

/** 0/1 on SQLite, true/false on PostgreSQL; see the file comment. */
export type DbBool = number | boolean;

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface AppsTable {
  client_id: string;
  tenant_id: string;
  name: string;
  /** JSON string[] */
  roles: string;
  secret_hash: string;
  created_at: string;
  disabled: DbBool;
}

export interface SigningKeysTable {
  kid: string;
  use: string;
  alg: string;
  /** JSON object */
  public_jwk: string;
  /** JSON object */
  private_jwk: string;
  created_at: string;
  /**
   * `use` while this key is the one in force, NULL once retired. A UNIQUE index on it makes
   * "first writer wins" atomic across server processes (NULLs never collide).
   */
  current_use: string | null;
}

export interface MachineActionsTable {
  tenant_id: string;
  id: string;
  type: string;
  title: string | null;
  requestor: string;
  requestor_comment: string;
  request_source: string;
  external_id: string | null;
  status: string;
  machine_id: string;
  computer_dns_name: string | null;
  creation_date_time_utc: string;
  last_update_date_time_utc: string;
  cancellation_requestor: string | null;
  cancellation_comment: string | null;
  cancellation_date_time_utc: string | null;
  error_h_result: number;
  error_message: string | null;
  scope: string | null;
  /** JSON RelatedFileInfo | null */
  related_file_info: string | null;
  /** JSON LiveResponseCommandEntry[] */
  commands: string;
  /** JSON, any */
  troubleshoot_info: string | null;
  /** JSON object */
  parameters: string;
  /** JSON object | null */
  result: string | null;
  expiration_date_time_utc: string;
  deadline_date_time_utc: string;
  /**
   * `type` while the action is Pending/InProgress, NULL once final. The UNIQUE index on
   * (tenant_id, machine_id, active_type) refuses a second active action of a type atomically.
   */
  active_type: string | null;
}

export interface MachinesTable {
  tenant_id: string;
  id: string;
  computer_dns_name: string;
  first_seen: string;
  last_seen: string;
  os_platform: string;
  os_version: string | null;
  os_architecture: string;
  version: string | null;
  os_build: number | null;
  last_ip_address: string | null;
  last_external_ip_address: string | null;
  agent_version: string | null;
  health_status: string;
  device_value: string;
  rbac_group_id: number;
  rbac_group_name: string | null;
  risk_score: string;
  exposure_level: string;
  aad_device_id: string | null;
  /** Derived on write from aad_device_id, so `$filter=isAadJoined eq true` is a plain column test. */
  is_aad_joined: DbBool;
  onboarding_status: string;
  /** JSON MachineIpAddress[] (the full objects; machine_ip_addresses indexes the addresses) */
  ip_addresses: string;
  isolation_state: string;
  is_restricted: DbBool;
  /** JSON string[] */
  capabilities: string;
  /** JSON string[]; NULL until the agent reports it. */
  av_signature_sources: string | null;
}

/** machineTags as rows, so `machineTags/any(...)` and findByTag are plain SQL on both engines. */
export interface MachineTagsTable {
  tenant_id: string;
  machine_id: string;
  tag: string;
}

/** Each ipAddresses[].ipAddress as a row, for findByIp. */
export interface MachineIpAddressesTable {
  tenant_id: string;
  machine_id: string;
  ip_address: string;
}

export interface RateLimitWindowsTable {
  key: string;
  /** Epoch ms (BIGINT on PostgreSQL). */
  window_start: number;
  count: Generated<number>;
}

export interface RequestNoncesTable {
  /** `<machine id>:<nonce>`. */
  nonce: string;
  /** Epoch ms after which the nonce's request is outside the clock window anyway. */
  expires_at: number;
}

export interface ServerProcessesTable {
  process_id: string;
  public_url: string;
  /** Epoch ms (BIGINT on PostgreSQL). */
  expires_at: number;
}

export interface Database {
  tenants: TenantsTable;
  apps: AppsTable;
  signing_keys: SigningKeysTable;
  machine_actions: MachineActionsTable;
  machines: MachinesTable;
  machine_tags: MachineTagsTable;
  machine_ip_addresses: MachineIpAddressesTable;
  rate_limit_windows: RateLimitWindowsTable;
  request_nonces: RequestNoncesTable;
  server_processes: ServerProcessesTable;
  machine_events: MachineEventsTable;
  live_sessions: LiveSessionsTable;
  live_session_commands: LiveSessionCommandsTable;
  live_session_events: LiveSessionEventsTable;
}

/** Console sessions (kysely-live-session-store.ts). */
export interface LiveSessionsTable {
  id: string;
  tenant_id: string;
  machine_id: string;
  computer_dns_name: string | null;
  opened_by: string;
  state: string;
  current_directory: string;
  trace: DbBool;
  creation_date_time_utc: string;
  last_activity_date_time_utc: string;
  closed_date_time_utc: string | null;
  close_reason: string | null;
  last_command_id: Generated<number>;
  last_event_seq: Generated<number>;
}

export interface LiveSessionCommandsTable {
  tenant_id: string;
  session_id: string;
  id: number;
  command_line: string;
  command: string;
  /** JSON string[] */
  argv: string;
  cwd: string;
  requestor: string;
  background: DbBool;
  output_format: string;
  status: string;
  exit_code: number | null;
  /** JSON string[] */
  errors: string;
  start_date_time_utc: string;
  end_date_time_utc: string | null;
  expires_at: string;
  timeout_ms: number;
  machine_action_id: string | null;
  /** JSON or NULL */
  result_file: string | null;
  output_truncated: DbBool;
  output_bytes: number;
  next_chunk: number;
}

export interface LiveSessionEventsTable {
  tenant_id: string;
  session_id: string;
  seq: number;
  event: string;
  command_id: number | null;
  /** JSON */
  data: string;
}

/** The change history of machines for the device timeline (kysely-machine-event-store.ts). */
export interface MachineEventsTable {
  id: string;
  tenant_id: string;
  machine_id: string;
  time: string;
  kind: string;
  /** JSON: the MachineChange without its kind. */
  detail: string;
}

/** Index names the stores refer to (unique-violation detection). */
/** One Active console session per device (migration 014). */
export const ACTIVE_LIVE_SESSION_INDEX = 'live_sessions_active_machine_unique';
export const ACTIVE_ACTION_INDEX = 'machine_actions_active_type_unique';
