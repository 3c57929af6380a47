import { describe, expect, it } from 'vitest';
import { isAllowed, OPERATION_PERMISSIONS, type OperationId } from '@cordon/protocol';
import { parseRoles, scopesForRoles, USER_ROLES } from './roles.js';

const allowed = (roles: string[]) =>
  (Object.keys(OPERATION_PERMISSIONS) as OperationId[]).filter((op) => isAllowed(op, { kind: 'delegated', permissions: scopesForRoles(roles) }));

describe('roles', () => {
  it('should let View data read devices, actions, alerts, the library and settings and nothing else', () => {
    expect(allowed(['View data'])).toEqual([
      'listMachineActions', 'getMachineAction', 'streamCordonEvents', 'listLibraryFiles', 'getLibraryFileDownloadLink', 'findMachinesByTag', 'findMachinesByIp', 'listInvestigations', 'getInvestigation', 'listAlerts', 'getAlert', 'listMachineAlerts', 'getCordonSettings', 'listLogonUsers', 'listMachines', 'getMachineTimeline', 'getMachine',
    ]);
  });

  it('should let Active remediation actions isolate, restrict, scan, quarantine and cancel, but not collect packages', () => {
    const ops = allowed(['Active remediation actions']);
    for (const op of ['isolate', 'unisolate', 'restrictCodeExecution', 'unrestrictCodeExecution', 'runAntiVirusScan', 'stopAndQuarantineFile', 'cancelMachineAction'] as const) expect(ops).toContain(op);
    expect(ops).not.toContain('collectInvestigationPackage');
    expect(ops).not.toContain('offboard');
  });

  it('should let Alerts investigation collect and download packages, scan, tag and start investigations', () => {
    const ops = allowed(['Alerts investigation']);
    for (const op of ['collectInvestigationPackage', 'getPackageUri', 'runAntiVirusScan', 'addOrRemoveTag', 'startInvestigation'] as const) expect(ops).toContain(op);
    expect(ops).not.toContain('isolate');
  });

  it('should keep library management for Manage security settings and Live response advanced', () => {
    expect(allowed(['Live response basic'])).toContain('runLiveResponse');
    expect(allowed(['Live response basic'])).not.toContain('uploadLibraryFile');
    expect(allowed(['Live response advanced'])).toContain('uploadLibraryFile');
    expect(allowed(['Manage security settings'])).toEqual(expect.arrayContaining(['offboard', 'uploadLibraryFile', 'deleteLibraryFile', 'addOrRemoveTag']));
  });

  it('should parse role lists case-insensitively, accept all, and refuse unknown names', () => {
    expect(parseRoles('view data, ACTIVE REMEDIATION ACTIONS')).toEqual(['View data', 'Active remediation actions']);
    expect(parseRoles('all')).toEqual([...USER_ROLES]);
    expect(() => parseRoles('View data,Admin')).toThrow("unknown role 'Admin'");
  });
});
