import type { Machine } from '@cordon/protocol';
import type { MachineRecord } from '../ports/machine-store.js';

/** osProcessor is deprecated in favour of osArchitecture (mde-api.md §5); derive it. */
function processorOf(arch: string): string {
  if (arch === '64-bit') return 'x64';
  if (arch === '32-bit') return 'x86';
  return arch;
}

/** The wire Machine entity (mde-api.md §5), documented fields first, Cordon extensions last. */
export function toWireMachine(m: MachineRecord): Machine {
  return {
    id: m.id,
    computerDnsName: m.computerDnsName,
    firstSeen: m.firstSeen,
    lastSeen: m.lastSeen,
    osPlatform: m.osPlatform,
    osVersion: m.osVersion,
    osProcessor: processorOf(m.osArchitecture),
    version: m.version,
    lastIpAddress: m.lastIpAddress,
    lastExternalIpAddress: m.lastExternalIpAddress,
    agentVersion: m.agentVersion,
    osBuild: m.osBuild,
    healthStatus: m.healthStatus,
    deviceValue: m.deviceValue,
    rbacGroupId: m.rbacGroupId,
    rbacGroupName: m.rbacGroupName,
    riskScore: m.riskScore,
    exposureLevel: m.exposureLevel,
    isAadJoined: m.aadDeviceId !== null,
    aadDeviceId: m.aadDeviceId,
    machineTags: m.machineTags,
    defenderAvStatus: 'NotSupported',
    onboardingStatus: m.onboardingStatus,
    osArchitecture: m.osArchitecture,
    managedBy: 'Cordon',
    managedByStatus: 'Success',
    ipAddresses: m.ipAddresses,
    vmMetadata: null,
    isolationState: m.isolationState,
    isRestricted: m.isRestricted,
    capabilities: m.capabilities,
    avSignatureSources: m.avSignatureSources,
  };
}
