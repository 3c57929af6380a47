/**
 * The live response grammar both sides enforce (mde-api.md §4.9, §7): the server when it accepts
 * a request, the agent again before it runs one. One definition, so the two cannot drift.
 */
import { LIVE_RESPONSE_COMMAND_TYPES, type LiveResponseCommandType } from './machine-action.js';

/**
 * Commands must be ordered PutFile → RunScript → GetFile, repeats allowed (D-lr, PR-11695): a
 * command's rank is its position in LIVE_RESPONSE_COMMAND_TYPES and ranks never decrease.
 */
export const LIVE_RESPONSE_COMMAND_RANK = Object.fromEntries(LIVE_RESPONSE_COMMAND_TYPES.map((t, i) => [t, i])) as Readonly<Record<LiveResponseCommandType, number>>;

/** The params each command takes; keys are case-sensitive like every MDE body field (§2.1). */
export const LIVE_RESPONSE_COMMAND_PARAMS: Readonly<Record<LiveResponseCommandType, { required: readonly string[]; optional: readonly string[] }>> = {
  PutFile: { required: ['FileName'], optional: [] },
  RunScript: { required: ['ScriptName'], optional: ['Args'] },
  GetFile: { required: ['Path'], optional: [] },
};

/**
 * Characters MDE forbids in script parameters (mde-api.md §7), plus the backtick. Refused anywhere
 * in `Args`, even quoted: the agent never hands Args to a shell, but a script that passes its
 * arguments to `eval` or `sh -c` would, and a request MDE would refuse should not run here either.
 */
export const FORBIDDEN_ARG_CHARACTERS = [';', '&', '|', '!', '$', '`'] as const;

/** The forbidden character `args` contains, if any. */
export function forbiddenArgCharacterIn(args: string): string | undefined {
  return FORBIDDEN_ARG_CHARACTERS.find((c) => args.includes(c));
}

/** The refusal message for Args holding `found`. */
export function forbiddenArgMessage(found: string): string {
  return `Args must not contain ${FORBIDDEN_ARG_CHARACTERS.join(' ')} (found ${found})`;
}

/** Library file names: 1-255 letters, digits, `.`, `_`, `-` (the portal's rule, mde-api.md §4.11). */
export const LIBRARY_FILE_NAME = /^[A-Za-z0-9._-]{1,255}$/;

/** True when `name` may name a library file (never `.` or `..`, which are paths, not names). */
export function isLibraryFileName(name: string): boolean {
  return LIBRARY_FILE_NAME.test(name) && name !== '.' && name !== '..';
}
