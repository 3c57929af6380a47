import { describe, expect, it } from 'vitest';
import { devicesFilter } from './pages/devices.js';
import { ACTION_FILTER_DEFAULTS, actionsFilter, matchesFilters, toCsv } from './action-filters.js';
import type { MachineAction } from '@cordon/protocol';
import { href, parseRoute } from './router.js';
import { toCommands } from './pages/live-response.js';

describe('devicesFilter', () => {
  it('should build one OData $filter from every filter, quoting values', () => {
    expect(devicesFilter({ search: "o'h", health: 'Active', os: 'Linux', tag: 'prod', isolation: 'Isolated', restricted: 'true' })).toBe(
      "(contains(computerDnsName,'o''h') or startswith(lastIpAddress,'o''h') or id eq 'o''h') and healthStatus eq 'Active' and osPlatform eq 'Linux' and machineTags/any(t: t eq 'prod') and isolationState eq 'Isolated' and isRestricted eq true",
    );
  });
  it('should send no filter when nothing is chosen', () => {
    expect(devicesFilter({ search: ' ', health: '', os: '', tag: '', isolation: '', restricted: '' })).toBeUndefined();
  });
});

describe('actionsFilter', () => {
  const f = ACTION_FILTER_DEFAULTS;
  const now = Date.parse('2026-12-03T10:00:00Z');
  it('should scope to one device and combine status, type, requestor and search', () => {
    expect(actionsFilter({ ...f, status: 'Pending', type: 'Isolate', search: 'erin', requestor: "o'h" }, 'abc', now)).toBe(
      "machineId eq 'abc' and status eq 'Pending' and type eq 'Isolate' and contains(requestor,'o''h') and (contains(requestor,'erin') or contains(computerDnsName,'erin') or machineId eq 'erin')",
    );
  });
  it('should filter by device name or id and by a time range', () => {
    expect(actionsFilter({ ...f, machine: 'web-1', since: '24h' }, undefined, now)).toBe("(machineId eq 'web-1' or computerDnsName eq 'web-1') and creationDateTimeUtc ge 2026-12-02T10:00:00Z");
    const custom = actionsFilter({ ...f, since: 'custom', from: '2026-12-01T08:00', to: '2026-12-02T08:00' }, undefined, now)!;
    expect(custom).toBe(`creationDateTimeUtc ge ${new Date('2026-12-01T08:00').toISOString().slice(0, 19)}Z and creationDateTimeUtc le ${new Date('2026-12-02T08:00').toISOString().slice(0, 19)}Z`);
    expect(actionsFilter({ ...f, since: 'custom' }, undefined, now)).toBeUndefined();
  });
  it('should decide in the browser as the server does', () => {
    const a = { id: 'a1', type: 'Isolate', status: 'Cancelled', machineId: 'm1', computerDnsName: 'web-1', requestor: 'Erin', creationDateTimeUtc: '2026-12-03T09:30:00.0000000Z' } as MachineAction;
    expect(matchesFilters(a, { ...f, status: 'Pending' }, undefined, now)).toBe(false);
    expect(matchesFilters(a, { ...f, status: 'Cancelled', machine: 'WEB-1', since: '1h', requestor: 'eri' }, undefined, now)).toBe(true);
    expect(matchesFilters(a, { ...f, since: '1h' }, undefined, now + 3_600_000)).toBe(false);
    expect(matchesFilters(a, f, 'm2', now)).toBe(false);
  });
  it('should write RFC 4180 CSV with quoted fields', () => {
    const csv = toCsv([{ id: 'a1', type: 'Isolate', requestorComment: 'he said "no", then\nyes', cancellationRequestor: null } as unknown as MachineAction]);
    const [head, row] = csv.split('\r\n');
    expect(head!.split(',').slice(0, 3)).toEqual(['id', 'type', 'status']);
    expect(row).toContain('"he said ""no"", then\nyes"');
  });
});

describe('router', () => {
  it('should round-trip every route through the hash', () => {
    for (const route of [
      { page: 'dashboard' },
      { page: 'alerts' },
      { page: 'alert', id: 'da637_1' },
      { page: 'investigation', id: '63004' },
      { page: 'devices' },
      { page: 'device', id: 'a b' },
      { page: 'actions' },
      { page: 'actions', machineId: 'm1' },
      { page: 'live', id: 'm1' },
      { page: 'console', id: 'm1' },
      { page: 'library' },
    ] as const) {
      expect(parseRoute(href(route))).toEqual(route);
    }
    // The dashboard is the home page: `#/`, `#/dashboard`, no hash, and anything unknown.
    for (const hash of ['', '#/', '#/dashboard', '#/nonsense']) expect(parseRoute(hash)).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/alerts?severity=High&status=New')).toEqual({ page: 'alerts' });
  });
});

describe('toCommands', () => {
  it('should map drafts to live response commands with MDE param keys', () => {
    expect(
      toCommands([
        { type: 'PutFile', value: 'tool.sh', args: '' },
        { type: 'RunScript', value: 'tool.sh', args: '-v now' },
        { type: 'RunScript', value: 'other.sh', args: ' ' },
        { type: 'GetFile', value: '/var/log/syslog', args: '' },
      ]),
    ).toEqual([
      { type: 'PutFile', params: [{ key: 'FileName', value: 'tool.sh' }] },
      { type: 'RunScript', params: [{ key: 'ScriptName', value: 'tool.sh' }, { key: 'Args', value: '-v now' }] },
      { type: 'RunScript', params: [{ key: 'ScriptName', value: 'other.sh' }] },
      { type: 'GetFile', params: [{ key: 'Path', value: '/var/log/syslog' }] },
    ]);
  });
});
