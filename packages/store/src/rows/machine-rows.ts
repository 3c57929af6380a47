/** MachineRecord <-> machines row (tags and addresses live in their own tables). */
import type { DeviceValue, ExposureLevel, HealthStatus, IsolationState, MachineIpAddress, OnboardingStatus, RiskScore } from '@cordon/protocol';
import type { MachinePatch, MachineRecord } from '@cordon/core';
import type { MachinesTable } from '../schema.js';
import { fromDbBool, fromJson, toDbBool, toJson } from './json.js';

export function toMachineRecord(row: MachinesTable, tags: string[]): MachineRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    computerDnsName: row.computer_dns_name,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    osPlatform: row.os_platform,
    osVersion: row.os_version,
    osArchitecture: row.os_architecture,
    version: row.version,
    osBuild: row.os_build === null ? null : Number(row.os_build),
    lastIpAddress: row.last_ip_address,
    lastExternalIpAddress: row.last_external_ip_address,
    agentVersion: row.agent_version,
    healthStatus: row.health_status as HealthStatus,
    deviceValue: row.device_value as DeviceValue,
    rbacGroupId: Number(row.rbac_group_id),
    rbacGroupName: row.rbac_group_name,
    riskScore: row.risk_score as RiskScore,
    exposureLevel: row.exposure_level as ExposureLevel,
    aadDeviceId: row.aad_device_id,
    machineTags: tags,
    onboardingStatus: row.onboarding_status as OnboardingStatus,
    ipAddresses: fromJson<MachineIpAddress[]>(row.ip_addresses),
    isolationState: row.isolation_state as IsolationState,
    isRestricted: fromDbBool(row.is_restricted),
    capabilities: fromJson<string[]>(row.capabilities),
    avSignatureSources: row.av_signature_sources === null ? null : fromJson<string[]>(row.av_signature_sources),
  };
}

export function toMachineRow(m: MachineRecord): MachinesTable {
  return { tenant_id: m.tenantId, id: m.id, first_seen: m.firstSeen, ...toMachinePatchRow(m) } as MachinesTable;
}

/** Columns a patch sets (tags and addresses are rows elsewhere: the store replaces those). */
export function toMachinePatchRow(p: MachinePatch): Partial<MachinesTable> {
  const row: Partial<MachinesTable> = {};
  if (p.computerDnsName !== undefined) row.computer_dns_name = p.computerDnsName;
  if (p.lastSeen !== undefined) row.last_seen = p.lastSeen;
  if (p.osPlatform !== undefined) row.os_platform = p.osPlatform;
  if (p.osVersion !== undefined) row.os_version = p.osVersion;
  if (p.osArchitecture !== undefined) row.os_architecture = p.osArchitecture;
  if (p.version !== undefined) row.version = p.version;
  if (p.osBuild !== undefined) row.os_build = p.osBuild;
  if (p.lastIpAddress !== undefined) row.last_ip_address = p.lastIpAddress;
  if (p.lastExternalIpAddress !== undefined) row.last_external_ip_address = p.lastExternalIpAddress;
  if (p.agentVersion !== undefined) row.agent_version = p.agentVersion;
  if (p.healthStatus !== undefined) row.health_status = p.healthStatus;
  if (p.deviceValue !== undefined) row.device_value = p.deviceValue;
  if (p.rbacGroupId !== undefined) row.rbac_group_id = p.rbacGroupId;
  if (p.rbacGroupName !== undefined) row.rbac_group_name = p.rbacGroupName;
  if (p.riskScore !== undefined) row.risk_score = p.riskScore;
  if (p.exposureLevel !== undefined) row.exposure_level = p.exposureLevel;
  if (p.aadDeviceId !== undefined) {
    row.aad_device_id = p.aadDeviceId;
    row.is_aad_joined = toDbBool(p.aadDeviceId !== null); // isAadJoined is derived (core machine-wire.ts)
  }
  if (p.onboardingStatus !== undefined) row.onboarding_status = p.onboardingStatus;
  if (p.ipAddresses !== undefined) row.ip_addresses = toJson(p.ipAddresses);
  if (p.isolationState !== undefined) row.isolation_state = p.isolationState;
  if (p.isRestricted !== undefined) row.is_restricted = toDbBool(p.isRestricted);
  if (p.capabilities !== undefined) row.capabilities = toJson(p.capabilities);
  if (p.avSignatureSources !== undefined) row.av_signature_sources = p.avSignatureSources === null ? null : toJson(p.avSignatureSources);
  return row;
}

/** Distinct addresses of a machine, as rows of machine_ip_addresses. */
export function ipAddressesOf(m: Pick<MachineRecord, 'ipAddresses'>): string[] {
  return [...new Set(m.ipAddresses.map((a) => a.ipAddress))];
}
