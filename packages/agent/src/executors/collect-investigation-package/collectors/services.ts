/** Services and their states as CSV, from systemctl (systemd hosts only). */
import { NotAvailableError, type Collector } from '../collector.js';
import { toCsv } from '../csv.js';
import { runTool, systemdRunning } from './util.js';

const UNITS_ARGS = ['list-units', '--type=service', '--all', '--no-pager', '--no-legend', '--plain'];
const FILES_ARGS = ['list-unit-files', '--type=service', '--no-pager', '--no-legend'];

/** `list-units --plain` rows: unit, load, active, sub, then the description (which has spaces). */
export function parseListUnits(units: string, files: string): string[][] {
  const fileState = new Map<string, string>();
  for (const line of files.split('\n')) {
    const [name, state] = line.trim().split(/\s+/);
    if (name && state) fileState.set(name, state);
  }
  const rows: string[][] = [];
  for (const line of units.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    rows.push([f[0], f[1], f[2], f[3], fileState.get(f[0]) ?? '', f.slice(4).join(' ')]);
  }
  return rows;
}

export const services: Collector = {
  name: 'Services',
  folder: 'Services',
  fileName: 'Services.csv',
  command: `systemctl ${UNITS_ARGS.join(' ')}; systemctl ${FILES_ARGS.join(' ')}`,
  async collect(ctx) {
    if (!(await systemdRunning(ctx))) throw new NotAvailableError('systemd is not running on this device');
    const [units, files] = await Promise.all([runTool(ctx, 'systemctl', UNITS_ARGS), runTool(ctx, 'systemctl', FILES_ARGS)]);
    return {
      data: toCsv(['Unit', 'Load', 'Active', 'Sub', 'UnitFileState', 'Description'], parseListUnits(units.text, files.text)),
      truncated: units.truncated || files.truncated,
    };
  },
};
