/**
 * Spinner and progress bar on stderr. Hand-written: a few lines of ANSI cursor control are enough,
 * and a dependency (ora, cli-progress) would pull in more than the CLI itself. On a non-TTY
 * (pipes, CI) they print plain lines instead of redrawing; on a terminal they redraw one line that
 * always fits its width.
 */
import { stderrPaint, type StatusPainter } from './colour.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function isTty(): boolean {
  return Boolean(process.stderr.isTTY);
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const mm = String(Math.floor(s / 60)).padStart(2, '0');
  return `${mm}:${String(s % 60).padStart(2, '0')}`;
}

export interface Spinner {
  /** Sets the text; on a non-TTY a line is printed only when it changes. */
  update(text: string): void;
  stop(finalLine?: string): void;
}

export function startSpinner(initial: string): Spinner {
  const started = Date.now();
  // Status words are coloured after the line is cut to fit, so the colour never changes the width.
  const paint = stderrPaint();
  let text = initial;
  if (!isTty()) {
    let last = '';
    const print = (t: string) => {
      if (t !== last) process.stderr.write(`${paint.line(t)} (${formatElapsed(Date.now() - started)})\n`);
      last = t;
    };
    print(text);
    return { update: print, stop: (line) => line && process.stderr.write(`${paint.line(line)}\n`) };
  }
  let frame = 0;
  const draw = () => redraw(`${FRAMES[frame++ % FRAMES.length]} `, text, `  ${formatElapsed(Date.now() - started)}`, paint);
  const timer = setInterval(draw, 100);
  draw();
  return {
    update(t) {
      text = t;
      draw();
    },
    stop(line) {
      clearInterval(timer);
      process.stderr.write(`${CLEAR_LINE}${line ? `${paint.line(line)}\n` : ''}`);
    },
  };
}

/** Back to the start of the line and erase it: the next frame replaces the previous one. */
const CLEAR_LINE = '\r\x1b[K';

/** Terminal width for redrawn lines (stderr is where they go; stdout's when stderr is not sized). */
export function terminalColumns(): number {
  return process.stderr.columns || process.stdout.columns || 80;
}

/**
 * One redrawn line: `prefix + text + suffix`, with the text cut (ending in …) so the line stays
 * shorter than the terminal. A line that reached the last column would wrap, and `\r` would then
 * return only to the start of the second row, leaving the first on screen at every frame.
 */
export function fitLine(prefix: string, text: string, suffix: string, columns: number): string {
  const room = columns - 1 - [...prefix].length - [...suffix].length;
  const chars = [...text];
  if (chars.length <= room) return `${prefix}${text}${suffix}`;
  if (room <= 1) return [...`${prefix}${text}`].slice(0, Math.max(0, columns - 1)).join('');
  return `${prefix}${chars.slice(0, room - 1).join('')}…${suffix}`;
}

function redraw(prefix: string, text: string, suffix: string, paint?: StatusPainter): void {
  const line = fitLine(prefix, text, suffix, terminalColumns());
  process.stderr.write(`${CLEAR_LINE}${paint ? paint.line(line) : line}`);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** A progress reporter for downloads; redraws at most every 100 ms on a TTY, silent otherwise. */
export function progressBar(label: string): { update(received: number, total: number | null): void; done(): void } {
  if (!isTty()) return { update: () => undefined, done: () => undefined };
  let lastDraw = 0;
  const draw = (received: number, total: number | null) => {
    const width = 30;
    if (total) {
      const filled = Math.min(width, Math.round((received / total) * width));
      const pct = Math.floor((received / total) * 100);
      redraw('', label, ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${formatBytes(received)}/${formatBytes(total)}`);
    } else {
      redraw('', label, ` ${formatBytes(received)}`);
    }
  };
  let last: [number, number | null] = [0, null];
  return {
    update(received, total) {
      last = [received, total];
      const now = Date.now();
      if (now - lastDraw >= 100) {
        lastDraw = now;
        draw(received, total);
      }
    },
    done() {
      draw(...last);
      process.stderr.write('\n');
    },
  };
}
