import { describe, expect, it } from 'vitest';
import { normaliseScanExclusion, validateTenantSettings } from './tenant-settings.js';

const NOW = '2026-01-01T00:00:00.0000000Z';

describe('scan exclusions', () => {
  it.each([
    ['/usr', '/usr'],
    ['/usr/', '/usr'],
    ['//opt//sdk/./bin/', '/opt/sdk/bin'],
    ['/srv/share/a file.iso', '/srv/share/a file.iso'],
    ['/srv/.hidden/..x', '/srv/.hidden/..x'],
  ])('should normalise %j to %j', (input, expected) => {
    expect(normaliseScanExclusion(input)).toBe(expected);
  });

  it.each(['usr', '', './usr', '/', '//', '/./', '/srv/../etc', '/srv/..', '/srv/a\0b'])('should refuse %j', (input) => {
    expect(normaliseScanExclusion(input)).toBeUndefined();
  });

  it('should store them normalised and once each, and default to none', () => {
    expect(validateTenantSettings({ scanExclusions: ['/usr/', '/usr', '/opt'] }, NOW).scanExclusions).toEqual(['/usr', '/opt']);
    expect(validateTenantSettings({}, NOW).scanExclusions).toEqual([]);
  });

  it('should refuse the settings naming the bad entry', () => {
    expect(() => validateTenantSettings({ scanExclusions: ['/ok', 'relative/dir'] }, NOW)).toThrow("Invalid scanExclusions entry 'relative/dir'");
  });
});
