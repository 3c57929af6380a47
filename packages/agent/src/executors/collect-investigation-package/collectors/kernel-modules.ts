/** Loaded kernel modules as CSV, from /proc/modules (what lsmod prints). */
import { NotAvailableError, type Collector } from '../collector.js';
import { toCsv } from '../csv.js';

export const kernelModules: Collector = {
  name: 'Kernel modules',
  folder: 'Kernel modules',
  fileName: 'KernelModules.csv',
  command: 'read /proc/modules (as lsmod)',
  async collect(ctx) {
    const read = await ctx.fs.readFile('/proc/modules', ctx.maxBytes);
    if (!read) throw new NotAvailableError('/proc/modules does not exist (kernel without module support)');
    const rows = read.data
      .toString('utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length >= 5)
      .map((f) => [f[0], f[1], f[2], f[3] === '-' ? '' : f[3].replace(/,$/, '').split(',').join(' '), f[4]]);
    return { data: toCsv(['Module', 'SizeBytes', 'RefCount', 'UsedBy', 'State'], rows), truncated: read.truncated };
  },
};
