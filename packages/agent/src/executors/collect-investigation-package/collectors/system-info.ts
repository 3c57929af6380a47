/** System information: OS, kernel, hardware, memory, uptime and mounts, from /etc, /proc and /sys. */
import type { Collector } from '../collector.js';
import { readText, Sections } from './util.js';

const FILES = [
  '/proc/sys/kernel/hostname', '/etc/os-release', '/proc/sys/kernel/ostype', '/proc/sys/kernel/osrelease', '/proc/sys/kernel/version',
  '/proc/cmdline', '/etc/machine-id', '/etc/timezone', '/proc/uptime', '/proc/loadavg', '/proc/meminfo',
  '/sys/class/dmi/id/sys_vendor', '/sys/class/dmi/id/product_name', '/sys/class/dmi/id/product_version',
  '/sys/class/dmi/id/bios_vendor', '/sys/class/dmi/id/bios_version', '/sys/class/dmi/id/chassis_type', '/proc/mounts',
];

export const systemInformation: Collector = {
  name: 'System information',
  folder: 'System Information',
  fileName: 'SystemInformation.txt',
  command: `read ${FILES.join(', ')}; summary of /proc/cpuinfo`,
  async collect(ctx) {
    const s = new Sections();
    const cpuinfo = (await readText(ctx, '/proc/cpuinfo')) ?? '';
    const models = [...cpuinfo.matchAll(/^model name\s*:\s*(.*)$/gm)].map((m) => m[1]);
    const processors = [...cpuinfo.matchAll(/^processor\s*:/gm)].length;
    if (processors > 0) s.add('/proc/cpuinfo (summary)', `processors: ${processors}\nmodel: ${[...new Set(models)].join('; ') || 'unknown'}\n`);
    for (const f of FILES) await s.addFile(ctx, f);
    return { data: s.text('No system information could be read.'), truncated: s.truncated };
  },
};
