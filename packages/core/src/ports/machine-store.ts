import type { DeviceValue, HealthStatus, IsolationState, MachineIpAddress, OnboardingStatus, RiskScore, ExposureLevel } from '@cordon/protocol';
import type { ODataQuery } from '../odata/ast.js';
import type { ListResult } from './action-store.js';

/** A machine as the domain keeps it. Wire entity derived by `toWireMachine`. */
export interface MachineRecord {
  tenantId: string;
  id: string;
  computerDnsName: string;
  firstSeen: string;
  lastSeen: string;
  osPlatform: string;
  osVersion: string | null;
  osArchitecture: string;
  version: string | null;
  osBuild: number | null;
  lastIpAddress: string | null;
  lastExternalIpAddress: string | null;
  agentVersion: string | null;
  healthStatus: HealthStatus;
  deviceValue: DeviceValue;
  rbacGroupId: number;
  rbacGroupName: string | null;
  riskScore: RiskScore;
  exposureLevel: ExposureLevel;
  aadDeviceId: string | null;
  machineTags: string[];
  onboardingStatus: OnboardingStatus;
  ipAddresses: MachineIpAddress[];
  isolationState: IsolationState;
  isRestricted: boolean;
  capabilities: string[];
  /** What the agent scans with (`builtin`, `clamav`); null until an agent reports it. */
  avSignatureSources: string[] | null;
}

export type MachinePatch = Partial<Omit<MachineRecord, 'tenantId' | 'id' | 'firstSeen'>>;

/** What the person needs to pick one of several machines by id. */
export type MachineCandidate = Pick<MachineRecord, 'id' | 'computerDnsName' | 'lastSeen' | 'onboardingStatus'>;

/** Most candidates an ambiguous reference lists; `more` says there were others. */
export const MAX_MACHINE_CANDIDATES = 10;

/** What a machine route's `{id}` refers to (MachineStore.resolve). */
export type MachineResolution =
  | { kind: 'machine'; machine: MachineRecord }
  /** Several machines fit and none is preferred: the caller must use an id. Most recently seen first. */
  | { kind: 'ambiguous'; candidates: MachineCandidate[]; more: boolean }
  | { kind: 'none' };

export interface MachineStore {
  /** Inserts or fully replaces a machine (enrollment, seeding). */
  upsert(machine: MachineRecord): Promise<void>;
  get(tenantId: string, id: string): Promise<MachineRecord | undefined>;
  /**
   * Resolves `{id}` of machine routes (mde-api.md §5): a machine id always wins, then an
   * aadDeviceId, then the computer name in any case. Several aadDeviceId or name matches resolve
   * to the one machine among them that is not offboarded; several such machines (or only
   * offboarded ones) are `ambiguous` — never one picked at random (docs/extensions.md).
   */
  resolve(tenantId: string, idOrNameOrAadId: string): Promise<MachineResolution>;
  list(tenantId: string, query: ODataQuery): Promise<ListResult<MachineRecord>>;
  update(tenantId: string, id: string, patch: MachinePatch): Promise<MachineRecord | undefined>;
  /** Exact tag match, or prefix match when `startsWith` (mde-api.md §4.12). */
  findByTag(tenantId: string, tag: string, startsWith: boolean): Promise<MachineRecord[]>;
  /** Machines that had `ip` as an address around `atOrBefore` (MDE: within 15 minutes either side). */
  findByIp(tenantId: string, ip: string, from: string, to: string): Promise<MachineRecord[]>;
  /** Marks machines whose lastSeen is before `before` as Inactive; returns how many changed. */
  markInactive(before: string): Promise<number>;
  /**
   * Liveness of many machines in one go: lastSeen = `at` and healthStatus Active for each of
   * `entries` that exists (unknown ones are skipped); returns how many were written. Heartbeats are
   * coalesced into these batches so that idle devices cost one statement per batch, not a
   * transaction each.
   */
  markSeen(entries: readonly MachineRef[], at: string): Promise<number>;
}

/** One machine of one tenant. */
export interface MachineRef {
  tenantId: string;
  id: string;
}
