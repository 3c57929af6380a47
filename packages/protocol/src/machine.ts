/** The Machine entity (mde-api.md §5), plus Cordon extensions marked `@extension`. */

export const HEALTH_STATUSES = [
  'Active',
  'Inactive',
  'ImpairedCommunication',
  'NoSensorData',
  'NoSensorDataImpairedCommunication',
  'Unknown',
] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Observed JSON spelling is `Onboarded` (T-xsoar); the doc table lowercases it. */
export const ONBOARDING_STATUSES = ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo', 'Offboarded'] as const;
export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];

export const RISK_SCORES = ['None', 'Informational', 'Low', 'Medium', 'High'] as const;
export type RiskScore = (typeof RISK_SCORES)[number];

export const EXPOSURE_LEVELS = ['None', 'Low', 'Medium', 'High'] as const;
export type ExposureLevel = (typeof EXPOSURE_LEVELS)[number];

export const DEVICE_VALUES = ['Normal', 'Low', 'High'] as const;
export type DeviceValue = (typeof DEVICE_VALUES)[number];

/** @extension Cordon: whether the agent currently enforces network isolation. */
export const ISOLATION_STATES = ['NotIsolated', 'Isolated', 'SelectivelyIsolated'] as const;
export type IsolationState = (typeof ISOLATION_STATES)[number];

export interface MachineIpAddress {
  ipAddress: string;
  macAddress: string;
  operationalStatus: string;
  type: string;
}

export interface Machine {
  id: string;
  computerDnsName: string;
  firstSeen: string;
  lastSeen: string;
  osPlatform: string;
  osVersion: string | null;
  osProcessor: string;
  version: string | null;
  lastIpAddress: string | null;
  lastExternalIpAddress: string | null;
  agentVersion: string | null;
  osBuild: number | null;
  healthStatus: HealthStatus;
  deviceValue: DeviceValue;
  rbacGroupId: number;
  rbacGroupName: string | null;
  riskScore: RiskScore;
  exposureLevel: ExposureLevel;
  isAadJoined: boolean;
  aadDeviceId: string | null;
  machineTags: string[];
  defenderAvStatus: string;
  onboardingStatus: OnboardingStatus;
  osArchitecture: string;
  managedBy: string;
  managedByStatus: string;
  ipAddresses: MachineIpAddress[];
  vmMetadata: unknown | null;
  /** @extension Cordon: network isolation enforced by the agent. */
  isolationState: IsolationState;
  /** @extension Cordon: whether app execution restriction is enforced. */
  isRestricted: boolean;
  /** @extension Cordon: what the agent said it can run (action types). */
  capabilities: string[];
  /**
   * @extension Cordon: the antivirus signature sets the agent scans with (`builtin`: the EICAR set
   * every agent has; `clamav`: a ClamAV database), tenant signatures aside; null until it reports.
   */
  avSignatureSources: string[] | null;
}

/**
 * The Cordon release, one for the whole repository: the agent reports it as `agentVersion`, and
 * the server ships agents of this version (so a device reporting another runs an older agent).
 */
export const CORDON_VERSION = '0.1.0';
