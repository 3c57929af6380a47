/**
 * Telling the device's users: `wall` reaches every terminal; graphical sessions get a desktop
 * notification through `notify-send` on their own session bus (run as that user with setpriv, since
 * the bus refuses root). Failures are swallowed: a notice must never fail the action it announces.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Exec, Notifier } from './types.js';

export function createNotifier(exec: Exec, options: { runUserDir?: string } = {}): Notifier {
  const runUser = options.runUserDir ?? '/run/user';
  return {
    async notifyUsers(title, body) {
      await exec('wall', [], { input: `${title}\n${body}\n`, timeoutMs: 10_000 }).catch(() => undefined);
      let uids: string[] = [];
      try {
        uids = (await readdir(runUser)).filter((u) => /^\d+$/.test(u));
      } catch {
        return;
      }
      for (const uid of uids) {
        const bus = `${runUser}/${uid}/bus`;
        const s = await stat(bus).catch(() => undefined);
        if (!s) continue;
        await exec(
          'setpriv',
          [`--reuid=${uid}`, `--regid=${s.gid}`, '--clear-groups', 'env', `DBUS_SESSION_BUS_ADDRESS=unix:path=${bus}`, 'notify-send', '--urgency=critical', '--app-name=Cordon', title, body],
          { timeoutMs: 10_000 },
        ).catch(() => undefined);
      }
    },
  };
}
