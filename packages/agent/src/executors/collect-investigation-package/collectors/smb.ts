/**
 * SMB sessions: inbound from Samba's `smbstatus`, outbound as the CIFS/SMB mounts of this device.
 * As on Windows (mde-api.md §6), no sessions gives a file that says so rather than no file.
 */
import type { Collector } from '../collector.js';
import { findTool, readText, runTool } from './util.js';

const FOLDER = 'SMB sessions';

export const smbInbound: Collector = {
  name: 'SMB inbound sessions',
  folder: FOLDER,
  fileName: 'SMBInboundSessions.txt',
  command: 'smbstatus -b (when Samba is installed)',
  async collect(ctx) {
    if (!(await findTool(ctx, 'smbstatus'))) return { data: 'no SMB sessions (Samba is not installed)\n' };
    const { text, truncated } = await runTool(ctx, 'smbstatus', ['-b']);
    return { data: text.trim() ? text : 'no SMB sessions\n', truncated };
  },
};

export const smbOutbound: Collector = {
  name: 'SMB outbound sessions',
  folder: FOLDER,
  fileName: 'SMBOutboundSessions.txt',
  command: 'cifs/smb3 entries of /proc/mounts',
  async collect(ctx) {
    const mounts = ((await readText(ctx, '/proc/mounts')) ?? '').split('\n').filter((l) => /^\S+ \S+ (cifs|smb3|smbfs) /.test(l));
    return { data: mounts.length > 0 ? `${mounts.join('\n')}\n` : 'no SMB sessions\n' };
  },
};
