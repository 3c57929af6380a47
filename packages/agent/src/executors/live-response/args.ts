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
 * The characters MDE forbids in script parameters (`;` `&` `|` `!` `$`, mde-api.md §7) and the
 * backtick are refused anywhere, even quoted. That is belt-and-braces: without a shell they are
 * harmless to us, but a script that hands its arguments to `eval` or `sh -c` would not be, and a
 * request MDE would refuse should not run here either.
 */
export const FORBIDDEN_ARG_CHARACTERS = [';', '&', '|', '!', '$', '`'] as const;

export type SplitArgs = { ok: true; argv: string[] } | { ok: false; error: string };

export function splitArgs(input: string): SplitArgs {
  const bad = FORBIDDEN_ARG_CHARACTERS.find((c) => input.includes(c));
  if (bad) return { ok: false, error: `Args must not contain ${FORBIDDEN_ARG_CHARACTERS.join(' ')} (found ${bad})` };
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
