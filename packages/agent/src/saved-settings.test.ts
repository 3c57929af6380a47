import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_SETTINGS, DEFAULT_TENANT_SETTINGS, toAgentSettings } from '@cordon/protocol';
import { createSettingsSaver, loadSavedSettings, settingsPath } from './saved-settings.js';

describe('saved settings', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-settings-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const sent = (allow: string) => toAgentSettings({ ...DEFAULT_TENANT_SETTINGS, executionAllowList: [allow] });

  it('should start from the tenant defaults when nothing was ever saved', async () => {
    expect(await loadSavedSettings(dir)).toEqual({ settings: DEFAULT_AGENT_SETTINGS, serverUrls: [] });
  });

  it('should keep what the server sent, 0600, and read it back on the next start', async () => {
    const save = createSettingsSaver(dir, (err) => {
      throw err;
    });
    await save({ settings: sent('/opt/app/bin/run'), serverUrls: ['https://node-b.example:8443'] });
    expect((await stat(settingsPath(dir))).mode & 0o777).toBe(0o600);
    expect(await loadSavedSettings(dir)).toEqual({ settings: sent('/opt/app/bin/run'), serverUrls: ['https://node-b.example:8443'] });
  });

  it('should keep the last of several saves started at once', async () => {
    const save = createSettingsSaver(dir, () => {});
    void save({ settings: sent('/a'), serverUrls: [] });
    void save({ settings: sent('/b'), serverUrls: [] });
    await save({ settings: sent('/c'), serverUrls: [] });
    expect(JSON.parse(await readFile(settingsPath(dir), 'utf8')).settings.executionAllowList).toEqual(['/c']);
  });

  it('should fall back to the defaults when the file is not a settings file', async () => {
    await writeFile(settingsPath(dir), 'not json');
    expect(await loadSavedSettings(dir)).toEqual({ settings: DEFAULT_AGENT_SETTINGS, serverUrls: [] });
    await writeFile(settingsPath(dir), JSON.stringify({ settings: 'x', serverUrls: ['https://a', 7] }));
    expect(await loadSavedSettings(dir)).toEqual({ settings: DEFAULT_AGENT_SETTINGS, serverUrls: ['https://a'] });
  });
});
