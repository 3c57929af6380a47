/**
 * `persistence`: the autorun view the investigation package collects (systemd enabled units, cron,
 * rc.local, shell startup files, ld.so.preload, udev rules, XDG autostart, modules loaded at boot),
 * run through the same collectors. Each source's text is streamed as it is read; the table has a row
 * per file (or per enabled unit) with its content.
 */
import { AUTORUNS } from '../../executors/collect-investigation-package/collectors/autoruns.js';
import { collectorContext } from './collector-context.js';
import type { LiveCommandModule } from '../types.js';

export const PERSISTENCE_COLUMNS = ['category', 'location', 'content'];
const MAX_CONTENT = 8000;

/** Splits a Sections dump (`==> path <==` headers) into files, or a listing into one row per line. */
export function persistenceRows(category: string, text: string): string[][] {
  const parts = text.split(/^==> (.*) <==\n/m);
  if (parts.length === 1) {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('No '))
      .map((l) => {
        const [location, target = ''] = l.split(' -> ');
        return [category, location!, target];
      });
  }
  const rows: string[][] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const content = parts[i + 1]!.replace(/\n+$/, '');
    rows.push([category, parts[i]!, content.length > MAX_CONTENT ? `${content.slice(0, MAX_CONTENT)}…` : content]);
  }
  return rows;
}

export const persistence: LiveCommandModule = {
  async run(ctx) {
    const cc = collectorContext(ctx, 60_000);
    const rows: string[][] = [];
    const errors: string[] = [];
    for (const c of AUTORUNS) {
      ctx.signal.throwIfAborted();
      try {
        const out = await c.collect(cc);
        const text = typeof out.data === 'string' ? out.data : (out.data?.toString('utf8') ?? '');
        ctx.write(`===== ${c.name} =====\n${text.endsWith('\n') ? text : `${text}\n`}\n`);
        rows.push(...persistenceRows(c.name, text));
      } catch (e) {
        ctx.signal.throwIfAborted();
        const message = `${c.name}: ${e instanceof Error ? e.message : String(e)}`;
        errors.push(message);
        ctx.write(`===== ${c.name} =====\n(could not be read: ${message})\n\n`);
      }
    }
    return { table: { columns: PERSISTENCE_COLUMNS, rows }, errors };
  },
};
