import { describe, expect, it } from 'vitest';
import { normaliseDateTime, tokenize } from './lexer.js';

describe('tokenize', () => {
  it('should split a filter into tokens with 0-based positions', () => {
    const tokens = tokenize("a eq 'x''y' and (b ge -1.5e3)", '$filter');
    expect(tokens.map((t) => [t.kind, t.text, t.position])).toEqual([
      ['identifier', 'a', 0],
      ['identifier', 'eq', 2],
      ['string', "x'y", 5],
      ['identifier', 'and', 12],
      ['(', '(', 16],
      ['identifier', 'b', 17],
      ['identifier', 'ge', 19],
      ['number', '-1.5e3', 22],
      [')', ')', 28],
      ['end', '', 29],
    ]);
    expect(tokens[7].value).toBe(-1500);
  });

  it('should read unquoted datetimes as one token carrying the normalised value', () => {
    const [token] = tokenize('2019-11-22T00:00:00Z', '$filter');
    expect(token).toEqual({ kind: 'datetime', text: '2019-11-22T00:00:00Z', position: 0, value: '2019-11-22T00:00:00.0000000Z' });
  });

  it('should read a space-decoded + offset as part of the datetime', () => {
    const tokens = tokenize('x gt 2024-01-01T10:00:00.123 02:00 and y', '$filter');
    expect(tokens[2]).toMatchObject({ kind: 'datetime', text: '2024-01-01T10:00:00.123+02:00', value: '2024-01-01T08:00:00.1230000Z' });
    expect(tokens[3]).toMatchObject({ kind: 'identifier', text: 'and', position: 35 });
  });

  it.each([
    ["a eq 'open", 'Syntax error at position 5 in $filter: unterminated string literal'],
    ['a eq 1 & b', "Syntax error at position 7 in $filter: unexpected character '&'"],
    ['a eq 12abc', "Syntax error at position 5 in $filter: invalid number literal '12a'"],
    ['a eq 2019-02-30', "Syntax error at position 5 in $filter: invalid datetime literal '2019-02-30'"],
    ['a eq 1e999', "Syntax error at position 5 in $filter: number literal '1e999' is out of range"],
    ['a eq -x', "Syntax error at position 5 in $filter: unexpected character '-'"],
    ["a eq 'x\u0000y'", 'Syntax error at position 7 in $filter: NUL character in string literal'],
    ['a eq 1\u0000', 'Syntax error at position 6 in $filter: unexpected character U+0000'],
  ])('should reject %j', (text, message) => {
    expect(() => tokenize(text, '$filter')).toThrow(message);
  });
});

describe('normaliseDateTime', () => {
  it.each([
    ['2018-08-01Z', '2018-08-01T00:00:00.0000000Z'],
    ['2018-08-01', '2018-08-01T00:00:00.0000000Z'],
    ['2019-11-22T00:00:00Z', '2019-11-22T00:00:00.0000000Z'],
    ['2019-11-22T13:45Z', '2019-11-22T13:45:00.0000000Z'],
    ['2019-01-02T14:39:38.2262283Z', '2019-01-02T14:39:38.2262283Z'],
    ['2019-01-02T14:39:38.226228391Z', '2019-01-02T14:39:38.2262283Z'],
    ['2024-01-01T10:00:00.123+02:00', '2024-01-01T08:00:00.1230000Z'],
    ['2024-01-01T00:30:00-01:00', '2024-01-01T01:30:00.0000000Z'],
    ['2024-01-01T00:30:00+01:00', '2023-12-31T23:30:00.0000000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.0000000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.0000000Z'],
    ['2024-01-01T10:00:00', '2024-01-01T10:00:00.0000000Z'],
  ])('should normalise %s to %s', (input, expected) => {
    expect(normaliseDateTime(input)).toBe(expected);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-00-10', '2024-01-32', '2024-01-01T24:00:00Z', '2024-01-01T10:60:00Z', '2024-01-01T10:00:60Z', '2024-01-01T10:00:00+25:00', '9999-12-31T23:00:00-02:00', 'yesterday', '2024-1-1'])(
    'should reject %s',
    (input) => {
      expect(normaliseDateTime(input)).toBeUndefined();
    },
  );
});
