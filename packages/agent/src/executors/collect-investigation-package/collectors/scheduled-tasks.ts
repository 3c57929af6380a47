/**
 * Scheduled tasks as CSV: every cron entry (system crontab, cron.d, per-user spools, the
 * cron.hourly/daily/... script folders) and every systemd timer unit with its schedule and whether
 * it is enabled. Read from files, so it works without a running systemd and against a test root.
 */
import type { Collector, CollectorContext } from '../collector.js';
import { toCsv } from '../csv.js';
import { filesIn, readText } from './util.js';

type Row = [source: string, name: string, schedule: string, user: string, command: string, enabled: string];

const ENV_LINE = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;

/** Cron lines; `withUser` for /etc/crontab and cron.d, whose sixth field is the user. */
export function parseCrontab(text: string, source: string, withUser: boolean, owner = ''): Row[] {
  const rows: Row[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || ENV_LINE.test(line)) continue;
    const f = line.split(/\s+/);
    const n = f[0].startsWith('@') ? 1 : 5;
    const schedule = f.slice(0, n).join(' ');
    const user = withUser ? (f[n] ?? '') : owner;
    const command = f.slice(withUser ? n + 1 : n).join(' ');
    if (command) rows.push([source, '', schedule, user, command, 'yes']);
  }
  return rows;
}

async function cronRows(ctx: CollectorContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const path of ['/etc/crontab', ...(await filesIn(ctx, '/etc/cron.d'))]) {
    const text = await readText(ctx, path);
    if (text !== undefined) rows.push(...parseCrontab(text, path, true));
  }
  for (const dir of ['/var/spool/cron/crontabs', '/var/spool/cron']) {
    for (const path of await filesIn(ctx, dir)) {
      const text = await readText(ctx, path);
      if (text !== undefined) rows.push(...parseCrontab(text, path, false, path.slice(dir.length + 1)));
    }
  }
  for (const period of ['hourly', 'daily', 'weekly', 'monthly']) {
    for (const path of await filesIn(ctx, `/etc/cron.${period}`)) {
      if (!path.endsWith('/.placeholder')) rows.push([`/etc/cron.${period}`, path.slice(path.lastIndexOf('/') + 1), `@${period}`, 'root', path, 'yes']);
    }
  }
  return rows;
}

const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const SCHEDULE_KEYS = /^(OnCalendar|OnActiveSec|OnBootSec|OnStartupSec|OnUnitActiveSec|OnUnitInactiveSec)=(.*)$/;

async function enabledUnits(ctx: CollectorContext): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of (await ctx.fs.readDir('/etc/systemd/system')) ?? []) {
    if (e.type === 'dir' && /\.(wants|requires)$/.test(e.name)) {
      for (const u of (await ctx.fs.readDir(`/etc/systemd/system/${e.name}`)) ?? []) out.add(u.name);
    }
  }
  return out;
}

async function timerRows(ctx: CollectorContext): Promise<Row[]> {
  const seen = new Set<string>();
  const enabled = await enabledUnits(ctx);
  const rows: Row[] = [];
  for (const dir of UNIT_DIRS) {
    for (const path of await filesIn(ctx, dir)) {
      const name = path.slice(dir.length + 1);
      if (!name.endsWith('.timer') || seen.has(name)) continue;
      seen.add(name); // the first directory wins, as systemd's unit search path does
      const text = (await readText(ctx, path)) ?? '';
      const schedule = text.split('\n').map((l) => SCHEDULE_KEYS.exec(l.trim())).filter((m) => m).map((m) => `${m![1]}=${m![2]}`);
      const unit = /^Unit=(.*)$/m.exec(text)?.[1].trim() ?? name.replace(/\.timer$/, '.service');
      rows.push([path, name, schedule.join('; '), 'root', unit, enabled.has(name) ? 'yes' : 'no']);
    }
  }
  return rows;
}

export const scheduledTasks: Collector = {
  name: 'Scheduled tasks',
  folder: 'Scheduled tasks',
  fileName: 'ScheduledTasks.csv',
  command: 'read /etc/crontab, /etc/cron.d/*, /var/spool/cron/*, /etc/cron.{hourly,daily,weekly,monthly}/*, systemd *.timer units',
  async collect(ctx) {
    const rows = [...(await cronRows(ctx)), ...(await timerRows(ctx))];
    return { data: toCsv(['Source', 'Name', 'Schedule', 'User', 'Command', 'Enabled'], rows) };
  },
};
