import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadFs } from '../../../platform/read-fs.js';
import type { Exec, ExecOptions } from '../../../platform/types.js';
import type { Collector, CollectorContext, CollectorOutput } from '../collector.js';
import { cron, ldSoPreload, shellStartup, systemdEnabledUnits } from './autoruns.js';
import { shellHistory } from './history.js';
import { installedPrograms } from './installed-programs.js';
import { kernelModules } from './kernel-modules.js';
import { activeConnections, decodeAddress } from './net-connections.js';
import { firewall } from './network.js';
import { openFiles } from './open-files.js';
import { processList } from './processes.js';
import { scheduledTasks } from './scheduled-tasks.js';
import { services } from './services.js';
import { smbInbound } from './smb.js';
import { tempDirectories } from './temp-dirs.js';
import { groups, sudoers, users } from './users-groups.js';

let root: string;

/** Writes a fake device tree: path -> text, or `{ link }` for a symlink. */
function tree(files: Record<string, string | { link: string } | { exe: string }>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'string') writeFileSync(full, content);
    else if ('link' in content) symlinkSync(content.link, full);
    else {
      writeFileSync(full, content.exe);
      chmodSync(full, 0o755);
    }
  }
}

interface ExecCall {
  file: string;
  args: readonly string[];
  options?: ExecOptions;
}

function context(exec: Exec = async () => ({ exitCode: 0, stdout: '', stderr: '' })): CollectorContext {
  const memos = new Map<string, Promise<unknown>>();
  return {
    fs: createReadFs(root),
    exec,
    signal: new AbortController().signal,
    maxBytes: 1024 * 1024,
    timeoutMs: 3000,
    memo: <T>(key: string, f: () => Promise<T>) => {
      if (!memos.has(key)) memos.set(key, f());
      return memos.get(key) as Promise<T>;
    },
  };
}

const text = (out: CollectorOutput) => String(out.data);
const run = (c: Collector, exec?: Exec) => c.collect(context(exec));

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice A,,,:/home/alice:/bin/zsh\nbob:x:1001:1001::/home/bob:/bin/sh\n';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cordon-cip-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('users and groups collectors', () => {
  it('should list accounts with password status from shadow, never the hash', async () => {
    tree({ 'etc/passwd': PASSWD, 'etc/shadow': 'root:$6$salt$hash:19000:0:99999:7:::\nalice:!:19500::::::\nbob::::::::\n' });
    expect(text(await run(users))).toBe(
      'User,Uid,Gid,Gecos,Home,Shell,PasswordStatus,PasswordLastChanged\r\n' +
        'root,0,0,root,/root,/bin/bash,Set,2022-01-08\r\n' +
        'alice,1000,1000,"Alice A,,,",/home/alice,/bin/zsh,Locked,2023-05-23\r\n' +
        'bob,1001,1001,,/home/bob,/bin/sh,NoPassword,\r\n',
    );
  });

  it('should list groups with explicit and primary-group members', async () => {
    tree({ 'etc/passwd': PASSWD, 'etc/group': 'root:x:0:\nsudo:x:27:alice,bob\nalice:x:1000:\n' });
    expect(text(await run(groups))).toBe('Group,Gid,Members\r\nroot,0,root\r\nsudo,27,alice bob\r\nalice,1000,alice\r\n');
  });

  it('should dump sudoers and sudoers.d with a header per file', async () => {
    tree({ 'etc/sudoers': 'root ALL=(ALL:ALL) ALL\n', 'etc/sudoers.d/alice': 'alice ALL=(ALL) NOPASSWD: ALL' });
    expect(text(await run(sudoers))).toBe('==> /etc/sudoers <==\nroot ALL=(ALL:ALL) ALL\n\n==> /etc/sudoers.d/alice <==\nalice ALL=(ALL) NOPASSWD: ALL\n\n');
  });
});

describe('autoruns collectors', () => {
  it('should dump crontab and cron.d and say so when ld.so.preload is absent', async () => {
    tree({ 'etc/crontab': '17 * * * * root run-parts /etc/cron.hourly\n', 'etc/cron.d/evil': '* * * * * root /tmp/x\n' });
    expect(text(await run(cron))).toBe('==> /etc/crontab <==\n17 * * * * root run-parts /etc/cron.hourly\n\n==> /etc/cron.d/evil <==\n* * * * * root /tmp/x\n\n');
    expect(text(await run(ldSoPreload))).toBe('No ld.so.preload found (/etc/ld.so.preload).\n');
  });

  it('should read every account home for shell startup files', async () => {
    tree({ 'etc/passwd': PASSWD, 'etc/profile.d/a.sh': 'export A=1\n', 'home/alice/.zshrc': 'curl x | sh\n' });
    expect(text(await run(shellStartup))).toBe('==> /etc/profile.d/a.sh <==\nexport A=1\n\n==> /home/alice/.zshrc <==\ncurl x | sh\n\n');
  });

  it('should list enabled units from the wants symlinks', async () => {
    tree({ 'etc/systemd/system/multi-user.target.wants/ssh.service': { link: '/lib/systemd/system/ssh.service' } });
    expect(text(await run(systemdEnabledUnits))).toBe('/etc/systemd/system/multi-user.target.wants/ssh.service -> /lib/systemd/system/ssh.service\n');
  });
});

describe(scheduledTasks.name, () => {
  it('should list cron entries of every source and systemd timers', async () => {
    tree({
      'etc/crontab': 'SHELL=/bin/sh\n# comment\n17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n',
      'etc/cron.d/backup': '@reboot backup /usr/local/bin/backup "a, b"\n',
      'var/spool/cron/crontabs/alice': '*/5 * * * * /home/alice/x.sh\n',
      'etc/cron.daily/logrotate': '#!/bin/sh\n',
      'etc/systemd/system/clean.timer': '[Timer]\nOnCalendar=daily\nOnBootSec=15min\nUnit=cleaner.service\n',
      'lib/systemd/system/clean.timer': '[Timer]\nOnCalendar=weekly\n',
      'lib/systemd/system/fstrim.timer': '[Timer]\nOnCalendar=weekly\n',
      'etc/systemd/system/timers.target.wants/fstrim.timer': { link: '/lib/systemd/system/fstrim.timer' },
    });
    expect(text(await run(scheduledTasks))).toBe(
      'Source,Name,Schedule,User,Command,Enabled\r\n' +
        '/etc/crontab,,17 * * * *,root,cd / && run-parts --report /etc/cron.hourly,yes\r\n' +
        '/etc/cron.d/backup,,@reboot,backup,"/usr/local/bin/backup ""a, b""",yes\r\n' +
        '/var/spool/cron/crontabs/alice,,*/5 * * * *,alice,/home/alice/x.sh,yes\r\n' +
        '/etc/cron.daily,logrotate,@daily,root,/etc/cron.daily/logrotate,yes\r\n' +
        '/etc/systemd/system/clean.timer,clean.timer,OnCalendar=daily; OnBootSec=15min,root,cleaner.service,no\r\n' +
        '/lib/systemd/system/fstrim.timer,fstrim.timer,OnCalendar=weekly,root,fstrim.service,yes\r\n',
    );
  });
});

describe(shellHistory.name, () => {
  it('should write one file per user and history file', async () => {
    tree({ 'etc/passwd': PASSWD, 'home/alice/.zsh_history': 'ls\nwhoami\n', 'home/bob/.bash_history': 'id\n' });
    const out = await run(shellHistory);
    expect(Object.fromEntries(Object.entries(out.files!).map(([k, v]) => [k, String(v)]))).toEqual({ 'alice_zsh_history.txt': 'ls\nwhoami\n', 'bob_bash_history.txt': 'id\n' });
  });

  it('should say so when there is no history', async () => {
    tree({ 'etc/passwd': PASSWD });
    expect((await run(shellHistory)).files).toEqual({ 'History.txt': 'No shell history files found.\n' });
  });
});

describe(tempDirectories.name, () => {
  it('should list temp entries in one file per owner', async () => {
    const uid = process.getuid!();
    tree({ 'etc/passwd': `me:x:${uid}:${uid}::/nonexistent:/bin/sh\n`, 'tmp/payload.sh': 'echo hi\n', 'tmp/.x/y': 'z', 'tmp/l': { link: '/etc/shadow' } });
    chmodSync(join(root, 'tmp/payload.sh'), 0o755);
    chmodSync(join(root, 'tmp/.x'), 0o700);
    chmodSync(join(root, 'tmp/.x/y'), 0o600);
    const t = new Date('2024-01-02T03:04:05.000Z');
    for (const p of ['tmp/payload.sh', 'tmp/.x', 'tmp/.x/y']) utimesSync(join(root, p), t, t);
    const out = await run(tempDirectories);
    const lines = String(out.files!['me.txt']).split('\n');
    expect(lines[0]).toBe(`drwx------ ${(await createReadFs(root).stat('/tmp/.x'))!.size} 2024-01-02T03:04:05.000Z /tmp/.x`);
    expect(lines[1]).toBe('-rw------- 1 2024-01-02T03:04:05.000Z /tmp/.x/y');
    expect(lines[2]).toMatch(/^lrwxrwxrwx 11 \S+ \/tmp\/l -> \/etc\/shadow$/);
    expect(lines[3]).toBe('-rwxr-xr-x 8 2024-01-02T03:04:05.000Z /tmp/payload.sh');
    expect(Object.keys(out.files!)).toEqual(['me.txt']);
  });
});

describe('process collectors', () => {
  const stat = (pid: number, comm: string, ppid: number, start: number) =>
    `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 ${start} 1000 100 18446744073709551615\n`;

  function fakeProcs(): void {
    tree({
      'etc/passwd': PASSWD,
      'proc/stat': 'cpu  1 2 3\nbtime 1700000000\n',
      'bin/evil': 'MZ-not-really',
      'proc/100/stat': stat(100, 'ev il) x', 1, 12345),
      'proc/100/status': 'Name:\tevil\nUid:\t1000\t1000\t1000\t1000\n',
      'proc/100/cmdline': '/bin/evil\0--flag\0a,b\0',
      'proc/100/exe': { link: '../../bin/evil' },
      'proc/100/fd/0': { link: '/dev/null' },
      'proc/100/fd/3': { link: 'socket:[4242]' },
      'proc/2/stat': stat(2, 'kthreadd', 0, 0),
      'proc/2/status': 'Name:\tkthreadd\nUid:\t0\t0\t0\t0\n',
      'proc/2/cmdline': '',
      'proc/net/tcp':
        '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0\n',
      'proc/net/udp6':
        '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' +
        '   1: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 777 2 0 0\n',
    });
  }

  it('should list processes from /proc with start time and executable sha256 and sha1', async () => {
    fakeProcs();
    const sha = createHash('sha256').update('MZ-not-really').digest('hex');
    const sha1 = createHash('sha1').update('MZ-not-really').digest('hex');
    expect(text(await run(processList))).toBe(
      'Pid,Ppid,User,StartTime,Executable,CommandLine,ExecutableSha256,ExecutableSha1\r\n' +
        '2,0,root,2023-11-14T22:13:20.000Z,,[kthreadd],,\r\n' +
        `100,1,alice,2023-11-14T22:15:23.450Z,../../bin/evil,"/bin/evil --flag a,b",${sha},${sha1}\r\n`,
    );
  });

  it('should read each distinct executable once for both hashes (cache by dev and inode)', async () => {
    fakeProcs();
    tree({ 'proc/101/stat': stat(101, 'evil', 1, 12345), 'proc/101/status': 'Name:\tevil\nUid:\t1000\t1000\t1000\t1000\n', 'proc/101/cmdline': '/bin/evil\0', 'proc/101/exe': { link: '../../bin/evil' } });
    const ctx = context();
    const reads: string[] = [];
    const fs = { ...ctx.fs, sha256AndSha1: (path: string, max: number) => { reads.push(path); return ctx.fs.sha256AndSha1(path, max); }, sha256: () => Promise.reject(new Error('hashes come from one read')) };
    const rows = text(await processList.collect({ ...ctx, fs })).trim().split('\r\n');
    expect(reads).toHaveLength(1);
    expect(rows.slice(2).map((r) => r.split(',').slice(-2))).toEqual([
      [createHash('sha256').update('MZ-not-really').digest('hex'), createHash('sha1').update('MZ-not-really').digest('hex')],
      [createHash('sha256').update('MZ-not-really').digest('hex'), createHash('sha1').update('MZ-not-really').digest('hex')],
    ]);
  });

  it('should join sockets to their owning process', async () => {
    fakeProcs();
    expect(text(await run(activeConnections))).toBe(
      'Protocol,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,User,Pids,ProcessNames,Inode\r\n' +
        'tcp,127.0.0.1,8080,0.0.0.0,0,LISTEN,alice,100,ev il) x,4242\r\n' +
        'udp6,::1,53,::,0,UNCONN,root,,,777\r\n',
    );
  });

  it('should list open descriptors', async () => {
    fakeProcs();
    expect(text(await run(openFiles))).toBe('Pid,ProcessName,User,Fd,Target\r\n100,ev il) x,alice,0,/dev/null\r\n100,ev il) x,alice,3,socket:[4242]\r\n');
  });

  it('should decode kernel socket addresses', () => {
    expect(decodeAddress('0100007F:0016')).toEqual({ address: '127.0.0.1', port: 22 });
    expect(decodeAddress('B80D01200000000067452301EFCDAB89:01BB')).toEqual({ address: '2001:db8::123:4567:89ab:cdef', port: 443 });
  });
});

describe('other file collectors', () => {
  it('should parse the dpkg database into CSV', async () => {
    tree({ 'var/lib/dpkg/status': 'Package: zsh\nStatus: install ok installed\nVersion: 5.9-4\nArchitecture: amd64\nInstalled-Size: 2000\nDescription: shell\n long text\n\nPackage: bash\nStatus: install ok installed\nVersion: 5.2\nArchitecture: amd64\nDescription: GNU shell\n' });
    expect(text(await run(installedPrograms))).toBe(
      'Name,Version,Architecture,Status,InstalledSizeKB,Description\r\nbash,5.2,amd64,install ok installed,,GNU shell\r\nzsh,5.9-4,amd64,install ok installed,2000,shell\r\n',
    );
  });

  it('should list kernel modules from /proc/modules', async () => {
    tree({ 'proc/modules': 'nf_tables 344064 5 nft_ct,nft_chain_nat, Live 0x0000000000000000\nloop 40960 0 - Live 0x0000000000000000\n' });
    expect(text(await run(kernelModules))).toBe('Module,SizeBytes,RefCount,UsedBy,State\r\nnf_tables,344064,5,nft_ct nft_chain_nat,Live\r\nloop,40960,0,,Live\r\n');
  });

  it('should report kernel modules not available without /proc/modules', async () => {
    await expect(run(kernelModules)).rejects.toThrow(/not exist/);
  });
});

describe('tool collectors', () => {
  it('should run the tool found under the root with an argv and its caps', async () => {
    tree({ 'usr/sbin/nft': { exe: '' } });
    const calls: ExecCall[] = [];
    const exec: Exec = async (file, args, options) => {
      calls.push({ file, args, options });
      return { exitCode: 0, stdout: 'table inet cordon {\n}\n', stderr: '' };
    };
    expect(text(await run(firewall, exec))).toBe('table inet cordon {\n}\n');
    expect(calls).toEqual([{ file: '/usr/sbin/nft', args: ['list', 'ruleset'], options: expect.objectContaining({ timeoutMs: 3000, maxOutputBytes: 1024 * 1024 + 1 }) }]);
  });

  it('should fail with the tool stderr on a non-zero exit', async () => {
    tree({ 'usr/sbin/nft': { exe: '' } });
    await expect(run(firewall, async () => ({ exitCode: 1, stdout: '', stderr: 'Operation not permitted\n' }))).rejects.toThrow('nft exited with 1: Operation not permitted');
  });

  it('should say no SMB sessions when Samba is not installed', async () => {
    expect(text(await run(smbInbound))).toBe('no SMB sessions (Samba is not installed)\n');
  });

  it('should report services not available without systemd, and parse systemctl with it', async () => {
    await expect(run(services)).rejects.toThrow('systemd is not running on this device');
    tree({ 'run/systemd/system/.keep': '', 'usr/bin/systemctl': { exe: '' } });
    const exec: Exec = async (_file, args) => ({
      exitCode: 0,
      stderr: '',
      stdout: args[0] === 'list-units' ? 'ssh.service loaded active running OpenBSD Secure Shell server\ncron.service loaded inactive dead Regular background program\n' : 'ssh.service enabled enabled\ncron.service disabled enabled\n',
    });
    expect(text(await run(services, exec))).toBe(
      'Unit,Load,Active,Sub,UnitFileState,Description\r\nssh.service,loaded,active,running,enabled,OpenBSD Secure Shell server\r\ncron.service,loaded,inactive,dead,disabled,Regular background program\r\n',
    );
  });
});
