/**
 * Tokenizer for OData `$filter` / `$orderby` / `$select` text.
 *
 * Written by hand rather than taken from a library: the maintained OData parsers (e.g.
 * `@odata/parser`, 0.2.x) produce a loose concrete syntax tree that we would have to walk and
 * re-validate against our field maps anyway, and they do not report MDE-style "token at position"
 * errors. The grammar we accept (mde-api.md §2.4) is small enough that a lexer plus a
 * recursive-descent parser is shorter than the adapter around a library would be.
 */
import { DomainError } from '../errors.js';
import { toMdeTimestamp } from '@cordon/protocol';

export type TokenKind = 'identifier' | 'string' | 'number' | 'datetime' | '(' | ')' | ',' | '/' | ':' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Source text of the token (for strings: the decoded value, quotes and `''` escapes removed). */
  readonly text: string;
  /** 0-based character offset of the token in the option's text. */
  readonly position: number;
  /** For `datetime` tokens: the normalised MDE timestamp; for `number`: the parsed value. */
  readonly value?: string | number;
}

/** Throws the ODataError every syntax problem becomes; `option` is e.g. `$filter`. */
export function syntaxError(option: string, position: number, problem: string): never {
  throw new DomainError('ODataError', `Syntax error at position ${position} in ${option}: ${problem}`, { details: { option, position } });
}

const PUNCTUATION = new Set(['(', ')', ',', '/', ':']);
// Date, optional time, optional zone. `2018-08-01Z` (date with zone) appears in MDE's own examples.
const DATETIME = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?/y;
// Raw query strings use `+` for space (client-wire-facts 4), so an unencoded `+02:00` offset
// arrives as ` 02:00`. A time immediately followed by ` HH:MM` can only mean that offset.
const DECODED_PLUS_OFFSET = / (\d{2}:\d{2})(?![\d:])/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Matches the sticky regex `re` exactly at offset `at`. */
function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

const DATETIME_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:Z|([+-])(\d{2}):(\d{2}))?$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Normalises an ISO 8601 date or date-time (zone optional, UTC assumed) to the stored MDE form:
 * UTC, exactly 7 fractional digits, `Z` (protocol `toMdeTimestamp`). Returns undefined when the
 * text is not a valid instant. Digits below 100 ns are truncated.
 * @example normaliseDateTime('2018-08-01Z') === '2018-08-01T00:00:00.0000000Z'
 */
export function normaliseDateTime(text: string): string | undefined {
  const m = DATETIME_PARTS.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1])) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : 0;
  if (m[8] && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const fraction = (m[7] ?? '').padEnd(7, '0').slice(0, 7);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, Number(fraction.slice(0, 3)));
  // The fixed-width stored form only covers years 0000..9999 (an offset can push past either end).
  if (date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return undefined;
  // Splice the sub-millisecond digits in as text: a double cannot carry 100 ns at epoch scale.
  const stamp = toMdeTimestamp(date.getTime());
  return `${stamp.slice(0, 23)}${fraction.slice(3)}Z`;
}

/** Splits `text` into tokens; the last token is always `end`. */
export function tokenize(text: string, option: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      i++;
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      tokens.push({ kind: ch as TokenKind, text: ch, position: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const token = readString(text, i, option);
      tokens.push(token.token);
      i = token.next;
      continue;
    }
    if (/[0-9-]/.test(ch)) {
      const token = readNumberOrDateTime(text, i, option);
      tokens.push(token.token);
      i = token.next;
      continue;
    }
    const word = matchAt(IDENTIFIER, text, i);
    if (word) {
      tokens.push({ kind: 'identifier', text: word, position: i });
      i += word.length;
      continue;
    }
    syntaxError(option, i, `unexpected character ${showChar(ch)}`);
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/** Quotes a printable character; control characters as U+XXXX so messages stay one clean line. */
function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

function readString(text: string, start: number, option: string): { token: Token; next: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf("'", i);
    if (quote < 0) syntaxError(option, start, 'unterminated string literal');
    const chunk = text.slice(i, quote);
    // PostgreSQL text cannot hold U+0000 and SQLite's LIKE stops at it (so contains('a\0b') would
    // widen to contains('a')): no legitimate value has one, so refuse it up front.
    const nul = chunk.indexOf('\u0000');
    if (nul >= 0) syntaxError(option, i + nul, 'NUL character in string literal');
    value += chunk;
    if (text[quote + 1] === "'") {
      value += "'";
      i = quote + 2;
      continue;
    }
    return { token: { kind: 'string', text: value, position: start }, next: quote + 1 };
  }
}

function readNumberOrDateTime(text: string, start: number, option: string): { token: Token; next: number } {
  const dt = matchAt(DATETIME, text, start);
  if (dt) {
    let literal = dt;
    let next = start + dt.length;
    if (dt.includes('T') && !/(?:Z|[+-]\d{2}:\d{2})$/.test(dt)) {
      const offset = matchAt(DECODED_PLUS_OFFSET, text, next);
      if (offset) {
        literal = `${dt}+${offset.slice(1)}`;
        next += offset.length;
      }
    }
    const value = normaliseDateTime(literal);
    if (value === undefined) syntaxError(option, start, `invalid datetime literal '${literal}'`);
    return { token: { kind: 'datetime', text: literal, position: start, value }, next };
  }
  const num = matchAt(NUMBER, text, start);
  if (!num) syntaxError(option, start, `unexpected character ${showChar(text[start])}`);
  const after = text[start + num.length];
  if (after !== undefined && /[A-Za-z_]/.test(after)) syntaxError(option, start, `invalid number literal '${num}${after}'`);
  const value = Number(num);
  if (!Number.isFinite(value)) syntaxError(option, start, `number literal '${num}' is out of range`);
  return { token: { kind: 'number', text: num, position: start, value }, next: start + num.length };
}
