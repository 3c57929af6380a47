/**
 * Run by storage-faults.test.ts inside a private mount namespace where argv[2] is a small tmpfs:
 * the real app on embedded SQLite in that directory, then the disk is filled and freed with API
 * calls at each step, then the directory is made read-only and writable again. Prints one JSON report on stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '@cordon/store';
import { makeMachine } from '@cordon/store/fixtures';
import { toMdeTimestamp } from '@cordon/protocol';
import { buildApp, createApplication, loadConfig, openConfiguredStore, randomIds } from '@cordon/server';

const dir = process.argv[2]!;
const clock = { now: () => Date.UTC(2026, 10, 21, 10, 0, 0) };
mkdirSync(join(dir, 'data'));
const store = await openStore({ sqlitePath: join(dir, 'data', 'cordon.db') });
const { app } = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test', CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: null, perHour: null } }) }), store, clock, ids: randomIds });
const tenantId = randomIds.uuid();
await store.identity.createTenant({ id: tenantId, name: 't', createdAt: toMdeTimestamp(clock.now()) });
const cred = await createApplication(store.identity, { tenantId, name: 'disk', roles: ['Machine.Read.All', 'Machine.Isolate', 'Machine.Scan'] }, { clock, ids: randomIds });
const tokenRes = await app.inject({
  method: 'POST',
  url: `/${tenantId}/oauth2/v2.0/token`,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ client_id: cred.clientId, client_secret: cred.clientSecret, grant_type: 'client_credentials', scope: 'x/.default' }).toString(),
});
const authorization = `Bearer ${(tokenRes.json() as { access_token: string }).access_token}`;

const machines: string[] = [];
for (let i = 0; i < 150; i++) {
  const m = makeMachine({ tenantId });
  await store.machines.upsert(m);
  machines.push(m.id);
}
let next = 0;
const accepted: string[] = [];
/** One isolate on a fresh machine, with a comment big enough to need new pages. */
async function write() {
  const res = await app.inject({ method: 'POST', url: `/api/machines/${machines[next++]}/isolate`, headers: { authorization }, payload: { Comment: 'x'.repeat(3900), IsolationType: 'Full' } });
  if (res.statusCode === 201) accepted.push((res.json() as { id: string }).id);
  return { status: res.statusCode, body: res.statusCode === 201 ? undefined : (res.json() as unknown) };
}
const read = async () => (await app.inject({ method: 'GET', url: '/api/machineactions?$top=1000&$select=id', headers: { authorization } })).statusCode;
const integrity = async () => (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db)).rows.map((r) => r.integrity_check).join(',');
const stored = async () => (await store.db.selectFrom('machine_actions').select('id').execute()).map((r) => r.id);

const report: Record<string, unknown> = {};
report.before = await write();

// Disk full: a filler file takes every free block.
const filler = join(dir, 'filler');
const fd = openSync(filler, 'w');
const chunk = Buffer.alloc(64 * 1024, 1);
try {
  for (;;) writeSync(fd, chunk);
} catch (err) {
  report.fillError = (err as NodeJS.ErrnoException).code;
}
closeSync(fd);
const fullWrites = [];
for (let i = 0; i < 60; i++) {
  const w = await write();
  fullWrites.push(w);
  if (w.status !== 201 && fullWrites.filter((x) => x.status !== 201).length >= 3) break;
}
report.fullWrites = fullWrites;
report.fullRead = await read();

// Space returns.
rmSync(filler);
report.afterFree = await write();
report.integrityAfterFull = await integrity();

// Every create answered 201 is stored, and nothing else.
const ids = await stored();
report.acceptedAll = accepted.every((id) => ids.includes(id));
report.storedCount = ids.length;
report.acceptedCount = accepted.length;

await app.close();
await store.close();

// A read-only data directory (remounted once nothing holds it open): opening the store fails with
// SQLite's own words, and nothing is written; once writable again the data is intact.
execFileSync('mount', ['-o', 'remount,ro', dir]);
try {
  const again = await openConfiguredStore(loadConfig({ CORDON_DATA: join(dir, 'data') }));
  report.openReadOnly = 'opened';
  await again.close();
} catch (err) {
  report.openReadOnly = `${(err as { code?: string }).code ?? ''} ${(err as Error).message}`;
}
execFileSync('mount', ['-o', 'remount,rw', dir]);
const reopened = await openStore({ sqlitePath: join(dir, 'data', 'cordon.db') });
report.integrityAfterRo = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(reopened.db)).rows.map((r) => r.integrity_check).join(',');
report.storedAfterRo = (await reopened.db.selectFrom('machine_actions').select('id').execute()).length;
await reopened.close();
process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
