import { describe, expect, it } from 'vitest';
import { createServerRotation } from './server-rotation.js';

const backoff = { minMs: 100, maxMs: 1000, random: () => 1 };

describe(createServerRotation.name, () => {
  it('should try every URL at once, then wait the backoff before the next round', () => {
    const r = createServerRotation(['https://a', 'https://b', 'https://c'], backoff);
    const tried: [string, number][] = [];
    for (let i = 0; i < 6; i++) {
      const url = r.current();
      tried.push([url, r.failed(false)]);
    }
    expect(tried).toEqual([
      ['https://a', 0],
      ['https://b', 0],
      ['https://c', 100],
      ['https://a', 0],
      ['https://b', 0],
      ['https://c', 200],
    ]);
  });

  it('should stick to the URL that connected, and start the backoff over', () => {
    const r = createServerRotation(['https://a', 'https://b', 'https://c'], backoff);
    r.failed(false);
    r.failed(false);
    expect(r.failed(false)).toBe(100);
    r.failed(false);
    expect(r.current()).toBe('https://b');
    r.connected();
    expect(r.current()).toBe('https://b');
    expect([r.failed(false), r.failed(false), r.failed(false)]).toEqual([0, 0, 100]);
  });

  it('should move to the next URL after a working connection closed, after the first backoff delay', () => {
    const r = createServerRotation(['https://a', 'https://b'], backoff);
    r.connected();
    expect(r.failed(true)).toBe(100);
    expect(r.current()).toBe('https://b');
    // A new round starts at b: a failure there goes on to a at once.
    expect(r.failed(false)).toBe(0);
    expect(r.current()).toBe('https://a');
  });

  it('should back off after every failure when there is one URL', () => {
    const r = createServerRotation(['https://a'], backoff);
    expect([r.failed(false), r.failed(false), r.failed(true)]).toEqual([100, 200, 400]);
    expect(r.current()).toBe('https://a');
  });

  it('should refuse an empty list', () => {
    expect(() => createServerRotation([], backoff)).toThrow('no server URL');
  });
});
