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
