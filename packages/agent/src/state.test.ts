import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionJournal } from './state.js';

describe(ActionJournal.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should persist entries (0600) so a new process sees them', async () => {
    const j = await ActionJournal.open(dir);
    await j.put({ id: 'a', type: 'Isolate', phase: 'reported', expiresAt: '2026-01-01T00:00:00Z' });
    expect((await stat(join(dir, 'journal.json'))).mode & 0o777).toBe(0o600);
    expect((await ActionJournal.open(dir)).get('a')?.phase).toBe('reported');
  });

  it('should turn running entries into failures to report and forget ones never accepted', async () => {
    const j = await ActionJournal.open(dir);
    await j.put({ id: 'run', type: 'Isolate', phase: 'running', expiresAt: '2026-01-01T00:00:00Z' });
    await j.put({ id: 'acc', type: 'Isolate', phase: 'accepting', expiresAt: '2026-01-01T00:00:00Z' });
    const again = await ActionJournal.open(dir);
    expect((await again.recoverAfterRestart()).map((e) => e.id)).toEqual(['run']);
    expect(again.get('run')).toMatchObject({ phase: 'finished', outcome: { status: 'Failed', errorCode: 'AgentRestarted' } });
    expect(again.get('acc')).toBeUndefined();
    expect(JSON.parse(await readFile(join(dir, 'journal.json'), 'utf8')).entries).toHaveLength(1);
  });

  it('should prune handled entries a day after their expiry, and keep the rest', async () => {
    const j = await ActionJournal.open(dir);
    const expiresAt = '2026-01-01T00:00:00.000Z';
    await j.put({ id: 'old', type: 'Isolate', phase: 'reported', expiresAt });
    await j.put({ id: 'open', type: 'Isolate', phase: 'finished', expiresAt, outcome: { status: 'Succeeded' } });
    await j.prune(Date.parse(expiresAt) + 24 * 3_600_000 - 1);
    expect(j.get('old')).toBeDefined();
    await j.prune(Date.parse(expiresAt) + 24 * 3_600_000 + 1);
    expect(j.get('old')).toBeUndefined();
    expect(j.get('open')).toBeDefined();
  });
});
