/**
 * The last tenant settings and server URLs the server sent, kept in `<state>/settings.json` (0600,
 * written atomically). The agent restores executor state (restriction, isolation) before it reaches
 * the server, and after a reboot the server may be unreachable: restore must use the tenant's
 * allow-list and server addresses, not empty defaults.
 */
import { join } from 'node:path';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '@cordon/protocol';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';

export interface SavedSettings {
  settings: AgentSettings;
  /** `HelloResult.serverUrls` as last received. */
  serverUrls: string[];
}

export const settingsPath = (stateDir: string) => join(stateDir, 'settings.json');

/** The saved settings, or the defaults when none were ever saved (or the file is not ours). */
export async function loadSavedSettings(stateDir: string): Promise<SavedSettings> {
  const saved = await readJsonFile<Partial<SavedSettings>>(settingsPath(stateDir)).catch(() => undefined);
  const settings = saved?.settings !== null && typeof saved?.settings === 'object' ? { ...DEFAULT_AGENT_SETTINGS, ...saved.settings } : DEFAULT_AGENT_SETTINGS;
  const serverUrls = Array.isArray(saved?.serverUrls) ? saved.serverUrls.filter((u): u is string => typeof u === 'string') : [];
  return { settings, serverUrls };
}

/** Saves what the server sent; writes are queued so the last one received is the one kept. */
export function createSettingsSaver(stateDir: string, onError: (err: unknown) => void): (saved: SavedSettings) => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return (saved) => {
    last = last.then(() => writeFileAtomic(settingsPath(stateDir), JSON.stringify(saved), 0o600)).catch(onError);
    return last;
  };
}
