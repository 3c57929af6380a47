/**
 * Fixture builders with overrides (house-style 8.9): a valid record by default, fresh ids each
 * call, fixed timestamps (no wall clock), so each test states only what it cares about.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ActionRecord, MachineRecord } from '@cordon/core';

/** The tenant fixtures belong to unless told otherwise. */
export const TEST_TENANT_ID = '00000000-0000-4000-8000-000000000001';

/** The instant fixtures are created at: 2026-01-01T00:00:00Z in MDE form. */
export const FIXTURE_TIME = '2026-01-01T00:00:00.0000000Z';

/** A Pending Isolate action on a random machine, created at FIXTURE_TIME, expiring a week later. */
export function makeAction(overrides: Partial<ActionRecord> = {}): ActionRecord {
  return {
    tenantId: TEST_TENANT_ID,
    id: randomUUID(),
    type: 'Isolate',
    title: null,
    requestor: 'analyst@contoso.com',
    requestorComment: 'fixture',
    requestSource: 'PublicApi',
    externalId: null,
    status: 'Pending',
    machineId: randomBytes(20).toString('hex'),
    computerDnsName: 'host.contoso.local',
    creationDateTimeUtc: FIXTURE_TIME,
    lastUpdateDateTimeUtc: FIXTURE_TIME,
    cancellationRequestor: null,
    cancellationComment: null,
    cancellationDateTimeUtc: null,
    errorHResult: 0,
    errorMessage: null,
    scope: 'Full',
    relatedFileInfo: null,
    commands: [],
    troubleshootInfo: null,
    parameters: { IsolationType: 'Full' },
    result: null,
    expirationDateTimeUtc: '2026-01-08T00:00:00.0000000Z',
    deadlineDateTimeUtc: '2026-01-08T00:00:00.0000000Z',
    ...overrides,
  };
}

/** An Active, onboarded Linux machine with a random 40-hex id and a matching unique name. */
export function makeMachine(overrides: Partial<MachineRecord> = {}): MachineRecord {
  const id = randomBytes(20).toString('hex');
  return {
    tenantId: TEST_TENANT_ID,
    id,
    computerDnsName: `host-${id.slice(0, 8)}.contoso.local`,
    firstSeen: FIXTURE_TIME,
    lastSeen: FIXTURE_TIME,
    osPlatform: 'Linux',
    osVersion: '12',
    osArchitecture: '64-bit',
    version: '12',
    osBuild: null,
    lastIpAddress: '10.0.0.10',
    lastExternalIpAddress: '203.0.113.10',
    agentVersion: '0.1.0',
    healthStatus: 'Active',
    deviceValue: 'Normal',
    rbacGroupId: 0,
    rbacGroupName: null,
    riskScore: 'None',
    exposureLevel: 'None',
    aadDeviceId: null,
    machineTags: [],
    onboardingStatus: 'Onboarded',
    ipAddresses: [{ ipAddress: '10.0.0.10', macAddress: '00-15-5D-00-00-01', operationalStatus: 'Up', type: 'Ethernet' }],
    isolationState: 'NotIsolated',
    isRestricted: false,
    capabilities: [],
    avSignatureSources: null,
    ...overrides,
  };
}
