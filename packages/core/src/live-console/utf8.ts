/** UTF-8 lengths without Buffer or TextEncoder (core has no platform types). */

/** Bytes of `s` encoded as UTF-8. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** The longest prefix of `s` (whole characters) of at most `maxBytes` UTF-8 bytes. */
export function cutToUtf8(s: string, maxBytes: number): string {
  let n = 0;
  let out = '';
  for (const ch of s) {
    const len = utf8Length(ch);
    if (n + len > maxBytes) break;
    n += len;
    out += ch;
  }
  return out;
}
