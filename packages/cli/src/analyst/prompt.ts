/** Reading a password or secret: from a TTY without echo, else one line of stdin (for scripts and tests). */
import { createInterface } from 'node:readline';

export async function readPassword(question: string, howElse = 'pass --password, set CORDON_PASSWORD or type it on stdin'): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = createInterface({ input });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new Error(`nothing on stdin: ${howElse}`);
  }
  // Raw mode with our own echo (none): readline has no "hidden" option. Echo is off before the
  // question appears, so a secret typed the moment it shows is not echoed either.
  input.setRawMode(true);
  process.stderr.write(question);
  input.resume();
  let value = '';
  try {
    for await (const chunk of input) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return value;
        if (ch === '\u0003') throw new Error('cancelled');
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    }
    return value;
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
  }
}

/**
 * Asks a yes/no question on the terminal (stderr, so stdout stays the command's output); only `y`
 * or `yes` (any case) is yes, so Enter and EOF decline (Ctrl-C ends the command). The terminal's own
 * line editing reads the answer (no readline redrawing). Call only when stdin is a TTY.
 */
export async function confirm(question: string): Promise<boolean> {
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return /^\s*y(es)?\s*$/i.test(line);
    return false;
  } finally {
    rl.close();
  }
}
