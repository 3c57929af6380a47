/**
 * Splits RunScript's `Args` string into an argument vector. The script is started with execve and
 * that vector: no shell ever sees the string. The rule, kept deliberately small:
 *
 * - spaces, tabs and newlines separate arguments (outside quotes);
 * - `'...'` is literal (no escapes inside);
 * - `"..."` is literal except `\"` and `\\`;
 * - outside quotes, a backslash makes the next character literal;
 * - adjacent pieces join (`a"b c"` is one argument `ab c`); `''` or `""` is an empty argument;
 * - an unterminated quote or a trailing backslash is an error.
 *
 * The characters MDE forbids in script parameters (protocol FORBIDDEN_ARG_CHARACTERS) are refused
 * anywhere, even quoted. The server refuses them at creation already; checking again here is
 * defence in depth, so a request that reached the device some other way still never runs.
 */
import { FORBIDDEN_ARG_CHARACTERS, forbiddenArgCharacterIn, forbiddenArgMessage } from '@cordon/protocol';

export { FORBIDDEN_ARG_CHARACTERS };

export type SplitArgs = { ok: true; argv: string[] } | { ok: false; error: string };

export function splitArgs(input: string): SplitArgs {
  const bad = forbiddenArgCharacterIn(input);
  if (bad) return { ok: false, error: forbiddenArgMessage(bad) };
  if (input.includes('\0')) return { ok: false, error: 'Args must not contain NUL characters' };
  const argv: string[] = [];
  let current = '';
  let inArg = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inArg) argv.push(current);
      current = '';
      inArg = false;
    } else if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: 'Args has an unterminated single quote' };
      current += input.slice(i + 1, end);
      inArg = true;
      i = end;
    } else if (c === '"') {
      inArg = true;
      let closed = false;
      for (i++; i < input.length; i++) {
        if (input[i] === '"') {
          closed = true;
          break;
        }
        if (input[i] === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) i++;
        current += input[i];
      }
      if (!closed) return { ok: false, error: 'Args has an unterminated double quote' };
    } else if (c === '\\') {
      if (i + 1 >= input.length) return { ok: false, error: 'Args ends with a lone backslash' };
      current += input[++i];
      inArg = true;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (inArg) argv.push(current);
  return { ok: true, argv };
}
