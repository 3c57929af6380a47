/**
 * Installed programs as CSV. On Debian-family hosts the dpkg database is parsed directly: it is what
 * `dpkg-query -W` reads, costs no process, and works against a test root. Otherwise `rpm -qa`.
 */
import { NotAvailableError, type Collector } from '../collector.js';
import { toCsv } from '../csv.js';
import { runTool } from './util.js';

const HEADER = ['Name', 'Version', 'Architecture', 'Status', 'InstalledSizeKB', 'Description'];

export function parseDpkgStatus(text: string): string[][] {
  const rows: string[][] = [];
  for (const stanza of text.split(/\n\n+/)) {
    const f: Record<string, string> = {};
    for (const line of stanza.split('\n')) {
      const m = /^([A-Za-z][A-Za-z0-9-]*):\s?(.*)$/.exec(line);
      if (m) f[m[1]] = m[2];
    }
    if (f.Package) rows.push([f.Package, f.Version ?? '', f.Architecture ?? '', f.Status ?? '', f['Installed-Size'] ?? '', f.Description ?? '']);
  }
  return rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export const installedPrograms: Collector = {
  name: 'Installed programs',
  folder: 'Installed programs',
  fileName: 'InstalledPrograms.csv',
  command: 'read /var/lib/dpkg/status (as dpkg-query -W); else rpm -qa --qf ...',
  async collect(ctx) {
    const status = await ctx.fs.readFile('/var/lib/dpkg/status', ctx.maxBytes);
    if (status) return { data: toCsv(HEADER, parseDpkgStatus(status.data.toString('utf8'))), truncated: status.truncated };
    try {
      const rpm = await runTool(ctx, 'rpm', ['-qa', '--qf', '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\tinstalled\\t%{SIZE}\\t%{SUMMARY}\\n']);
      const rows = rpm.text.split('\n').filter(Boolean).map((l) => l.split('\t'));
      // rpm reports bytes; the column is KB like dpkg's Installed-Size.
      for (const r of rows) r[4] = String(Math.ceil(Number(r[4]) / 1024));
      return { data: toCsv(HEADER, rows.sort((a, b) => (a[0] < b[0] ? -1 : 1))), truncated: rpm.truncated };
    } catch (e) {
      if (e instanceof NotAvailableError) throw new NotAvailableError('neither a dpkg database nor rpm found');
      throw e;
    }
  },
};
