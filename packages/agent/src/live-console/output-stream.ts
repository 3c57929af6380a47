/**
 * A console command's streamed output: text written as it is produced goes out as `live/output`
 * chunks with a gap-free `seq` from 0. The first write after a quiet spell is sent at once (a
 * person waiting at the console sees it immediately); writes that follow within ~50 ms are
 * coalesced, or sent as soon as 16 KiB are waiting. No chunk is over
 * LIVE_CONSOLE_LIMITS.outputChunkBytes of UTF-8, and chunks are sent one after the other, in order.
 * Past the per-command output limit the rest is dropped (the server keeps no more than that).
 */
import { LIVE_CONSOLE_LIMITS } from '@cordon/protocol';

export const COALESCE_MS = 50;
export const COALESCE_BYTES = 16 * 1024;

export type SendChunk = (seq: number, text: string) => Promise<void>;

/** Splits text into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text === '' ? [] : [text];
  const out: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    out.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return out;
}

export class OutputStream {
  readonly #send: SendChunk;
  readonly #limit: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #seq = 0;
  #written = 0;
  #closed = false;
  #cut = false;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(send: SendChunk, options: { limitBytes?: number } = {}) {
    this.#send = send;
    this.#limit = options.limitBytes ?? LIVE_CONSOLE_LIMITS.outputBytesPerCommand;
  }

  /** Chunks handed to the transport so far (what live/done reports as outputChunks once closed). */
  get chunks(): number {
    return this.#seq;
  }

  write(text: string): void {
    if (this.#closed || this.#cut || text === '') return;
    let bytes = Buffer.byteLength(text, 'utf8');
    if (this.#written + bytes > this.#limit) {
      this.#cut = true;
      text = `${splitUtf8(text, Math.max(1, this.#limit - this.#written))[0] ?? ''}\n[output cut: only the first ${this.#limit} bytes of this command's output are kept]\n`;
      bytes = Buffer.byteLength(text, 'utf8');
    }
    this.#written += bytes;
    this.#pending.push(text);
    this.#pendingBytes += bytes;
    if (this.#pendingBytes >= COALESCE_BYTES) this.#flush();
    else if (this.#timer === undefined) {
      this.#flush();
      this.#arm();
    }
  }

  /** Sends what is waiting and resolves once every chunk has been handed over; later writes are dropped. */
  async close(): Promise<number> {
    if (!this.#closed) {
      this.#closed = true;
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#flush();
    }
    await this.#chain;
    return this.#seq;
  }

  /** Stops at once, dropping what is waiting (the command was cancelled and reported). */
  abandon(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #arm(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#pendingBytes === 0) return;
      this.#flush();
      this.#arm();
    }, COALESCE_MS);
    this.#timer.unref?.();
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    for (const piece of splitUtf8(text, LIVE_CONSOLE_LIMITS.outputChunkBytes)) {
      const seq = this.#seq++;
      // A chunk the transport could not send is lost; the rest still go, in order, and live/done's
      // outputChunks tells the server how many there were.
      this.#chain = this.#chain.then(() => this.#send(seq, piece)).catch(() => {});
    }
  }
}
