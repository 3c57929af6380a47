/**
 * With embedded SQLite one `cordon server` process serves a data directory: a second one on the
 * same directory must refuse to start (its actions would never reach the agents connected to the
 * first), and a holder that died (SIGKILL) must not keep the directory locked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killAll, runCordon, startTestServer, stop } from './support/cluster.js';

const dirs: string[] = [];
afterAll(async () => {
  killAll();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('a second server on one SQLite data directory', () => {
  it('refuses to start while the first runs, and starts once the first was killed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cordon-sqlite-lock-'));
    dirs.push(dir);
    const first = await startTestServer(dir);
    const env = { ...first.env, CORDON_PORT: String(await freePort()) };

    const second = await runCordon(['server'], env);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain(`another Cordon server (pid ${first.proc.child.pid}) serves the data directory`);
    expect(second.output).toContain('PostgreSQL');
    // The refusal left the first one serving.
    expect((await first.api.call('GET', '/api/machines')).status).toBe(200);

    await stop(first.proc, 'SIGKILL');
    const again = await startTestServer(dir);
    expect((await again.api.call('GET', '/api/machines')).status).toBe(200);
    await stop(again.proc);
  }, 90_000);
});
