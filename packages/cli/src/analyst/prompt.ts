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
  return (await readHidden([question]))[0]!;
}

/**
 * Asks each question in turn on the terminal with echo off and returns the answers. One raw-mode
 * session for all of them: answers typed ahead arrive in one chunk, and a second session would lose
 * what the first one read past its own line.
 */
export async function readHidden(questions: readonly string[]): Promise<string[]> {
  const input = process.stdin;
  // Raw mode with our own echo (none): readline has no "hidden" option. Echo is off before the
  // question appears, so a secret typed the moment it shows is not echoed either.
  input.setRawMode(true);
  process.stderr.write(questions[0]!);
  input.resume();
  const answers: string[] = [];
  let value = '';
  try {
    for await (const chunk of input) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') {
          answers.push(value);
          value = '';
          if (answers.length === questions.length) return answers;
          process.stderr.write(`\n${questions[answers.length]!}`);
        } else if (ch === '\u0003') throw new Error('cancelled');
        else if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    }
    answers.push(value);
    if (answers.length === questions.length) return answers;
    throw new Error('the terminal closed before every question was answered');
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
