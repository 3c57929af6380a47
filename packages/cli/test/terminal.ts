/**
 * Running the CLI under a pseudo-terminal (util-linux `script`) and replaying what it drew on a
 * minimal terminal model, to see what a person would be left looking at.
 */
import { execFile } from 'node:child_process';

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs argv with stdin and stderr on a terminal of `columns` and stdout discarded (or, with
 * `stdout: 'terminal'`, on the terminal too); returns the bytes drawn. `input` is typed at the
 * terminal (the terminal keeps it until the program reads it).
 */
export function runInTerminal(argv: string[], env: Record<string, string>, columns: number, cwd: string, input = '', stdout: 'discard' | 'terminal' = 'discard'): Promise<{ code: number; drawn: string }> {
  const inner = `stty cols ${columns} rows 24 && exec ${argv.map(quote).join(' ')}${stdout === 'discard' ? ' >/dev/null' : ''}`;
  return new Promise((resolve) => {
    const child = execFile('script', ['-qfec', inner, '/dev/null'], { env, cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, drawn: stdout });
    });
    child.stdin?.end(input);
  });
}

export interface Screen {
  /** Rows as they are left on screen (trailing empty rows dropped). */
  rows: string[];
  /** How often text ran past the last column onto the next row. */
  wraps: number;
  /** The longest row ever drawn. */
  widest: number;
}

/** Replays text, CR, LF and the erase-line sequences (CSI K, CSI 2K) on a terminal `columns` wide. */
export function replay(drawn: string, columns: number): Screen {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let wraps = 0;
  let widest = 0;
  for (let i = 0; i < drawn.length; i++) {
    const ch = drawn[i]!;
    if (ch === '\x1b') {
      // eslint-disable-next-line no-control-regex -- parses the terminal's escape sequences
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(drawn.slice(i));
      if (!m) throw new Error(`unexpected escape at ${i}: ${JSON.stringify(drawn.slice(i, i + 8))}`);
      if (m[2] === 'K') rows[row]!.length = m[1] === '2' ? 0 : Math.min(rows[row]!.length, col);
      else if (m[2] !== 'm') throw new Error(`unexpected escape ${JSON.stringify(m[0])}`);
      i += m[0].length - 1;
    } else if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      rows[row] ??= [];
    } else {
      if (col >= columns) {
        wraps++;
        row++;
        col = 0;
        rows[row] ??= [];
      }
      const line = rows[row]!;
      while (line.length < col) line.push(' ');
      line[col++] = ch;
      widest = Math.max(widest, line.length);
    }
  }
  const text = rows.map((r) => r.join('').trimEnd());
  while (text.length > 0 && text[text.length - 1] === '') text.pop();
  return { rows: text, wraps, widest };
}
