import { describe, expect, it } from 'vitest';
import { devicesFilter } from './pages/devices.js';
import { actionsFilter } from './components/action-list.js';
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
  it('should scope to one device and combine status, type and search', () => {
    expect(actionsFilter({ status: 'Pending', type: 'Isolate', search: 'erin' }, 'abc')).toBe(
      "machineId eq 'abc' and status eq 'Pending' and type eq 'Isolate' and (contains(requestor,'erin') or contains(computerDnsName,'erin') or machineId eq 'erin')",
    );
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
