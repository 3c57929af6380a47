/** Builders for rule tests: package files in the exact shapes the agent's collectors write. */
import { createPackageView, type PackageView } from './package-view.js';
import { PACKAGE_FILES } from './linux-facts.js';

const field = (v: string | number): string => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
export const csv = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [header, ...rows].map((r) => `${r.map(field).join(',')}\r\n`).join('');

export const PROCESS_HEADER = ['Pid', 'Ppid', 'User', 'StartTime', 'Executable', 'CommandLine', 'ExecutableSha256', 'ExecutableSha1'];
/** What agents before the ExecutableSha1 column wrote; packages in this shape must still be read. */
export const PROCESS_HEADER_SHA256_ONLY = PROCESS_HEADER.slice(0, 7);
export const USERS_HEADER = ['User', 'Uid', 'Gid', 'Gecos', 'Home', 'Shell', 'PasswordStatus', 'PasswordLastChanged'];
export const TASKS_HEADER = ['Source', 'Name', 'Schedule', 'User', 'Command', 'Enabled'];
export const CONNECTIONS_HEADER = ['Protocol', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'User', 'Pids', 'ProcessNames', 'Inode'];

export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);
export const SHA1_A = 'a'.repeat(40);

/** A plausible clean Debian host: init, sshd, cron, a user shell, root and a normal user. */
export function cleanFiles(): Record<string, string> {
  return {
    [PACKAGE_FILES.processes]: csv(PROCESS_HEADER, [
      [1, 0, 'root', '2026-11-21T10:00:00.000Z', '/usr/lib/systemd/systemd', '/sbin/init', SHA_A],
      [2, 0, 'root', '2026-11-21T10:00:00.000Z', '', '[kthreadd]', ''],
      [410, 1, 'root', '2026-11-21T10:00:01.000Z', '/usr/sbin/sshd', 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', SHA_B],
      [420, 1, 'root', '2026-11-21T10:00:01.000Z', '/usr/sbin/cron', '/usr/sbin/cron -f', SHA_B],
      [900, 410, 'alice', '2026-11-21T11:00:00.000Z', '/usr/bin/bash', '-bash', SHA_B],
    ]),
    [PACKAGE_FILES.connections]: csv(CONNECTIONS_HEADER, [
      ['tcp', '0.0.0.0', 22, '0.0.0.0', 0, 'LISTEN', 'root', '410', 'sshd', '1001'],
      ['tcp', '10.0.0.5', 22, '10.0.0.9', 51000, 'ESTABLISHED', 'root', '410', 'sshd', '1002'],
      ['udp', '0.0.0.0', 68, '0.0.0.0', 0, 'UNCONN', 'root', '', '', '1003'],
    ]),
    [PACKAGE_FILES.scheduledTasks]: csv(TASKS_HEADER, [
      ['/etc/crontab', '', '17 * * * *', 'root', 'cd / && run-parts --report /etc/cron.hourly', 'yes'],
      ['/etc/cron.d/e2scrub_all', '', '30 3 * * 0', 'root', 'test -e /run/systemd/system || /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron', 'yes'],
      ['/etc/cron.daily', 'logrotate', '@daily', 'root', '/etc/cron.daily/logrotate', 'yes'],
      ['/usr/lib/systemd/system/apt-daily.timer', 'apt-daily.timer', 'OnCalendar=*-*-* 6,18:00', 'root', 'apt-daily.service', 'yes'],
    ]),
    [PACKAGE_FILES.users]: csv(USERS_HEADER, [
      ['root', 0, 0, 'root', '/root', '/bin/bash', 'Locked', '2026-01-01'],
      ['daemon', 1, 1, 'daemon', '/usr/sbin', '/usr/sbin/nologin', 'Locked', ''],
      ['alice', 1000, 1000, 'Alice', '/home/alice', '/bin/bash', 'Set', '2026-02-01'],
    ]),
    [PACKAGE_FILES.ldSoPreload]: 'No ld.so.preload found (/etc/ld.so.preload).\n',
    [PACKAGE_FILES.rcLocal]: 'No rc.local found (/etc/rc.local, /etc/rc.d/rc.local).\n',
    [PACKAGE_FILES.xdgAutostart]: '==> /etc/xdg/autostart/print-applet.desktop <==\n[Desktop Entry]\nName=Print Queue Applet\nExec=/usr/bin/system-config-printer-applet\n\n',
    [PACKAGE_FILES.systemdEnabledUnits]: '/etc/systemd/system/multi-user.target.wants/ssh.service -> /usr/lib/systemd/system/ssh.service\n/etc/systemd/system/timers.target.wants/apt-daily.timer -> /usr/lib/systemd/system/apt-daily.timer\n',
    'History/alice_bash_history.txt': 'ls -la\nssh-keygen -t ed25519\nsudo apt update\ncat ~/.ssh/authorized_keys\n',
  };
}

/** The clean host with some files replaced or added (a planted artefact). */
export function planted(changes: Record<string, string>, indicators: string[] = []): PackageView {
  return createPackageView({ files: { ...cleanFiles(), ...changes }, indicators: { sha256: indicators } });
}

export function clean(indicators: string[] = []): PackageView {
  return createPackageView({ files: cleanFiles(), indicators: { sha256: indicators } });
}

/** The clean process rows plus `extra`, as Processes.csv text. */
export function processesWith(...extra: (readonly (string | number)[])[]): string {
  return cleanFiles()[PACKAGE_FILES.processes] + extra.map((r) => csv(PROCESS_HEADER, [r]).split('\r\n')[1] + '\r\n').join('');
}

export function tasksWith(...extra: (readonly (string | number)[])[]): string {
  return cleanFiles()[PACKAGE_FILES.scheduledTasks] + extra.map((r) => csv(TASKS_HEADER, [r]).split('\r\n')[1] + '\r\n').join('');
}
