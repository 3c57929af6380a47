import { afterEach, describe, expect, it, vi } from 'vitest';
import { COALESCE_MS, OutputStream, splitUtf8 } from './output-stream.js';

afterEach(() => vi.useRealTimers());

describe(OutputStream.name, () => {
  it('should send the first write at once and coalesce what follows within the window', async () => {
    vi.useFakeTimers();
    const sent: [number, string][] = [];
    const out = new OutputStream(async (seq, text) => void sent.push([seq, text]));
    out.write('first\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([[0, 'first\n']]);
    out.write('a');
    out.write('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(sent).toEqual([[0, 'first\n'], [1, 'ab']]);
    expect(await out.close()).toBe(2);
  });

  it('should cut big writes into chunks of at most 64 KiB of UTF-8, never inside a character', async () => {
    const sent: string[] = [];
    const out = new OutputStream(async (_seq, text) => void sent.push(text));
    const text = 'é'.repeat(100_000); // 2 bytes each
    out.write(text);
    expect(await out.close()).toBe(sent.length);
    expect(sent.join('')).toBe(text);
    for (const s of sent) expect(Buffer.byteLength(s)).toBeLessThanOrEqual(64 * 1024);
  });

  it('should stop at the per-command limit and say so', async () => {
    const sent: string[] = [];
    const out = new OutputStream(async (_seq, text) => void sent.push(text), { limitBytes: 10 });
    out.write('0123456789abc');
    out.write('more');
    await out.close();
    expect(sent.join('')).toBe("0123456789\n[output cut: only the first 10 bytes of this command's output are kept]\n");
  });

  it('should split on character boundaries', () => {
    expect(splitUtf8('aé€', 3)).toEqual(['aé', '€']);
    expect(splitUtf8('', 3)).toEqual([]);
  });
});
