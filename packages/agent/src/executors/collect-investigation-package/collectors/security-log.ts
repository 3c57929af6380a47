/** Security event log: the authentication log (or its journal equivalent) and the login history. */
import { NotAvailableError, type Collector } from '../collector.js';
import { runTool } from './util.js';

const FOLDER = 'Security event log';
const AUTH_LOGS = ['/var/log/auth.log', '/var/log/secure'];
const JOURNAL_ARGS = ['-q', '--no-pager', '-o', 'short-iso', '-n', '5000', '_COMM=sshd', '_COMM=sudo', '_COMM=su', '_COMM=login', '_COMM=systemd-logind'];

export const authLog: Collector = {
  name: 'Authentication log',
  folder: FOLDER,
  fileName: 'AuthLog.txt',
  command: `tail of ${AUTH_LOGS.join(' or ')}; else journalctl ${JOURNAL_ARGS.join(' ')}`,
  async collect(ctx) {
    for (const path of AUTH_LOGS) {
      const tail = await ctx.fs.readTail(path, ctx.maxBytes);
      if (tail) return { data: tail.data, truncated: tail.truncated };
    }
    const journal = (await ctx.fs.stat('/var/log/journal')) ?? (await ctx.fs.stat('/run/log/journal'));
    if (!journal) throw new NotAvailableError(`no ${AUTH_LOGS.join(' or ')} and no systemd journal`);
    const { text, truncated } = await runTool(ctx, 'journalctl', JOURNAL_ARGS);
    return { data: text || 'No authentication entries in the journal.\n', truncated };
  },
};

export const lastLogins: Collector = {
  name: 'Last logins',
  folder: FOLDER,
  fileName: 'LastLogins.txt',
  command: 'last -F -w -f /var/log/wtmp',
  async collect(ctx) {
    if (!(await ctx.fs.stat('/var/log/wtmp'))) throw new NotAvailableError('/var/log/wtmp does not exist');
    const { text, truncated } = await runTool(ctx, 'last', ['-F', '-w', '-f', ctx.fs.resolve('/var/log/wtmp')]);
    return { data: text, truncated };
  },
};
