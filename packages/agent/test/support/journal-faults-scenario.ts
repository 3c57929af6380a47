/**
 * Run by storage-faults.test.ts inside a private mount namespace where argv[2] is a 1 MiB tmpfs:
 * the agent's action journal (the file that makes "never run twice" hold) through a full disk and
 * a read-only state directory. Prints one JSON report on stdout.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ActionJournal } from '../../src/state.js';

const dir = process.argv[2]!;
const entry = (id: string) => ({ id, type: 'Isolate', phase: 'accepting' as const, expiresAt: '2099-01-01T00:00:00.0000000Z' });
const onDisk = () => (JSON.parse(readFileSync(join(dir, 'journal.json'), 'utf8')) as { entries: { id: string }[] }).entries.map((e) => e.id).sort();
const attempt = async (fn: () => Promise<unknown>) => fn().then(() => 'ok', (err: NodeJS.ErrnoException) => err.code ?? err.message);
const report: Record<string, unknown> = {};

const journal = await ActionJournal.open(dir);
await journal.put(entry('a'));

const filler = join(dir, 'filler');
const fd = openSync(filler, 'w');
try {
  for (;;) writeSync(fd, Buffer.alloc(16 * 1024, 1));
} catch (err) {
  report.fillError = (err as NodeJS.ErrnoException).code;
}
closeSync(fd);
report.putWhenFull = await attempt(() => journal.put({ ...entry('b'), type: 'x'.repeat(64 * 1024) }));
report.onDiskWhenFull = onDisk();
report.leftoversWhenFull = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
rmSync(filler);
report.putAfterFree = await attempt(() => journal.put(entry('b')));
report.reopenedAfterFree = (await ActionJournal.open(dir)).list().map((e) => e.id).sort();

execFileSync('mount', ['-o', 'remount,ro', dir]);
report.putWhenReadOnly = await attempt(() => journal.put(entry('c')));
report.reopenedWhenReadOnly = (await ActionJournal.open(dir)).list().map((e) => e.id).sort();
execFileSync('mount', ['-o', 'remount,rw', dir]);
report.putAfterRw = await attempt(() => journal.put(entry('c')));
report.onDiskAtEnd = onDisk();
process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
