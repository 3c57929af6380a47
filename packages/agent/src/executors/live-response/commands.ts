/**
 * Parses and checks a LiveResponse action's parameters, which are the MDE request body's
 * `Commands` (mde-api.md §4.9): `[{ type, params: [{ key, value }] }]`. The server checked the
 * same grammar (protocol live-response-rules) when it accepted the action; the agent checks again
 * because it runs what it is given.
 */
import { isLibraryFileName, LIVE_RESPONSE_COMMAND_RANK as RANK } from '@cordon/protocol';
import { splitArgs } from './args.js';

export type LiveResponseStep =
  | { type: 'PutFile'; fileName: string }
  | { type: 'RunScript'; scriptName: string; args: string[] }
  | { type: 'GetFile'; path: string };

function checkName(value: string | undefined, key: string, i: number): string | undefined {
  if (value === undefined || value === '') return `Commands[${i}]: ${key} is required`;
  if (!isLibraryFileName(value)) return `Commands[${i}]: ${key} may contain only letters, digits, '.', '_' and '-'`;
  return undefined;
}

export function parseCommands(params: unknown): { ok: true; steps: LiveResponseStep[] } | { ok: false; error: string } {
  const commands = (params as { Commands?: unknown } | null)?.Commands;
  if (!Array.isArray(commands) || commands.length === 0) return { ok: false, error: 'Commands must be a non-empty array' };
  const steps: LiveResponseStep[] = [];
  let rank = 0;
  for (const [i, cmd] of commands.entries()) {
    const type = (cmd as { type?: unknown })?.type;
    if (type !== 'PutFile' && type !== 'RunScript' && type !== 'GetFile') return { ok: false, error: `Commands[${i}].type must be PutFile, RunScript or GetFile` };
    if (RANK[type] < rank) return { ok: false, error: `Commands[${i}]: commands must be ordered PutFile, then RunScript, then GetFile` };
    rank = RANK[type];
    const list = (cmd as { params?: unknown }).params ?? [];
    if (!Array.isArray(list) || !list.every((p) => typeof p?.key === 'string' && typeof p?.value === 'string')) {
      return { ok: false, error: `Commands[${i}].params must be an array of { key, value } strings` };
    }
    const get = (key: string): string | undefined => (list as { key: string; value: string }[]).find((p) => p.key === key)?.value;
    if (type === 'PutFile') {
      const error = checkName(get('FileName'), 'FileName', i);
      if (error) return { ok: false, error };
      steps.push({ type, fileName: get('FileName')! });
    } else if (type === 'RunScript') {
      const error = checkName(get('ScriptName'), 'ScriptName', i);
      if (error) return { ok: false, error };
      const args = splitArgs(get('Args') ?? '');
      if (!args.ok) return { ok: false, error: `Commands[${i}]: ${args.error}` };
      steps.push({ type, scriptName: get('ScriptName')!, args: args.argv });
    } else {
      const path = get('Path');
      if (!path) return { ok: false, error: `Commands[${i}]: Path is required` };
      if (!path.startsWith('/') || path.includes('\0')) return { ok: false, error: `Commands[${i}]: Path must be an absolute path` };
      steps.push({ type, path });
    }
  }
  return { ok: true, steps };
}
