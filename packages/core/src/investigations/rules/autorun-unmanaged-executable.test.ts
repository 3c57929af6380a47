import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../linux-facts.js';
import { clean, cleanFiles, planted, tasksWith } from '../package.fixture.js';
import { rule } from './autorun-unmanaged-executable.js';

describe(rule.id, () => {
  it('should flag cron, rc.local, XDG and systemd autostarts of programs outside package-managed directories', () => {
    const pkg = planted({
      [PACKAGE_FILES.scheduledTasks]: tasksWith(['/var/spool/cron/crontabs/alice', '', '*/5 * * * *', 'alice', '/home/alice/.cache/upd >/dev/null 2>&1', 'yes']),
      [PACKAGE_FILES.rcLocal]: '==> /etc/rc.local <==\n#!/bin/sh -e\n# comment /home/x\n/var/tmp/.s &\nexit 0\n\n',
      [PACKAGE_FILES.xdgAutostart]: `${cleanFiles()[PACKAGE_FILES.xdgAutostart]}==> /home/bob/.config/autostart/sync.desktop <==\n[Desktop Entry]\nExec="/home/bob/.local/sync" --quiet\n\n`,
      [PACKAGE_FILES.systemdEnabledUnits]: `${cleanFiles()[PACKAGE_FILES.systemdEnabledUnits]}/etc/systemd/system/multi-user.target.wants/dbus-x.service -> /dev/shm/dbus-x.service\n`,
    });
    expect(rule.evaluate(pkg).map((h) => [h.packagePath, h.filePath])).toEqual([
      [PACKAGE_FILES.scheduledTasks, '/home/alice/.cache/upd'],
      [PACKAGE_FILES.rcLocal, '/var/tmp/.s'],
      [PACKAGE_FILES.xdgAutostart, '/home/bob/.local/sync'],
      [PACKAGE_FILES.systemdEnabledUnits, '/dev/shm/dbus-x.service'],
    ]);
  });

  it('should find nothing on a clean host (package paths, /etc scripts, relative commands)', () => {
    expect(rule.evaluate(clean())).toEqual([]);
  });
});
